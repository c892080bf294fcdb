// What the agent reports about itself: the /status document (printed by `dsp-agent status`), the health
// verdict of /healthz, and the gauges read from the queues and the driver when /metrics is scraped.
const iso = (ms) => (ms ? new Date(ms).toISOString() : null);
export function buildStatus(p) {
    const problems = [];
    const openFailure = p.driver.openFailure;
    if (openFailure)
        problems.push(`sonde port cannot be opened: ${openFailure.reason} (${openFailure.message})`);
    else if (!p.driver.connected)
        problems.push(`sonde not connected (${p.driver.state})`);
    const destinations = [...p.queues].map((q) => {
        const s = q.stats();
        const lastContactS = p.metrics.lastContact.get({ destination: q.name });
        const tokenRefused = p.tokenRefused(q.name);
        // The sink answers but refuses us: no waiting fixes that, so it is said as such, not as lost contact.
        const tlsProblem = p.tlsProblem?.(q.name);
        if (tlsProblem !== undefined)
            problems.push(`${q.name}: ${tlsProblem}`);
        else if (tokenRefused !== undefined)
            problems.push(`${q.name} refuses our token (${tokenRefused})`);
        // Three missed uploads in a row: the link or the sink is down (the queue keeps everything meanwhile).
        else if (!lastContactS || p.now / 1000 - lastContactS > 3 * p.settings.uploadIntervalS)
            problems.push(`no recent contact with ${q.name}`);
        if (s.storeProblem)
            problems.push(`queue store of ${q.name} not writable (${s.storeProblem.unstored} messages not stored)`);
        return {
            name: q.name,
            url: p.settings.endpoint(q.name).url,
            queued: s.depth,
            queuedBytes: s.bytes,
            oldestAgeS: s.oldestEnqueuedAt ? Math.round((p.now - s.oldestEnqueuedAt) / 1000) : 0,
            lastSequence: s.lastSequence,
            dropped: s.droppedMessages,
            lastContact: iso(lastContactS * 1000),
            clockOffsetMs: p.clockOffsetMs(q.name) ?? null,
            recoveredFrom: q.recovery?.movedTo ?? null,
            tokenRefused: tokenRefused ?? null,
            tlsProblem: tlsProblem ?? null,
            storeProblem: s.storeProblem?.reason ?? null,
        };
    });
    const d = p.driver;
    return {
        gateway: p.gatewayId,
        health: { ok: problems.length === 0, problems },
        sonde: {
            state: d.state,
            connected: d.connected,
            serialNumber: d.serialNumber,
            intervalS: d.intervalS,
            readings: d.readings,
            rejected: d.rejected,
            lastReadingAt: iso(d.lastReadingAt),
            openFailure: openFailure && { ...openFailure, since: new Date(openFailure.since).toISOString() },
        },
        readingsTaken: p.metrics.readingsTaken.get(),
        uploadIntervalS: p.settings.uploadIntervalS,
        dataPlan: p.dataPlan?.() ?? null,
        destinations,
        remoteOverrides: p.settings.snapshot(),
    };
}
const DRIVER_STATES = [
    'idle',
    'disconnected',
    'waking',
    'configuring',
    'streaming',
    'passive',
];
const OPEN_FAILURE_REASONS = ['ENOENT', 'EACCES', 'EBUSY', 'ETIMEDOUT', 'OTHER'];
/** Gauges read at scrape time, so that hot paths never update them. */
export function collectGauges(metrics, queues, driverStatus) {
    for (const q of queues) {
        const labels = { destination: q.name };
        metrics.queueDepth.collect(labels, () => q.stats().depth);
        metrics.queueBytes.collect(labels, () => q.stats().bytes);
        metrics.oldestAge.collect(labels, () => {
            const at = q.stats().oldestEnqueuedAt;
            return at ? (Date.now() - at) / 1000 : 0;
        });
        metrics.dropped.collect(labels, () => q.stats().droppedMessages);
        metrics.droppedReadings.collect(labels, () => q.stats().droppedReadings);
        metrics.storeUnwritable.collect(labels, () => (q.stats().storeProblem ? 1 : 0));
        metrics.unstored.collect(labels, () => q.stats().storeProblem?.unstored ?? 0);
    }
    for (const state of DRIVER_STATES)
        metrics.driverState.collect({ state }, () => (driverStatus().state === state ? 1 : 0));
    metrics.driverConnected.collect({}, () => (driverStatus().connected ? 1 : 0));
    for (const reason of OPEN_FAILURE_REASONS)
        metrics.serialOpenFailure.collect({ reason }, () => (driverStatus().openFailure?.reason === reason ? 1 : 0));
}
//# sourceMappingURL=agent-status.js.map