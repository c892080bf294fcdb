import { runCliToEnd, startCli } from './cli-process.js';
import { SINK_CLI } from './repo-root.js';
export { SINK_CLI };
/** `dsp-sink ARGS` to its end (`gateway add ...`, `--help`): exit code and output. */
export function runSinkCli(args, env = {}, cwd, cli = SINK_CLI) {
    // A command that should end but serves instead (a setting wrongly accepted) must not outlive the test.
    return runCliToEnd(cli, args, { env, cwd, timeoutMs: 20_000 });
}
/**
 * Starts `dsp-sink --db DB --port 0 --host 127.0.0.1 ...` and waits for its "listening" log line. `cli`:
 * another build of dist/sink/cli.js (a mutated copy, for the power-cut test's teeth).
 */
export async function spawnSink(db, extraArgs = [], env = {}, cli = SINK_CLI) {
    const sink = await startCli(cli, ['--db', db, '--port', '0', '--host', '127.0.0.1', ...extraArgs], {
        readyMsg: 'listening',
        env,
    });
    return { process: sink.child, url: String(sink.ready.url), logs: sink.logs, exited: sink.exited };
}
//# sourceMappingURL=sink-process.js.map