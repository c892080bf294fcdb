// What the simulated sonde "logged" to its memory, and its export as the sonde's binary log file
// (PC6000 `.dat`, drivers/sonde-file-writer.ts), so that later work can upload it over the File menu.
// Memory size and what a full memory does are not modelled here (sonde-memory.md §1: VERIFY).
import { writeSondeFile } from '../sonde-file-writer.js';
export function exportSondeLog(log) {
    const first = log.rows[0]?.seconds ?? 0;
    return writeSondeFile({
        // The file keeps whole seconds: a sub-second interval (tests) is written as 1.
        header: {
            serialNumber: log.serialNumber,
            site: log.site,
            intervalS: Math.max(1, Math.round(log.intervalS)),
            studyStart: first,
            firstSample: first,
        },
        channels: log.paraIds.map((sensorCode, i) => ({ sensorCode, sondeChannel: i + 1 })),
        records: log.rows.map((row) => ({ type: 'D', time: row.seconds, values: row.values })),
    });
}
//# sourceMappingURL=sonde-log.js.map