// The compiled dsp-agent (dist/agent/cli.js) as a real process, and the one writer of an agent config for
// tests, the end-to-end system and the benchmarks.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify as stringifyToml } from 'smol-toml';
import { memoryLogger } from '../common/log.js';
import { DurableQueue } from '../agent/queue/durable-queue.js';
import { startCli } from './cli-process.js';
import { AGENT_CLI } from './repo-root.js';
export { AGENT_CLI };
/**
 * Writes an agent config (TOML) with one destination, `sink`, at `sinkUrl`; the status listener on a free
 * port. With `fast` (default) it is the config of the tests: simulated sonde at 0.1 s, uploads every 0.3 s,
 * short timeouts and backoff. With `fast: false` every other key keeps the shipped default (benchmarks).
 * `sections` replace single keys (`{ sonde: { simulate: false, port: '/dev/..' } }`).
 */
export function writeAgentConfig(file, o) {
    const config = {
        gateway: { id: o.gatewayId, token: o.token, data_dir: o.dataDir },
        sonde: { simulate: true },
        status: { listen: '127.0.0.1:0' },
    };
    if (o.fast ?? true) {
        config.gateway.log_level = 'info';
        config.sonde.interval_s = 0.1;
        config.queue = { group_commit_ms: 5 };
        config.upload = {
            interval_s: 0.3,
            max_messages: 25,
            backoff_base_s: 0.05,
            backoff_cap_s: 0.5,
            connect_timeout_s: 2,
            request_timeout_s: 5,
        };
    }
    for (const [name, keys] of Object.entries(o.sections ?? {}))
        config[name] = { ...config[name], ...keys };
    writeFileSync(file, stringifyToml({ ...config, destinations: [{ name: 'sink', url: o.sinkUrl }] }));
}
/**
 * Starts the agent and resolves once it logged "agent started" (with its status address). `cli`: another
 * build of dist/agent/cli.js (a mutated copy, for the power-cut test's teeth).
 */
export async function startAgent(configFile, env = {}, cli = AGENT_CLI) {
    const agent = await startCli(cli, ['--config', configFile], { readyMsg: 'agent started', env });
    return { child: agent.child, statusUrl: String(agent.ready.status), logs: agent.logs, exited: agent.exited };
}
export async function killHard(agent) {
    agent.child.kill('SIGKILL');
    await agent.exited;
}
/** After the agent exited: the destination's last assigned sequence and the sequences still queued on disk. */
export async function queuedSequences(dataDir, destination = 'sink') {
    const queue = await DurableQueue.open({
        dir: path.join(dataDir, 'queues', destination),
        name: destination,
        limits: { maxMessages: 1e7, maxBytes: 1e12, overflow: 'drop_oldest' },
        groupCommitMs: 1,
        logger: memoryLogger().logger,
    });
    try {
        const remaining = (await queue.oldest({ maxMessages: 1e7, maxBytes: 1e12 })).map((e) => e.message.sequence);
        return { last: queue.stats().lastSequence, remaining, recovered: queue.recovery !== undefined };
    }
    finally {
        await queue.close();
    }
}
//# sourceMappingURL=agent-process.js.map