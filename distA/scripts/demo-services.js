// The demo's child processes: the shipped dsp-sink and dsp-agent run as their own processes, logging
// JSON lines into files under the data directory, so the demo's terminal shows only its own summary.
import { startCli } from '../lab/cli-process.js';
export { AGENT_CLI, REPO_ROOT as ROOT, SINK_CLI } from '../lab/repo-root.js';
/**
 * Starts `node CLI ARGS` with its output appended to LOGFILE and resolves with the first JSON log line
 * whose `msg` is `readyMsg` (the sink's "listening", the agent's "agent started").
 * The child gets its own process group: a Ctrl-C in the terminal reaches only the demo, which then stops
 * the agent before the sink, so the agent's last upload is not cut off by a sink already gone.
 */
export async function startService(name, cli, args, logFile, readyMsg, env = {}) {
    try {
        const started = await startCli(cli, args, { readyMsg, env, logFile, detached: true, keepLogs: false });
        return { service: { name, process: started, exited: started.exited }, ready: started.ready };
    }
    catch (err) {
        throw new Error(`${name} did not start; see ${logFile}`, { cause: err });
    }
}
/** SIGTERM, then wait; a service that does not stop within `graceMs` is killed. */
export function stopService(service, graceMs = 10_000) {
    return service.process.stop(graceMs);
}
//# sourceMappingURL=demo-services.js.map