// The conversation with the sonde's `#` command line, and what to do with the lines it prints.
//
// Active mode, after every (re)connect: wake it (CR LF), reach `#` from whatever screen it is on
// (ESC ESC ENQ, then the `0`/`y` route out of menus), identify it (`sn`; a new serial number means a
// swapped sonde, so the columns are bound afresh), bind columns (`para`), set the interval (`Sinterval`),
// check its clock (`date`, `time`; drift is reported), and start `run`. While streaming, a watchdog
// restarts that setup when no reading came for 3 intervals. Passive mode sends nothing at all.
//
// One operation talks to the sonde at a time (a promise queue): the setup, an interval change, a stop.
//
// A sonde may already be streaming when the port opens (the gateway restarted, the sonde did not). Its
// rows are never thrown away for want of a column map: rows that fit the remembered binding of the last
// session are adopted at once (no break-in, so sampling goes on; the binding is verified at the next
// break-in or header block), and otherwise they wait (bounded) until `para` or a header binds them.
import { EventEmitter } from 'node:events';
import { columnKeys, columnsFromPara, parseParaReply } from './columns.js';
import { rowFitsBinding } from './remembered-binding.js';
import { DISCRETE_KEYS, LOG_FILE_NAME } from './sonde-guesses.js';
import { parseSondeDate, parseSondeTime, wallClockToUtc } from './sonde-time.js';
import { listsAFile, parseUpload, uploadSteps } from './sonde-upload.js';
export const MIN_INTERVAL_S = 0.1;
export const MAX_INTERVAL_S = 86_400;
/** Readings missing for this many intervals restart sampling. */
const WATCHDOG_INTERVALS = 3;
/** Rows held while no column map is known; beyond this the oldest is rejected as `unbound`. */
export const MAX_HELD_ROWS = 200;
/** Rows that do not fit the remembered binding before it is given up (the first may be cut: the port opened mid-row). */
const MISFITS_BEFORE_BREAK_IN = 2;
const BREAK = '\x1b\x1b\x05';
const CRLF = '\r\n';
/** The connection went away while an operation was talking to the sonde. */
class ConnectionLost extends Error {
}
export class SondeSession extends EventEmitter {
    parser;
    options;
    currentState = 'idle';
    write = null;
    generation = 0;
    queue = Promise.resolve();
    waiter = null;
    watchdog = null;
    lastReadingAt = 0;
    runSentAt = 0;
    intervalS;
    /** The last session's binding (state file, or this process's previous connection). */
    remembered = null;
    /** Data rows that arrived before any binding, with their arrival times. */
    held = [];
    /** Data rows seen (read, rejected or held). */
    dataRows = 0;
    /** From a connect until the first break-in: rows that fit `remembered` are adopted. */
    mayAdopt = false;
    misfits = 0;
    adopted = false;
    /** The CR LF wake-up is in progress: arriving rows end it early. */
    waking = false;
    bindingsSeen = 0;
    serialNumber = null;
    clockDriftMs = null;
    watchdogRestarts = 0;
    constructor(parser, options) {
        super();
        this.parser = parser;
        this.options = options;
        this.intervalS = options.intervalS;
    }
    get state() {
        return this.currentState;
    }
    get interval() {
        return this.intervalS;
    }
    /** The port is open: `write` reaches the sonde until disconnected(). */
    connected(write) {
        this.generation++;
        this.write = write;
        if (this.options.mode === 'passive') {
            this.setState('passive');
            return;
        }
        if (this.options.layout === 'auto') {
            // Whatever streams in may come from another sonde (swapped while unplugged): the old binding is only
            // a candidate to adopt until this sonde confirms it.
            this.parser.unbind();
            this.bindingsSeen = this.parser.bindings;
            const r = this.remembered;
            this.mayAdopt = r !== null && r.intervalS === this.intervalS;
        }
        this.misfits = 0;
        this.adopted = false;
        this.scheduleSetup();
    }
    disconnected() {
        this.generation++;
        this.write = null;
        this.stopWatchdog();
        this.finishWaiter(null);
        this.mayAdopt = false;
        this.rejectHeld();
        this.setState('disconnected');
    }
    /** Stops sampling (active mode: one break, best effort, so the sonde can go back to sleep) and goes idle. */
    async stop() {
        const write = this.write;
        this.generation++; // operations in flight end at their next step
        this.write = null;
        this.stopWatchdog();
        this.finishWaiter(null);
        this.mayAdopt = false;
        this.rejectHeld();
        if (write && this.options.mode === 'active')
            await write(BREAK + CRLF);
        this.setState('idle');
    }
    /** One frame from the framer. */
    onFrame(frame) {
        if (frame.kind === 'prompt') {
            if (this.waiter && this.waiter.prompts.includes(frame.prompt) && this.waiter.ready())
                this.finishWaiter(frame.prompt);
            else if (!this.waiter &&
                this.currentState === 'streaming' &&
                frame.prompt === '#' &&
                this.sinceRunMs() > this.options.commandTimeoutMs) {
                // The sonde left `run` on its own (reset, power blip): set it up again.
                this.options.logger.warn('sonde returned to its prompt while streaming; restarting');
                this.scheduleSetup();
            }
            return;
        }
        if (this.waiter) {
            this.waiter.lines.push(frame.text);
            if (this.waiter.idle)
                this.waiter.timer.refresh();
            // Rows still streaming in while we break out of `run` are data all the same.
            if (this.currentState !== 'waking')
                return;
        }
        this.parseLine(frame.text, frame.receivedAt);
    }
    setSamplingInterval(seconds) {
        const current = (reason) => ({
            outcome: 'rejected',
            ...(reason ? { reason } : {}),
            intervalS: this.intervalS,
        });
        if (!Number.isFinite(seconds) || seconds < MIN_INTERVAL_S || seconds > MAX_INTERVAL_S) {
            return Promise.resolve(current(`interval must be a number of seconds in [${MIN_INTERVAL_S}, ${MAX_INTERVAL_S}]`));
        }
        if (this.options.mode === 'passive')
            return Promise.resolve(current('passive mode sends nothing to the sonde'));
        if (!this.write) {
            // Stored: every session setup sends Sinterval, so it takes effect when the sonde is back.
            this.intervalS = seconds;
            return Promise.resolve({ outcome: 'applied', intervalS: seconds });
        }
        return this.enqueue(async () => {
            if ((await this.reachPrompt()) !== 'prompt') {
                this.emit('unresponsive', 'no prompt from the sonde');
                return current('the sonde did not answer');
            }
            // An adopted binding is checked now that we are at the prompt anyway.
            if (this.parser.bindingSource === 'remembered')
                await this.identifyAndBind();
            const answer = await this.setSondeInterval(seconds);
            const applied = answer.value !== null && Math.abs(answer.value - seconds) < 1e-6;
            if (applied)
                this.intervalS = seconds;
            await this.startRun();
            this.rememberBinding();
            return applied
                ? { outcome: 'applied', intervalS: seconds }
                : current(`the sonde answered ${JSON.stringify(answer.text)}`);
        }).catch(() => current('the sonde was disconnected'));
    }
    /**
     * Reads back what the sonde logged in [from, to] (UTC ms) over its File menu: breaks in (sampling stops),
     * uploads the window as ASCII, and starts sampling again. Rejects when the sonde is not connected, does not
     * answer as expected, or the line drops meanwhile.
     */
    readLog(from, to) {
        if (this.options.mode === 'passive')
            return Promise.reject(new Error('passive mode sends nothing to the sonde'));
        if (!this.write)
            return Promise.reject(new Error('the sonde is not connected'));
        return this.enqueue(async () => {
            const pausedAt = Date.now();
            // A streaming sonde ignores the CR LF wake-up: break in at once.
            if ((await this.reachPrompt(this.currentState === 'streaming')) !== 'prompt') {
                this.emit('unresponsive', 'no prompt from the sonde');
                throw new Error('the sonde did not answer');
            }
            this.setState('configuring');
            const lines = [];
            let uploadMs = 0;
            let atFileMenu = false;
            try {
                if ((await this.exchange('menu' + CRLF, ['menu'])) !== 'menu')
                    throw new Error('no menu from the sonde');
                for (const step of uploadSteps(from, to, this.options.timeZone, this.parser.dateOrder)) {
                    const reply = [];
                    const startedAt = Date.now();
                    const prompt = await this.exchange(step.keys, ['menu'], reply, () => true, step.upload === true);
                    if (prompt !== 'menu')
                        throw new Error(`no menu prompt after ${JSON.stringify(step.keys)}`);
                    if (step.upload) {
                        lines.push(...reply);
                        uploadMs = Date.now() - startedAt;
                    }
                    if (step.fileList && !listsAFile(reply))
                        break; // nothing logged: no file to select
                }
                atFileMenu = true;
            }
            finally {
                await this.leaveMenuAndRun(atFileMenu);
            }
            const parsed = parseUpload(lines, { ...this.options, dateFormat: this.parser.dateOrder, from, to });
            const bytes = lines.reduce((sum, l) => sum + l.length + 2, 0);
            return { ...parsed, bytes, uploadMs, pausedMs: Date.now() - pausedAt };
        });
    }
    /**
     * After a menu session: sampling again. From the File menu straight to the Discrete sample menu when
     * logging; otherwise (or after a surprise) back to the prompt first.
     */
    async leaveMenuAndRun(atFileMenu) {
        if (this.write === null)
            return;
        if (atFileMenu && this.options.logToMemory && (await this.exchange('0', ['menu'])) === 'menu') {
            if (await this.openLogFile(false))
                return this.streamingAgain();
        }
        if ((await this.reachPrompt(true)) === 'prompt')
            await this.startRun();
    }
    parseLine(text, receivedAt) {
        const result = this.parser.inspect(text, receivedAt);
        if (result.kind === 'rejected' && result.reason === 'unbound' && this.options.layout === 'auto')
            this.hold(text, receivedAt);
        else
            this.deliver(text, receivedAt, this.parser.count(result));
        if (this.parser.bindings !== this.bindingsSeen && this.parser.bindingSource === 'header') {
            this.options.logger.info('columns bound from a header block', { columns: this.parser.columnKeys });
            this.onBound();
        }
    }
    deliver(text, receivedAt, result) {
        if (result.kind === 'reading') {
            this.dataRows++;
            this.lastReadingAt = Date.now();
            this.emit('reading', { ...result.reading, receivedAt });
        }
        else if (result.kind === 'rejected') {
            this.dataRows++;
            this.emit('rejected', { reason: result.reason, raw: text, receivedAt });
        }
    }
    /** A data row before any binding: kept for the binding to come; may be the row that lets us adopt one. */
    hold(text, receivedAt) {
        this.dataRows++;
        this.held.push({ text, receivedAt });
        if (this.held.length > MAX_HELD_ROWS)
            this.rejectUnbound(this.held.shift());
        const r = this.remembered;
        if (this.mayAdopt && r) {
            const fits = rowFitsBinding(text, r.columns, {
                timeZone: this.options.timeZone,
                dateFormat: this.options.dateFormat,
            });
            if (fits)
                return this.adopt(r);
            this.misfits++;
        }
        // The sonde streams and its rows cannot be adopted: stop waiting for a prompt that will not come.
        if (this.waking && (!this.mayAdopt || this.misfits >= MISFITS_BEFORE_BREAK_IN))
            this.finishWaiter(null);
    }
    /** Takes over a stream whose rows fit the remembered binding: no break-in, sampling goes on. */
    adopt(r) {
        this.mayAdopt = false;
        this.adopted = true;
        this.parser.bind(r.columns, 'remembered');
        this.serialNumber = r.serialNumber;
        this.options.logger.info('sonde already streaming rows that fit the remembered binding; adopting the stream', {
            serialNumber: r.serialNumber,
            columns: this.parser.columnKeys,
            heldRows: this.held.length,
        });
        this.onBound();
        if (this.waking)
            this.finishWaiter(null);
    }
    /** The parser was bound: the rows that waited for it are parsed now, with their arrival times. */
    onBound() {
        this.bindingsSeen = this.parser.bindings;
        const held = this.held;
        this.held = [];
        for (const row of held)
            this.deliver(row.text, row.receivedAt, this.parser.parse(row.text, row.receivedAt));
        if (this.parser.bindingSource === 'header')
            this.rememberBinding();
    }
    rejectHeld() {
        const held = this.held;
        this.held = [];
        for (const row of held)
            this.rejectUnbound(row);
    }
    rejectUnbound(row) {
        this.parser.reject('unbound');
        this.emit('rejected', { reason: 'unbound', raw: row.text, receivedAt: row.receivedAt });
    }
    /** Offers the binding in force (from `para` or a header) for the next start. */
    rememberBinding() {
        const columns = this.parser.boundColumns;
        const source = this.parser.bindingSource;
        if (this.options.layout !== 'auto' || !columns || (source !== 'para' && source !== 'header'))
            return;
        this.remembered = { serialNumber: this.serialNumber, intervalS: this.intervalS, columns };
        this.emit('remember', this.remembered);
    }
    /** Queues the setup (enqueue logs its failures; an aborted setup just ends). */
    scheduleSetup() {
        this.enqueue(() => this.setup()).catch(() => undefined);
    }
    enqueue(operation) {
        const generation = this.generation;
        const run = this.queue.then(() => {
            if (generation !== this.generation)
                throw new ConnectionLost();
            return operation();
        });
        this.queue = run.catch((err) => {
            if (!(err instanceof ConnectionLost))
                this.options.logger.error('sonde operation failed', { err });
        });
        return run;
    }
    /** Wake, identify, bind, configure, check the clock, run (or adopt a stream that is already running). */
    async setup() {
        this.stopWatchdog();
        const reached = await this.reachPrompt();
        if (reached === 'adopted') {
            this.adopted = false; // once per connect: later break-ins must reach the prompt
            this.lastReadingAt = Date.now();
            this.setState('streaming');
            this.startWatchdog();
            return;
        }
        if (reached === null) {
            this.options.logger.warn('sonde does not answer; reopening the port');
            this.emit('unresponsive', 'no prompt from the sonde');
            return;
        }
        this.setState('configuring');
        await this.identifyAndBind();
        const answer = await this.setSondeInterval(this.intervalS);
        if (answer.value !== this.intervalS)
            this.options.logger.warn('sonde did not take the interval', { wanted: this.intervalS, answer: answer.text });
        await this.checkClock();
        await this.startRun();
        this.rememberBinding();
    }
    /** `sn`, then `para`: a new serial number means a swapped sonde; an adopted binding is checked here. */
    async identifyAndBind() {
        const sn = (await this.query('sn'))[0] ?? null;
        const known = this.serialNumber ?? this.remembered?.serialNumber ?? null;
        const adopted = this.parser.bindingSource === 'remembered' ? this.parser.columnKeys : null;
        if (sn !== null && known !== null && sn !== known) {
            this.options.logger.warn('a different sonde is connected; binding its columns afresh', { was: known, now: sn });
            this.parser.unbind();
        }
        if (sn !== null)
            this.serialNumber = sn;
        if (this.options.layout !== 'auto')
            return;
        await this.bindFromPara(sn);
        if (adopted && this.parser.bindingSource === 'para' && adopted.join(' ') !== this.parser.columnKeys.join(' ')) {
            this.options.logger.warn("the adopted binding was not the sonde's; rebound from para", {
                adopted,
                now: this.parser.columnKeys,
            });
        }
    }
    async bindFromPara(sn) {
        for (const line of await this.query('para')) {
            const ids = parseParaReply(line);
            if (ids) {
                this.parser.bind(columnsFromPara(ids), 'para');
                this.options.logger.info('columns bound from para', { ids, columns: this.parser.columnKeys });
                this.onBound();
                return;
            }
        }
        const r = this.remembered;
        if (!this.parser.boundColumns && r && sn !== null && sn === r.serialNumber) {
            // Same sonde as last time: its columns have not changed without a break-in of ours.
            this.parser.bind(r.columns, 'remembered');
            this.options.logger.warn('no para reply; using the remembered columns of this sonde', {
                columns: columnKeys(r.columns),
            });
            this.onBound();
            return;
        }
        this.options.logger.warn('no para reply; waiting for a header block to bind the columns');
    }
    /** Sends `Sinterval n`; the sonde answers with the interval now in force. */
    async setSondeInterval(seconds) {
        const text = (await this.query(`Sinterval ${seconds}`))[0] ?? '';
        const value = Number(text);
        return { value: text !== '' && Number.isFinite(value) ? value : null, text };
    }
    async checkClock() {
        const [dateText] = await this.query('date');
        const [timeText] = await this.query('time');
        const askedAt = Date.now();
        if (dateText === undefined || timeText === undefined)
            return;
        const time = parseSondeTime(timeText);
        // `date` prints in the sonde's date order, the one its para/header date column names.
        const date = parseSondeDate(dateText, this.parser.dateOrder);
        if (!time || !date)
            return;
        this.clockDriftMs = wallClockToUtc({ ...date, ...time }, this.options.timeZone) - askedAt;
        this.options.logger.info('sonde clock checked', {
            sondeDate: dateText,
            sondeTime: timeText,
            driftMs: this.clockDriftMs,
        });
    }
    /** Time since `run` was sent: a late prompt from the exchange before it is no sign of a reset. */
    sinceRunMs() {
        return Date.now() - this.runSentAt;
    }
    async startRun() {
        if (!(this.options.logToMemory && (await this.openLogFile(true))))
            await this.send('run' + CRLF);
        this.streamingAgain();
    }
    streamingAgain() {
        this.runSentAt = Date.now();
        this.lastReadingAt = Date.now();
        this.setState('streaming');
        this.startWatchdog();
    }
    /**
     * From the prompt: Discrete sample menu, File= our file, Open file, then Start sampling (rows stream, and the
     * sonde logs them). False, back at the prompt, when a screen does not come (then `run` streams unlogged).
     */
    async openLogFile(fromPrompt) {
        const steps = [
            ...(fromPrompt ? ['menu' + CRLF] : []),
            ...DISCRETE_KEYS.fromMain,
            DISCRETE_KEYS.fileName + LOG_FILE_NAME + '\r',
            DISCRETE_KEYS.openFile,
        ];
        for (const keys of steps) {
            if ((await this.exchange(keys, ['menu'])) !== 'menu') {
                this.options.logger.warn('the sonde menu did not answer as expected; streaming without logging', { keys });
                if ((await this.backOutOfMenus()) !== 'prompt')
                    throw new Error('no prompt from the sonde');
                return false;
            }
        }
        await this.send(DISCRETE_KEYS.start);
        return true;
    }
    /**
     * Gets to the `#` prompt from anywhere: 'prompt', or 'adopted' when the sonde turned out to stream rows
     * that fit the remembered binding (only after a connect), or null when it never answers.
     */
    async reachPrompt(skipWake = false) {
        this.stopWatchdog();
        this.setState('waking');
        const woke = skipWake ? null : await this.wake();
        if (woke !== null)
            return woke;
        this.mayAdopt = false; // a break stops the stream: what still arrives waits for `para`
        for (let i = 0; i < 3; i++) {
            if ((await this.exchange(BREAK + CRLF, ['#'])) === '#')
                return 'prompt';
        }
        return this.backOutOfMenus();
    }
    /** Out of menus and questions: `0` backs out one screen, `y` confirms leaving. */
    async backOutOfMenus() {
        for (let i = 0; i < 10; i++) {
            const prompt = await this.exchange('0', ['#', 'yn', 'menu']);
            if (prompt === '#')
                return 'prompt';
            if (prompt === 'yn' && (await this.exchange('y', ['#'])) === '#')
                return 'prompt';
        }
        return null;
    }
    /** CR LF wakes a sleeping sonde. A streaming one ignores it; its rows end the wait (adopted, or a break is due). */
    async wake() {
        this.waking = true;
        try {
            for (let i = 0; i < 2; i++) {
                if (this.adopted)
                    return 'adopted';
                if (this.held.length > 0 && !this.mayAdopt)
                    return null; // rows wait for a binding only `para` can give
                const before = this.dataRows;
                if ((await this.exchange(CRLF, ['#'])) === '#')
                    return 'prompt';
                if (this.adopted)
                    return 'adopted';
                if (this.dataRows > before && !this.mayAdopt)
                    return null; // it is streaming: only a break stops it
            }
            return null;
        }
        finally {
            this.waking = false;
        }
    }
    /** Sends a command and returns its reply lines (without the echo). */
    async query(command) {
        const lines = [];
        const echo = command.toLowerCase();
        await this.exchange(command + CRLF, ['#'], lines, () => lines.length > 0);
        return lines.filter((l) => l.trim().toLowerCase() !== echo).map((l) => l.trim());
    }
    /**
     * Writes `data` and waits for one of `prompts`. With `ready`, a prompt counts only once the reply has
     * begun, so a stale prompt from an earlier wake-up does not end the wait early.
     */
    async exchange(data, prompts, lines = [], ready = () => true, idle = false) {
        const generation = this.generation;
        const reply = new Promise((resolve) => {
            this.finishWaiter(null);
            const timer = setTimeout(() => this.finishWaiter(null), this.options.commandTimeoutMs);
            this.waiter = { lines, prompts, ready, resolve, timer, idle };
        });
        if (!(await this.send(data)))
            this.finishWaiter(null);
        const prompt = await reply;
        if (generation !== this.generation)
            throw new ConnectionLost();
        return prompt;
    }
    async send(data) {
        const write = this.write;
        if (!write)
            throw new ConnectionLost();
        return write(data);
    }
    finishWaiter(prompt) {
        const waiter = this.waiter;
        if (!waiter)
            return;
        this.waiter = null;
        clearTimeout(waiter.timer);
        waiter.resolve(prompt);
    }
    startWatchdog() {
        this.stopWatchdog();
        const periodMs = this.intervalS * 1000;
        this.watchdog = setInterval(() => {
            if (this.currentState !== 'streaming')
                return;
            const silentFor = Date.now() - this.lastReadingAt;
            if (silentFor <= WATCHDOG_INTERVALS * periodMs + this.options.commandTimeoutMs)
                return;
            this.watchdogRestarts++;
            this.options.logger.warn('no reading for 3 intervals; restarting sampling', { silentForMs: silentFor });
            this.stopWatchdog();
            this.scheduleSetup();
        }, Math.max(50, periodMs));
    }
    stopWatchdog() {
        if (this.watchdog)
            clearInterval(this.watchdog);
        this.watchdog = null;
    }
    setState(state) {
        if (state === this.currentState)
            return;
        this.currentState = state;
        this.emit('state', state);
    }
}
//# sourceMappingURL=session.js.map