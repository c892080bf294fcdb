// The network overview of the dashboard (GET /api/network): one row per gateway, its status judged against its
// own upload interval, and the figures of the last day. Built from the gateways table and the summaries kept at
// ingest (reading_hours, gateway_parameters): a few small queries whatever the number of readings stored.
import { windowCompleteness } from './completeness.js';
import { HOUR_MS } from './store/summaries.js';
export const GATEWAY_STATUSES = ['ok', 'late', 'silent'];
/** Status rules (docs/sink.md, "Status"): in multiples of the gateway's upload interval. */
export const STATUS_RULES = {
    /** late once the last contact is older than this many intervals. */
    lateAfterIntervals: 2,
    /** silent once older than this many (and always without any contact). */
    silentAfterIntervals: 5,
    /** The interval judged with until one is inferred: the agent's default upload.interval_s. */
    defaultUploadIntervalMs: 60_000,
    /** Intervals shorter than this are judged as this: a few seconds of jitter are not lateness. */
    minimumUploadIntervalMs: 5_000,
};
/** The sonde parameter whose newest value is the station's battery voltage. */
export const BATTERY_PARAMETER = 'Battery';
const DAY_MS = 86_400_000;
export function gatewayStatus(lastContact, judgedIntervalMs, now) {
    if (lastContact === undefined)
        return 'silent';
    const interval = Math.max(judgedIntervalMs, STATUS_RULES.minimumUploadIntervalMs);
    const age = now - lastContact;
    if (age > STATUS_RULES.silentAfterIntervals * interval)
        return 'silent';
    if (age > STATUS_RULES.lateAfterIntervals * interval)
        return 'late';
    return 'ok';
}
export async function networkOverview(store, now) {
    // The last 24 h are the current hour and the 23 before it (reading_hours has hour resolution).
    const from = now - (now % HOUR_MS) - 23 * HOUR_MS;
    const today = now - (now % DAY_MS);
    const [gateways, hours, battery] = await Promise.all([
        store.listGateways(),
        store.readingHours(Math.min(from, today), now + HOUR_MS),
        store.latestParameterValues(BATTERY_PARAMETER),
    ]);
    const batteryBy = new Map(battery.map((p) => [p.gateway, p]));
    const hoursBy = new Map();
    for (const h of hours) {
        const list = hoursBy.get(h.gateway);
        if (list)
            list.push(h);
        else
            hoursBy.set(h.gateway, [h]);
    }
    return {
        now,
        rules: STATUS_RULES,
        gateways: gateways.map((g) => networkRow(g, hoursBy.get(g.id) ?? [], batteryBy.get(g.id), from, today, now)),
    };
}
function networkRow(g, hours, battery, from, today, now) {
    const interval = g.uploadIntervalMs ?? STATUS_RULES.defaultUploadIntervalMs;
    const sum = (since) => hours.reduce((n, h) => (h.hour >= since ? n + h.readings : n), 0);
    const intervalS = g.samplingIntervalMs === undefined ? null : g.samplingIntervalMs / 1000;
    // As for a day (completeness.ts): from the gateway's registration at the earliest, up to one sampling interval
    // before its last contact; what it reported still queued is not missing.
    const end = Math.min(now, g.lastContact === undefined ? now : g.lastContact - (g.samplingIntervalMs ?? 0));
    const window = windowCompleteness(sum(from), Math.max(from, g.createdAt), end, intervalS, g.queueDepth ?? 0);
    return {
        id: g.id,
        station: g.station,
        revoked: g.revokedAt !== undefined,
        status: gatewayStatus(g.lastContact, interval, now),
        lastContact: g.lastContact ?? null,
        uploadIntervalMs: interval,
        uploadIntervalInferred: g.uploadIntervalMs !== undefined,
        samplingIntervalMs: g.samplingIntervalMs ?? null,
        readingsToday: sum(today),
        completeness24h: { from, received: window.received, expected: window.expected, ratio: window.ratio },
        openGaps: g.openGaps,
        queueDepth: g.queueDepth ?? null,
        clockOffsetMs: g.clockOffsetMs ?? null,
        battery: battery ? { value: battery.lastValue, unit: battery.unit ?? null, time: battery.lastTime } : null,
    };
}
//# sourceMappingURL=network.js.map