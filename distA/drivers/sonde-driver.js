// SondeDriver: the one object the gateway agent uses. It wires the layers together
// (serial transport -> framer -> session -> parser) and keeps the counters status() reports.
import { EventEmitter } from 'node:events';
import { Logger } from '../common/log.js';
import { LineFramer } from './framer.js';
import { SondeParser } from './parser.js';
import { BindingStateFile, loadRememberedBinding } from './remembered-binding.js';
import { SerialTransport } from './serial-transport.js';
import { MAX_INTERVAL_S, MIN_INTERVAL_S, SondeSession } from './session.js';
import { assertTimeZone } from './sonde-time.js';
const silentLogger = new Logger({}, { write: () => undefined });
export class SondeDriver extends EventEmitter {
    options;
    transport;
    parser;
    session;
    stateFile;
    framer = new LineFramer();
    log;
    mode;
    started = false;
    readings = 0;
    lastReadingAt = null;
    constructor(options) {
        super();
        this.options = options;
        this.mode = options.mode ?? 'active';
        const intervalS = options.intervalS ?? 60;
        if (!(intervalS >= MIN_INTERVAL_S && intervalS <= MAX_INTERVAL_S)) {
            throw new RangeError(`intervalS must be in [${MIN_INTERVAL_S}, ${MAX_INTERVAL_S}] (got ${intervalS})`);
        }
        if (this.mode !== 'active' && this.mode !== 'passive')
            throw new RangeError(`mode must be active or passive (got ${String(this.mode)})`);
        if (options.layout !== undefined && options.layout !== 'auto' && options.layout !== 'netbeams') {
            throw new RangeError(`layout must be auto or netbeams (got ${String(options.layout)})`);
        }
        const timeZone = options.timeZone ?? 'UTC';
        assertTimeZone(timeZone);
        this.log = (options.logger ?? silentLogger).child({ component: 'sonde-driver', path: options.path });
        const layout = options.layout ?? (this.mode === 'passive' ? 'netbeams' : 'auto');
        this.parser = new SondeParser({
            layout,
            timeZone,
            dateFormat: options.dateFormat ?? 'mdy',
            clockToleranceMs: (options.clockToleranceS ?? 300) * 1000,
        });
        this.transport = new SerialTransport({
            path: options.path,
            baudRate: options.baudRate ?? 9600,
            ...(options.binding ? { binding: options.binding } : {}),
            silenceTimeoutMs: (options.silenceTimeoutS ?? Math.max(30, 6 * intervalS)) * 1000,
            backoffBaseMs: options.reconnectBaseMs ?? 500,
            backoffCapMs: options.reconnectCapMs ?? 60_000,
            logger: this.log,
        });
        this.session = new SondeSession(this.parser, {
            mode: this.mode,
            layout,
            intervalS,
            timeZone,
            dateFormat: options.dateFormat ?? 'mdy',
            commandTimeoutMs: options.commandTimeoutMs ?? 2000,
            logToMemory: options.logToMemory ?? false,
            logger: this.log,
        });
        this.transport.on('open', () => {
            this.framer = new LineFramer(); // nothing half-received survives a reconnect
            this.session.connected((data) => this.transport.write(data));
        });
        this.transport.on('lost', () => this.session.disconnected());
        this.transport.on('data', (chunk, receivedAt) => this.received(chunk, receivedAt));
        this.session.on('reading', (reading) => {
            this.readings++;
            this.lastReadingAt = reading.receivedAt;
            this.emit('reading', reading);
        });
        this.session.on('rejected', (line) => this.emit('rejected', line));
        this.session.on('state', (state) => {
            this.log.info('sonde state', { state });
            this.emit('state', state);
        });
        this.session.on('unresponsive', (reason) => this.transport.reconnect(reason));
        this.stateFile = options.stateFile ? new BindingStateFile(options.stateFile, this.log) : null;
        this.session.on('remember', (binding) => void this.stateFile?.save(binding));
    }
    /** Starts talking to the sonde. Resolves at once; the device may come and go, the driver keeps at it. */
    async start() {
        if (this.started)
            return;
        this.started = true;
        if (this.options.stateFile && this.session.remembered === null) {
            this.session.remembered = await loadRememberedBinding(this.options.stateFile, this.log);
        }
        this.session.disconnected();
        this.transport.start();
    }
    async stop() {
        if (!this.started)
            return;
        this.started = false;
        await this.session.stop();
        await this.transport.stop();
        await this.stateFile?.flush();
    }
    setSamplingInterval(seconds) {
        return this.session.setSamplingInterval(seconds).then((outcome) => {
            this.log.info('sampling interval change', { requested: seconds, ...outcome });
            if (outcome.outcome === 'applied')
                this.transport.setSilenceTimeout(this.silenceTimeoutMs(outcome.intervalS));
            return outcome;
        });
    }
    /**
     * Reads back what the sonde logged in [from, to] (UTC ms; needs `logToMemory`). Sampling pauses for the
     * menu session and the upload (`pausedMs`); rejects when the sonde is away or does not answer as expected.
     */
    async readLog(from, to) {
        const result = await this.session.readLog(from, to);
        this.log.info('sonde log read back', {
            from,
            to,
            readings: result.readings.length,
            rejected: result.rejected,
            bytes: result.bytes,
            uploadMs: result.uploadMs,
            pausedMs: result.pausedMs,
        });
        return result;
    }
    status() {
        const transport = this.transport.status();
        return {
            state: this.session.state,
            mode: this.mode,
            connected: transport.connected,
            path: this.options.path,
            serialNumber: this.session.serialNumber,
            intervalS: this.session.interval,
            columns: this.parser.columnKeys,
            readings: this.readings,
            rejected: { ...this.parser.rejected },
            overflows: this.parser.rejected.overflow ?? 0,
            lastReadingAt: this.lastReadingAt,
            reconnects: Math.max(0, transport.opens - 1),
            watchdogRestarts: this.session.watchdogRestarts,
            clockDriftMs: this.session.clockDriftMs,
            lastError: transport.lastError,
            openFailure: transport.openFailure,
        };
    }
    received(chunk, receivedAt) {
        const before = this.framer.overflows;
        const frames = this.framer.push(chunk, receivedAt);
        for (let i = before; i < this.framer.overflows; i++) {
            this.parser.reject('overflow');
            this.emit('rejected', { reason: 'overflow', raw: '', receivedAt });
        }
        for (const frame of frames)
            this.session.onFrame(frame);
    }
    silenceTimeoutMs(intervalS) {
        return (this.options.silenceTimeoutS ?? Math.max(30, 6 * intervalS)) * 1000;
    }
}
//# sourceMappingURL=sonde-driver.js.map