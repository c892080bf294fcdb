// `dsp-agent status`: asks a running agent's status listener and prints the answer for a person.
import { request } from 'undici';
export async function fetchStatus(baseUrl) {
    const res = await request(new URL('/status', baseUrl), { headersTimeout: 5000, bodyTimeout: 5000 });
    if (res.statusCode !== 200)
        throw new Error(`status listener answered HTTP ${res.statusCode}`);
    return (await res.body.json());
}
export function formatStatus(s) {
    const lines = [
        `gateway   ${s.gateway}: ${s.health.ok ? 'healthy' : 'DEGRADED'}`,
        ...s.health.problems.map((p) => `          - ${p}`),
        `sonde     ${s.sonde.state}${s.sonde.connected ? '' : ' (not connected)'}, serial ${s.sonde.serialNumber ?? '?'}, every ${s.sonde.intervalS} s`,
        ...(s.sonde.openFailure
            ? [
                `          port cannot be opened since ${s.sonde.openFailure.since}: ${s.sonde.openFailure.reason} (${s.sonde.openFailure.message})`,
            ]
            : []),
        `          readings ${s.sonde.readings} parsed, ${s.readingsTaken} queued, rejected ${JSON.stringify(s.sonde.rejected)}, last ${s.sonde.lastReadingAt ?? 'never'}`,
        `upload    every ${s.uploadIntervalS} s`,
    ];
    for (const d of s.destinations) {
        lines.push(`${d.name.padEnd(9)} ${d.url}`, `          queued ${d.queued} messages (${d.queuedBytes} bytes), oldest ${d.oldestAgeS} s, last sequence ${d.lastSequence}, dropped ${d.dropped}`, `          last contact ${d.lastContact ?? 'never'}${d.clockOffsetMs === null ? '' : `, sink clock offset ${Math.round(d.clockOffsetMs)} ms`}`);
        if (d.tokenRefused !== null)
            lines.push(`          sink refuses our token (${d.tokenRefused})`);
        if (d.recoveredFrom)
            lines.push(`          store was damaged and repaired; a copy is kept at ${d.recoveredFrom}`);
        if (d.storeProblem)
            lines.push(`          store not writable: ${d.storeProblem}`);
    }
    if (Object.keys(s.remoteOverrides).length > 0)
        lines.push(`remote    ${JSON.stringify(s.remoteOverrides)}`);
    return lines.join('\n');
}
//# sourceMappingURL=status-command.js.map