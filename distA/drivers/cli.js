#!/usr/bin/env node
// dsp-sonde: the simulated sonde on a serial device, and the replay tool for recorded sonde output.
import { createReadStream, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Logger } from '../common/log.js';
import { ReadingCsv } from './reading-csv.js';
import { toRecord } from './replay.js';
import { readSondeInput } from './sonde-input.js';
import { runSimulatorOnDevice } from './simulator/serial-host.js';
import { assertTimeZone } from './sonde-time.js';
const USAGE = `Usage:
  dsp-sonde sim --port PATH [--interval S] [--faults SPEC] [--record FILE] [--legacy]
                [--serial-number SN] [--auto-sleep S] [--page-length N] [--date-format mdy|dmy|ymd]
                [--timezone ZONE] [--stabilize S] [--streaming] [--seed N]
      A simulated YSI 6600 EDS on a serial device: a USB-serial adapter cabled to the gateway's, or one
      end of a virtual cable (in a checkout, \`npm run pty-cable -- /tmp\` makes /tmp/sonde and /tmp/gateway)
      --faults  comma list of name=probability per data row: garbage, cut, drop, silence, disconnect,
                and silenceS=seconds, disconnectS=seconds (e.g. "garbage=0.05,cut=0.02,silence=0.01")
      --record  append one JSON line per emitted reading (the oracle for end-to-end tests)
      --legacy  stream the original NetBEAMS layout (LF only, no prompt), as the 2009 simulator did

  dsp-sonde parse [--tz ZONE] [--format jsonl|csv] [--layout auto|netbeams] [--date-format mdy|dmy|ymd] FILE|-
      Reads the sonde's binary log file (PC6000 / EcoWatch .dat, told by its signature, not its name), a
      recorded transcript or a sonde ASCII upload file (space-aligned or comma/quote delimited) and prints
      its readings: one JSON object per line {"sampledAt","sondeTime","values","units","flags","raw"}, or
      CSV. --tz (or --timezone) is the zone of the sonde clock (default UTC). A summary (for a .dat file
      with the sonde's serial number and site) goes to stderr. Exit 0 when the whole file was read, 2 when
      it could not be: the reason and the byte offset where reading stopped go to stderr.

  dsp-sonde --help`;
class UsageError extends Error {
}
const DATE_FORMATS = ['mdy', 'dmy', 'ymd'];
const FAULT_NAMES = ['garbage', 'cut', 'drop', 'silence', 'disconnect', 'silenceS', 'disconnectS'];
function dateFormat(value) {
    if (value === undefined)
        return undefined;
    if (!DATE_FORMATS.includes(value))
        throw new UsageError(`--date-format must be one of ${DATE_FORMATS.join(', ')}`);
    return value;
}
function timeZone(value) {
    if (value === undefined)
        return undefined;
    try {
        assertTimeZone(value);
    }
    catch {
        throw new UsageError(`unknown time zone: ${value}`);
    }
    return value;
}
function positive(name, value) {
    if (value === undefined)
        return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0)
        throw new UsageError(`--${name} must be a non-negative number`);
    return n;
}
export function parseFaults(spec) {
    const faults = {};
    for (const item of spec.split(',').filter((s) => s.trim() !== '')) {
        const [name = '', value = ''] = item.split('=').map((s) => s.trim());
        const n = Number(value);
        if (!FAULT_NAMES.includes(name))
            throw new UsageError(`unknown fault: ${name} (known: ${FAULT_NAMES.join(', ')})`);
        if (value === '' || !Number.isFinite(n) || n < 0 || (!name.endsWith('S') && n > 1)) {
            throw new UsageError(`fault ${name} needs a probability in [0, 1] (or seconds for ${name.endsWith('S') ? name : 'silenceS/disconnectS'})`);
        }
        faults[name] = n;
    }
    return faults;
}
/** Resolves on SIGINT or SIGTERM. */
function signalled() {
    return new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
    });
}
/** `dsp-sonde sim ...`: runs until `stopped` resolves (a signal, when run as the program). */
export async function runSimCommand(args, stopped = signalled()) {
    const { values } = parseArgs({
        args,
        options: {
            port: { type: 'string' },
            interval: { type: 'string' },
            faults: { type: 'string' },
            record: { type: 'string' },
            legacy: { type: 'boolean' },
            'serial-number': { type: 'string' },
            'auto-sleep': { type: 'string' },
            'page-length': { type: 'string' },
            'date-format': { type: 'string' },
            timezone: { type: 'string' },
            stabilize: { type: 'string' },
            streaming: { type: 'boolean' },
            seed: { type: 'string' },
        },
    });
    if (!values.port)
        throw new UsageError('sim needs --port PATH');
    const options = {
        intervalS: positive('interval', values.interval) ?? 1,
        faults: values.faults ? parseFaults(values.faults) : {},
        legacy: values.legacy ?? false,
        streaming: values.streaming ?? false,
        autoSleepS: positive('auto-sleep', values['auto-sleep']) ?? 0,
        pageLength: positive('page-length', values['page-length']) ?? 0,
        stabilizeS: positive('stabilize', values.stabilize) ?? 0,
        seed: positive('seed', values.seed) ?? Date.now() % 2 ** 31,
    };
    if (options.intervalS < 0.1)
        throw new UsageError('--interval must be at least 0.1 s');
    const zone = timeZone(values.timezone);
    if (zone)
        options.timeZone = zone;
    const order = dateFormat(values['date-format']);
    if (order)
        options.dateFormat = order;
    if (values['serial-number'])
        options.serialNumber = values['serial-number'];
    if (values.record)
        options.record = values.record;
    const logger = new Logger({ component: 'dsp-sonde-sim' }, process.stderr);
    const device = runSimulatorOnDevice(values.port, options, logger);
    logger.info('simulated sonde running', { port: values.port, intervalS: options.intervalS, legacy: options.legacy });
    await stopped;
    await device.close();
    return 0;
}
async function parse(args) {
    const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
            layout: { type: 'string', default: 'auto' },
            timezone: { type: 'string' },
            tz: { type: 'string' },
            'date-format': { type: 'string' },
            format: { type: 'string', default: 'jsonl' },
        },
    });
    if (positionals.length !== 1)
        throw new UsageError('parse needs exactly one FILE (or - for stdin)');
    if (values.layout !== 'auto' && values.layout !== 'netbeams')
        throw new UsageError('--layout must be auto or netbeams');
    if (values.format !== 'jsonl' && values.format !== 'csv')
        throw new UsageError('--format must be jsonl or csv');
    if (values.tz !== undefined && values.timezone !== undefined)
        throw new UsageError('give --tz or --timezone, not both');
    const file = positionals[0];
    const zone = timeZone(values.tz ?? values.timezone);
    const order = dateFormat(values['date-format']);
    const input = file === '-' ? process.stdin : createReadStream(file);
    const csv = values.format === 'csv' ? new ReadingCsv() : null;
    try {
        const result = await readSondeInput(input, { layout: values.layout, ...(zone ? { timeZone: zone } : {}), ...(order ? { dateFormat: order } : {}) }, (reading) => {
            const record = toRecord(reading);
            process.stdout.write(csv ? csv.line(record) : JSON.stringify(record) + '\n');
        });
        if (result.kind === 'text') {
            process.stderr.write(JSON.stringify({ file, format: 'text', ...result.summary }) + '\n');
            return 0;
        }
        const { header, channels, skipped, records, bytes, stop } = result.file;
        const summary = {
            file,
            format: 'pc6000',
            ...header,
            channels: channels.map((c) => c.key),
            skipped,
            records,
            bytes,
        };
        process.stderr.write(JSON.stringify({ ...summary, stop }) + '\n');
        if (!stop)
            return 0;
        process.stderr.write(`dsp-sonde parse: ${file}: ${stop.message}\n`);
        return 2;
    }
    catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`dsp-sonde parse: cannot read ${file}: ${message}\n`);
        return 2;
    }
}
export async function main(argv) {
    const [command, ...rest] = argv;
    try {
        if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
            process.stdout.write(USAGE + '\n');
            return command === undefined ? 2 : 0;
        }
        if (rest.includes('--help')) {
            process.stdout.write(USAGE + '\n');
            return 0;
        }
        if (command === 'sim')
            return await runSimCommand(rest);
        if (command === 'parse')
            return await parse(rest);
        throw new UsageError(`unknown command: ${command}`);
    }
    catch (err) {
        if (err instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS')) {
            process.stderr.write(`dsp-sonde: ${err.message}\n${USAGE}\n`);
            return 2;
        }
        throw err;
    }
}
/** True when this file is the program being run (not imported by a test). */
function isMain() {
    const script = process.argv[1];
    if (!script)
        return false;
    try {
        return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
    }
    catch {
        return false;
    }
}
if (isMain()) {
    // Output piped into `head` closes early: that is not an error.
    process.stdout.on('error', (err) => {
        if (err.code === 'EPIPE')
            process.exit(0);
    });
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    }, (err) => {
        process.stderr.write(`dsp-sonde: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
    });
}
//# sourceMappingURL=cli.js.map