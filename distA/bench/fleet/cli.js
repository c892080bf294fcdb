#!/usr/bin/env node
// dsp-fleet: a fleet of simulated gateways against a running sink, and the analyzer's report.
import { parseArgs } from 'node:util';
import { print, runCli } from '../../common/cli.js';
import { analyze, fetchStored, formatReport } from './analyzer.js';
import { runFleet } from './fleet.js';
import { readGatewaysFile, registerGateways } from './register.js';
const HELP = `Usage: dsp-fleet --sink URL (--db PATH | --gateways-file FILE) [options]

Simulates many gateways in one process posting to a running dsp-sink, then reports throughput,
latencies, completeness and order per gateway.

  --sink URL              the sink (http://127.0.0.1:8080)
  --db PATH               the sink's database (SQLite file or postgres:// URL): registers --gateways new gateways in it
  --gateways-file FILE    instead of --db: gateways already registered, one "ID TOKEN" per line
  --gateways N            how many gateways to register with --db (default 1000)
  --rate R                readings per second per gateway (default 1)
  --duration S            seconds of producing readings (default 60)
  --backlog N             readings each gateway holds at the start (default 0)
  --batch N               readings per container (default 60)
  --upload-interval S     upload interval of a gateway with less than a full container (default 10)
  --drain-timeout S       how long to wait for the queues to empty after the duration (default 60)
  --operator-token T      check what the sink stored through its data API (or DSP_OPERATOR_TOKEN)
  --json                  print the report as JSON
Exit code: 0 when every reading was acknowledged (and, when checked, stored once and in order), 1 if not.`;
async function main(argv) {
    const { values } = parseArgs({
        args: argv,
        options: {
            help: { type: 'boolean' },
            sink: { type: 'string' },
            db: { type: 'string' },
            'gateways-file': { type: 'string' },
            gateways: { type: 'string', default: '1000' },
            rate: { type: 'string', default: '1' },
            duration: { type: 'string', default: '60' },
            backlog: { type: 'string', default: '0' },
            batch: { type: 'string', default: '60' },
            'upload-interval': { type: 'string', default: '10' },
            'drain-timeout': { type: 'string', default: '60' },
            'operator-token': { type: 'string' },
            json: { type: 'boolean' },
        },
    });
    if (values.help)
        return print(HELP, 0);
    if (!values.sink || (values.db === undefined) === (values['gateways-file'] === undefined))
        return print(HELP, 2, true);
    const number = (name, min) => {
        const n = Number(values[name]);
        if (!Number.isFinite(n) || n < min)
            throw new UsageError(`--${name} must be a number >= ${min}`);
        return n;
    };
    const gateways = values.db
        ? await registerGateways(values.db, number('gateways', 1))
        : readGatewaysFile(values['gateways-file']);
    const run = await runFleet({
        sinkUrl: values.sink,
        gateways,
        ratePerS: number('rate', 0),
        durationS: number('duration', 0),
        backlog: number('backlog', 0),
        maxReadings: number('batch', 1),
        uploadIntervalS: number('upload-interval', 0),
        drainTimeoutS: number('drain-timeout', 0),
    });
    const operatorToken = values['operator-token'] ?? process.env.DSP_OPERATOR_TOKEN;
    const stored = operatorToken
        ? await fetchStored(values.sink, operatorToken, gateways.map((g) => g.id))
        : undefined;
    const report = analyze(run, stored);
    print(values.json ? JSON.stringify(report, null, 2) : formatReport(report), 0);
    const storedOk = !report.stored ||
        (report.stored.missing === 0 && report.stored.duplicates === 0 && report.stored.gatewaysOutOfOrder.length === 0);
    return report.gatewaysIncomplete.length === 0 && storedOk ? 0 : 1;
}
class UsageError extends Error {
}
runCli('dsp-fleet', main, (error) => (error instanceof UsageError ? 2 : 1));
//# sourceMappingURL=cli.js.map