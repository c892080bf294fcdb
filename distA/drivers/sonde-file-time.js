// Times in the sonde's binary log file: whole seconds since 1984-03-01 00:00:00 of the sonde's own clock.
// The clock has no zone, so seconds map first to wall-clock fields, then to UTC with the site's zone.
import { SONDE_EPOCH_WALL_MS } from './sonde-file-format.js';
import { utcFields, wallClockToUtc } from './sonde-time.js';
/** The sonde's wall clock `seconds` after its epoch. */
export function sondeSecondsToWallClock(seconds) {
    return utcFields(SONDE_EPOCH_WALL_MS + seconds * 1000);
}
/** Seconds after the sonde's epoch of a wall-clock time (whole seconds; the writer's side). */
export function wallClockToSondeSeconds(wall) {
    const ms = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, Math.floor(wall.second));
    return Math.round((ms - SONDE_EPOCH_WALL_MS) / 1000);
}
/** The text a reading from a file carries as `sondeTime`: `yyyy/MM/dd HH:mm:ss` (no order to guess). */
export function formatWallClock(w) {
    const two = (n) => String(n).padStart(2, '0');
    return `${String(w.year).padStart(4, '0')}/${two(w.month)}/${two(w.day)} ${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
}
export function sondeFileTime(seconds, timeZone) {
    const wall = sondeSecondsToWallClock(seconds);
    return { seconds, sondeTime: formatWallClock(wall), sampledAt: wallClockToUtc(wall, timeZone) };
}
//# sourceMappingURL=sonde-file-time.js.map