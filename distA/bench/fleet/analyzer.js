export function percentiles(values) {
    const sorted = Float64Array.from(values).sort();
    const at = (q) => sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    return {
        count: sorted.length,
        p50: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
        max: sorted.length === 0 ? 0 : sorted[sorted.length - 1],
    };
}
export function analyze(run, stored) {
    let produced = 0;
    let acknowledged = 0;
    const sampleToAck = [];
    const gatewaysIncomplete = [];
    for (const g of run.gateways) {
        produced += g.produced;
        acknowledged += g.acknowledgedAt.size;
        for (const [sequence, at] of g.acknowledgedAt)
            sampleToAck.push(at - g.sampledAt.get(sequence));
        if (g.acknowledgedAt.size < g.produced)
            gatewaysIncomplete.push(g.id);
    }
    const seconds = (run.endedAt - run.startedAt) / 1000;
    return {
        gateways: run.gateways.length,
        seconds,
        produced,
        acknowledged,
        readingsPerS: acknowledged / Math.max(seconds, 1e-3),
        requests: run.requests,
        failures: run.failures,
        drained: run.drained,
        gatewaysIncomplete,
        requestLatencyMs: percentiles(run.requestLatenciesMs),
        sampleToAckMs: percentiles(sampleToAck),
        ...(stored ? { stored: storedView(run, stored) } : {}),
    };
}
function storedView(run, stored) {
    const view = {
        readings: 0,
        duplicates: 0,
        missing: 0,
        gatewaysOutOfOrder: [],
        sampleToStoredMs: percentiles([]),
    };
    const latencies = [];
    for (const g of run.gateways) {
        const rows = stored.get(g.id) ?? [];
        const seen = new Set();
        let previous;
        let ordered = true;
        for (const row of rows) {
            view.readings++;
            if (row.sequence === undefined || seen.has(row.sequence))
                view.duplicates++;
            else
                seen.add(row.sequence);
            if (row.sampledAt !== undefined)
                latencies.push(row.receivedAt - row.sampledAt);
            if (previous && ((previous.sequence ?? 0) >= (row.sequence ?? 0) || previous.receivedAt > row.receivedAt))
                ordered = false;
            previous = row;
        }
        for (let sequence = 1; sequence <= g.produced; sequence++)
            if (!seen.has(sequence))
                view.missing++;
        if (!ordered)
            view.gatewaysOutOfOrder.push(g.id);
    }
    view.sampleToStoredMs = percentiles(latencies);
    return view;
}
/** Every stored reading of each gateway through the sink's data API (operator token). */
export async function fetchStored(sinkUrl, operatorToken, gatewayIds) {
    const stored = new Map();
    for (const id of gatewayIds) {
        const url = new URL('/api/readings', sinkUrl);
        url.searchParams.set('gateway', id);
        url.searchParams.set('format', 'json');
        const res = await fetch(url, { headers: { Authorization: `Bearer ${operatorToken}` } });
        if (!res.ok)
            throw new Error(`GET ${url.pathname} for ${id}: ${res.status} ${await res.text()}`);
        stored.set(id, (await res.json()));
    }
    return stored;
}
export function formatReport(r) {
    const ms = (p) => `p50 ${p.p50.toFixed(0)} ms, p90 ${p.p90.toFixed(0)} ms, p99 ${p.p99.toFixed(0)} ms, max ${p.max.toFixed(0)} ms`;
    const failures = Object.entries(r.failures)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none';
    const lines = [
        `gateways           ${r.gateways}, ${r.seconds.toFixed(1)} s${r.drained ? '' : ' (drain timed out)'}`,
        `readings           produced ${r.produced}, acknowledged ${r.acknowledged} (${r.readingsPerS.toFixed(0)} readings/s)`,
        `requests           ${r.requests}; failed attempts: ${failures}`,
        `request latency    ${ms(r.requestLatencyMs)}`,
        `sampled -> acked   ${ms(r.sampleToAckMs)}`,
        `incomplete         ${r.gatewaysIncomplete.length} gateways with unacknowledged readings`,
    ];
    if (r.stored) {
        const s = r.stored;
        lines.push(`stored             ${s.readings} rows, ${s.duplicates} duplicates, ${s.missing} missing`, `sampled -> stored  ${ms(s.sampleToStoredMs)}`, `out of order       ${s.gatewaysOutOfOrder.length} gateways`);
    }
    return lines.join('\n');
}
//# sourceMappingURL=analyzer.js.map