// The load balancer of deploy/haproxy.cfg as a real process in front of local sinks: the shipped file, with
// the listening address and the sinks' ports put in, run in the foreground (haproxy -db) until close().
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { freePort } from './postgres-server.js';
import { pollUntil } from './poll.js';
import { REPO_ROOT } from './repo-root.js';
export const HAPROXY_CONFIG = path.join(REPO_ROOT, 'deploy', 'haproxy.cfg');
/** deploy/haproxy.cfg listening on 127.0.0.1:`port`, balancing over 127.0.0.1:`sinkPorts`. */
export function haproxyConfig(port, sinkPorts) {
    const shipped = readFileSync(HAPROXY_CONFIG, 'utf8');
    const servers = sinkPorts.map((p, i) => `    server sink${i + 1} 127.0.0.1:${p}`).join('\n');
    const lines = shipped.split('\n');
    const first = lines.findIndex((l) => /^\s+server /.test(l));
    const kept = lines.filter((l) => !/^\s+server /.test(l));
    kept.splice(first, 0, servers);
    return (kept
        .join('\n')
        .replace(/^(\s+bind )\S+/m, `$1127.0.0.1:${port}`)
        .replace(/^(\s+log stdout .*)$/m, '    log stderr format raw local0 notice')
        // A test process may not raise its file limit to what 20,000 connections take.
        .replace(/^(\s+maxconn )\d+/m, '$11000'));
}
function accepts(port) {
    return new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
            socket.destroy();
            resolve(true);
        });
        socket.once('error', () => resolve(false));
    });
}
export async function startHaproxy(dir, sinkPorts) {
    const port = await freePort();
    const file = path.join(dir, 'haproxy.cfg');
    writeFileSync(file, haproxyConfig(port, sinkPorts), { mode: 0o600 });
    const child = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
        if (stderr.length < 20_000)
            stderr += chunk.toString();
    });
    const exited = new Promise((resolve) => child.once('exit', () => resolve()));
    try {
        await pollUntil(async () => {
            if (child.exitCode !== null)
                throw new Error(`haproxy exited: ${stderr}`);
            return accepts(port);
        }, (ok) => ok, 10_000, 50);
    }
    catch (error) {
        child.kill('SIGKILL');
        throw error;
    }
    return {
        url: `http://127.0.0.1:${port}`,
        port,
        close: async () => {
            if (child.exitCode === null)
                child.kill('SIGTERM');
            await exited;
        },
    };
}
//# sourceMappingURL=haproxy.js.map