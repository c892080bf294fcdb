import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeAgentConfig } from '../lab/agent-process.js';
import { startCli } from '../lab/cli-process.js';
import { AGENT_CLI, REPO_ROOT, SINK_CLI } from '../lab/repo-root.js';
export const BENCH_OPERATOR_TOKEN = 'bench-operator-token-0123456789';
export async function startSinkProcess(db) {
    const sink = await startCli(SINK_CLI, ['--db', db, '--port', '0', '--host', '127.0.0.1'], {
        readyMsg: 'listening',
        env: { DSP_OPERATOR_TOKEN: BENCH_OPERATOR_TOKEN },
        keepLogs: false, // parsing every log line would take CPU from the benchmark
    });
    return { process: sink.child, url: String(sink.ready.url), stop: async () => void (await sink.stop()) };
}
/**
 * An agent with the shipped defaults except: its sonde is the in-process simulator at 1 Hz, the upload
 * interval is `uploadIntervalS` (so a drain does not end with a minute's wait for its last partial
 * container), and the status listener takes a free port.
 */
export async function startAgentProcess(configFile, c) {
    writeAgentConfig(configFile, {
        dataDir: c.dataDir,
        sinkUrl: new URL('/transportDspMessages', c.sinkUrl).href,
        gatewayId: c.gatewayId,
        token: c.token,
        fast: false,
        sections: {
            sonde: { interval_s: 1 },
            upload: {
                interval_s: c.uploadIntervalS,
                ...(c.maxInFlight === undefined ? {} : { max_in_flight: c.maxInFlight }),
                ...(c.backoffS === undefined ? {} : { backoff_base_s: c.backoffS.base, backoff_cap_s: c.backoffS.cap }),
            },
        },
    });
    const unit = agentUnitSettings();
    const agent = await startCli(AGENT_CLI, ['--config', configFile], {
        readyMsg: 'agent started',
        env: unit.env,
        nodeFlags: unit.nodeFlags,
        keepLogs: false,
    });
    return { process: agent.child, url: String(agent.ready.status), stop: async () => void (await agent.stop()) };
}
/**
 * The node flags and environment systemd/dsp-agent.service runs the agent with (ExecStart's flags before
 * the script, Environment= lines): the benchmark measures the agent as it is installed.
 */
export function agentUnitSettings(unitFile = path.join(REPO_ROOT, 'systemd', 'dsp-agent.service')) {
    const lines = readFileSync(unitFile, 'utf8').split('\n');
    const exec = lines.find((l) => l.startsWith('ExecStart='));
    const words = exec?.slice('ExecStart='.length).trim().split(/\s+/) ?? [];
    const nodeAt = words.indexOf('node');
    const scriptAt = words.findIndex((w) => w.endsWith('cli.js'));
    if (nodeAt < 0 || scriptAt < nodeAt)
        throw new Error(`${unitFile}: no ExecStart running node on the agent's cli.js`);
    const env = {};
    for (const l of lines.filter((l) => l.startsWith('Environment='))) {
        const [name, ...value] = l.slice('Environment='.length).trim().split('=');
        env[name] = value.join('=');
    }
    return { nodeFlags: words.slice(nodeAt + 1, scriptAt), env };
}
//# sourceMappingURL=processes.js.map