// Running the compiled CLIs (dist/.../cli.js) as real processes, as systemd or a user would: the one place
// that spawns one and waits for its ready log line, and the one that runs one to its end.
import { execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
/** Starts `node [flags] CLI ARGS` and resolves once it printed the JSON log line whose `msg` is `readyMsg`. */
export function startCli(cli, args, o) {
    const child = spawn(process.execPath, [...(o.nodeFlags ?? []), cli, ...args], {
        env: { ...process.env, ...o.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: o.detached ?? false,
    });
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const log = o.logFile ? createWriteStream(o.logFile, { flags: 'a' }) : undefined;
    let stderr = '';
    child.stderr.on('data', (chunk) => {
        if (stderr.length < 10_000)
            stderr += chunk.toString();
        log?.write(chunk);
    });
    if (log)
        child.stdout.on('data', (chunk) => log.write(chunk));
    void exited.then(() => log?.end());
    const logs = [];
    const stop = async (graceMs = 10_000) => {
        if (child.exitCode !== null || child.signalCode !== null)
            return exited;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const code = await exited;
        clearTimeout(timer);
        return code;
    };
    return new Promise((resolve, reject) => {
        let ready;
        const lines = createInterface({ input: child.stdout });
        lines.on('line', (line) => {
            const entry = parseJsonLine(line);
            if (!entry)
                return;
            logs.push(entry);
            if (ready || entry.msg !== o.readyMsg)
                return;
            ready = entry;
            if (o.keepLogs === false) {
                lines.close();
                child.stdout.resume();
            }
            resolve({ child, ready, logs, exited, stop });
        });
        void exited.then((code) => {
            if (!ready)
                reject(new Error(`${cli} exited (${code}) before it was ready: ${stderr}`));
        });
    });
}
/** Runs `node CLI ARGS` to its end (killed after `timeoutMs`, 0 = never): its exit code and output. */
export function runCliToEnd(cli, args, o = {}) {
    return new Promise((resolve) => {
        execFile(process.execPath, [cli, ...args], { env: { ...process.env, ...o.env }, timeout: o.timeoutMs ?? 0, killSignal: 'SIGKILL', cwd: o.cwd }, (error, stdout, stderr) => {
            resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
        });
    });
}
function parseJsonLine(line) {
    try {
        const value = JSON.parse(line);
        return typeof value === 'object' && value !== null ? value : undefined;
    }
    catch {
        return undefined; // not a log line
    }
}
//# sourceMappingURL=cli-process.js.map