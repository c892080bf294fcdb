// A simulated YSI 6600 EDS, device side of the RS-232 line, independent of how bytes travel (a pty, or
// binding-mock in-process). It answers the `#` command line with echo, walks the menu screens, counts
// down "Stabilizing" with backspaces, prints header pages and CR LF data rows, dozes off when idle
// (the next bytes only wake it), and can inject faults. Every data row it prints is recorded: the
// oracle for tests that check that every reading arrived.
import { FaultInjector } from './faults.js';
import { banner, CRLF, dataRow, headerBlock, menuScreen, PROMPT, screen } from './screens.js';
import { seededRandom } from '../../common/random.js';
import { DEFAULT_PARA_IDS, environmentAt, LEGACY_COLUMNS, simColumn, simKey, } from './signals.js';
import { SondeClock } from './sonde-clock.js';
import { exportSondeLog } from './sonde-log.js';
import { parseShownSeconds, showSeconds, SondeMemory } from './sonde-memory.js';
import { DISCRETE_KEYS, FILE_MENU, LINE_BYTES_PER_S, LOG_FILE_NAME, MEMORY_BYTES, UPLOAD_DIALOG, } from '../sonde-guesses.js';
const ESC = '\x1b';
const ENQ = '\x05';
export class SondeSimulator {
    options;
    emitted = [];
    /** What the sonde logged to its memory (rows sampled with a file open, this sonde's since a swap). */
    memory;
    entry = null;
    uploadWindow = { start: 0, end: 0 };
    uploadTimer = null;
    /** Bytes of the last upload's text, header to end line (benches: the floor of its duration). */
    lastUploadBytes = 0;
    /** Every command line received at the prompt (for tests). */
    commands = [];
    state = 'prompt';
    menu = [];
    typed = '';
    breakSeen = '';
    intervalS;
    sondeClock;
    faults;
    serialNumber;
    paraIds;
    columns;
    rowsOnPage = 0;
    silentUntil = 0;
    sampleTimer = null;
    sleepTimer = null;
    stabilizeTimers = [];
    sink = () => false;
    random;
    listeners = [];
    /** Called for the disconnect fault; the host unplugs for `seconds`. */
    onUnplug = null;
    constructor(options = {}) {
        this.options = options;
        this.intervalS = options.intervalS ?? 1;
        this.serialNumber = options.serialNumber ?? '0167BF55';
        this.paraIds = options.paraIds ?? DEFAULT_PARA_IDS;
        this.columns = this.paraIds.map(simColumn);
        this.random = seededRandom(options.seed ?? 6600);
        const dateFormat = options.legacy ? 'ymd' : (options.dateFormat ?? 'mdy');
        const fourDigitYear = options.legacy || options.fourDigitYear !== false;
        this.sondeClock = new SondeClock((options.clockOffsetS ?? 0) * 1000, options.timeZone ?? 'UTC', dateFormat, fourDigitYear);
        this.faults = new FaultInjector(options.faults ?? {}, this.random);
        this.memory = new SondeMemory(options.memoryBytes ?? MEMORY_BYTES, this.paraIds.length);
        if (options.logging) {
            this.memory.fileName = LOG_FILE_NAME;
            this.memory.open = true;
        }
    }
    /** Connects the output side; bytes printed with no sink are lost, as on a cable nobody listens to. */
    attach(sink) {
        this.sink = sink;
    }
    /** Powers the sonde on: banner and prompt, or straight into streaming. */
    start() {
        if (this.options.legacy || this.options.streaming) {
            this.startSampling(false);
            return;
        }
        this.print(CRLF + banner() + CRLF + PROMPT);
        this.enterPrompt();
    }
    stop() {
        this.stopSampling();
        if (this.uploadTimer)
            clearTimeout(this.uploadTimer);
        this.uploadTimer = null;
        if (this.sleepTimer)
            clearTimeout(this.sleepTimer);
        this.sleepTimer = null;
    }
    onReading(listener) {
        this.listeners.push(listener);
    }
    get currentState() {
        return this.state;
    }
    get sampleIntervalS() {
        return this.intervalS;
    }
    /** Swaps the sonde for another (new serial number, other columns): the driver must notice. */
    swap(serialNumber, paraIds) {
        this.serialNumber = serialNumber;
        this.paraIds = paraIds;
        this.columns = paraIds.map(simColumn);
        this.memory.clear(paraIds.length, this.options.logging === true);
    }
    /**
     * Fills the memory with what the sonde would have logged every `intervalS` in [fromMs, toMs) (benches and
     * tests of long windows). Returns the rows as printed (not delivered: nobody was listening).
     */
    logHistory(fromMs, toMs, intervalS) {
        const rows = [];
        for (let t = fromMs; t < toMs; t += intervalS * 1000) {
            const { date, time } = this.clock(t);
            const { line, values, cells } = this.reportRow(date, time, environmentAt(t, this.random));
            if (!this.memory.log({ seconds: this.sondeClock.fileSeconds(t), values: cells }))
                break;
            rows.push({ sondeTime: `${date} ${time}`, values, raw: line, damaged: false, delivered: false, emittedAt: t });
        }
        return rows;
    }
    /** What this sonde logged, as its binary log file (PC6000 `.dat`). Not in legacy mode (no para ids). */
    exportLogFile() {
        if (this.options.legacy)
            throw new Error('the legacy NetBEAMS layout has no parameter ids to log');
        return exportSondeLog({
            serialNumber: this.serialNumber,
            site: this.options.site ?? '',
            intervalS: this.intervalS,
            paraIds: this.paraIds,
            rows: this.memory.rows,
        });
    }
    /** Bytes from the gateway. */
    receive(bytes) {
        const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
        if (this.options.legacy)
            return;
        if (this.state === 'asleep') {
            // The bytes that wake the sonde are lost; it answers with a fresh prompt.
            this.print(CRLF + PROMPT);
            this.enterPrompt();
            return;
        }
        for (const ch of text)
            this.key(ch);
    }
    key(ch) {
        if (this.isBreak(ch)) {
            if (this.state === 'menu' && this.options.menuIgnoresBreak)
                return;
            this.stopSampling();
            this.print(CRLF + PROMPT);
            this.enterPrompt();
            return;
        }
        switch (this.state) {
            case 'prompt':
                return this.promptKey(ch);
            case 'menu':
                return this.menuKey(ch);
            case 'yn':
                return this.ynKey(ch);
            case 'entry':
                return this.entryKey(ch);
            case 'upload-wait':
                return this.beginUpload();
            case 'uploading':
                return; // the sonde talks; what the host types is lost
            case 'stabilizing':
            case 'running':
                if (ch === '0') {
                    this.stopSampling();
                    this.print(CRLF + PROMPT);
                    this.enterPrompt();
                }
                return;
        }
    }
    /** ESC ESC ENQ, seen across chunks. */
    isBreak(ch) {
        if (ch === ESC || (ch === ENQ && this.breakSeen === ESC + ESC)) {
            this.breakSeen = ch === ENQ ? '' : (this.breakSeen + ch).slice(-2);
            return ch === ENQ;
        }
        this.breakSeen = '';
        return false;
    }
    promptKey(ch) {
        this.armAutoSleep();
        if (ch === '\n' || ch === ESC)
            return;
        if (ch === '\b' || ch === '\x7f') {
            if (this.typed.length > 0)
                this.print('\b \b');
            this.typed = this.typed.slice(0, -1);
            return;
        }
        if (ch !== '\r') {
            this.typed += ch;
            this.print(ch); // echo
            return;
        }
        const line = this.typed.trim();
        this.typed = '';
        this.print(CRLF);
        if (line !== '')
            this.commands.push(line);
        this.command(line);
    }
    command(line) {
        const [word = '', ...args] = line.split(/\s+/);
        const arg = args.join(' ');
        const reply = (text) => this.print(text + CRLF + PROMPT);
        switch (word.toLowerCase()) {
            case '':
                return void this.print(PROMPT);
            case 'sn':
                return void reply(this.serialNumber);
            case 'para':
                return void reply([dateId(this.dateFormat), 54, ...this.paraIds].join(' '));
            case 'sinterval': {
                if (arg !== '') {
                    const value = Number(arg);
                    if (!Number.isFinite(value) || value < 0.1 || value > (this.options.maxIntervalS ?? 86_400))
                        return void reply('Invalid value');
                    this.intervalS = value;
                }
                return void reply(String(this.intervalS));
            }
            case 'date':
                if (arg !== '' && !this.sondeClock.set(arg, null))
                    return void reply('Invalid date');
                return void reply(this.clock().date);
            case 'time':
                if (arg !== '' && !this.sondeClock.set(null, arg))
                    return void reply('Invalid time');
                return void reply(this.clock().time);
            case 'setpage':
            case 'setid':
            case 'flton':
                return void reply(arg || '0');
            case 'run':
                return this.startSampling(true);
            case 'menu':
                this.menu = ['main'];
                this.state = 'menu';
                this.disarmAutoSleep();
                return this.redraw();
            case 'reset':
                return void reply('OK' + CRLF + banner());
            default:
                return void reply('?');
        }
    }
    menuKey(ch) {
        const current = this.menu.at(-1) ?? 'main';
        if (ch === '0') {
            this.menu.pop();
            if (this.menu.length === 0) {
                this.state = 'yn';
                return void this.print(CRLF + 'Exit menu (Y/N)?');
            }
            return this.redraw();
        }
        const key = `${current}:${ch}`;
        switch (key) {
            case `main:${DISCRETE_KEYS.fromMain[0]}`:
                return this.open('run');
            case `run:${DISCRETE_KEYS.fromMain[1]}`:
                return this.open('discrete');
            case `discrete:${DISCRETE_KEYS.start}`:
                return this.startSampling(true);
            case `discrete:${DISCRETE_KEYS.fileName}`:
                return this.startEntry('fileName');
            case `discrete:${DISCRETE_KEYS.openFile}`:
                if (this.memory.fileName !== '')
                    this.memory.open = true;
                return this.redraw();
            case `main:${FILE_MENU.fromMain}`:
                return this.open('file');
            case `file:${FILE_MENU.directory}`:
                return this.open('directory');
            case `file:${FILE_MENU.upload}`:
                return this.open('upload-files');
            case 'upload-files:1':
                if (this.memory.rows.length === 0)
                    return this.redraw();
                this.uploadWindow = { start: this.memory.rows[0].seconds, end: this.memory.rows.at(-1).seconds };
                return this.open('upload-window');
            case `upload-window:${UPLOAD_DIALOG.start}`:
                return this.startEntry('start');
            case `upload-window:${UPLOAD_DIALOG.end}`:
                return this.startEntry('end');
            case `upload-window:${UPLOAD_DIALOG.proceed}`:
                return this.open('upload-type');
            case `upload-type:${UPLOAD_DIALOG.asciiType}`:
                return this.open('upload-protocol');
            case `upload-protocol:${UPLOAD_DIALOG.asciiProtocol}`:
                this.state = 'upload-wait';
                return void this.print(CRLF + UPLOAD_DIALOG.beginPrompt + CRLF);
        }
        this.redraw(); // other keys redraw
    }
    open(menu) {
        this.menu.push(menu);
        this.redraw();
    }
    redraw() {
        this.print(this.screenOf(this.menu.at(-1) ?? 'main'));
    }
    screenOf(menu) {
        const files = () => this.memory.directory(this.dateFormat);
        switch (menu) {
            case 'main':
            case 'run':
            case 'discrete':
                return menuScreen(menu, this.intervalS, this.memory.fileName);
            case 'file':
                return screen([FILE_MENU.title, ...FILE_MENU.items]);
            case 'directory':
            case 'upload-files':
                return screen([FILE_MENU.title, ...files()]);
            case 'upload-window': {
                const show = (s) => showSeconds(s, this.dateFormat);
                return screen([
                    UPLOAD_DIALOG.windowTitle,
                    `${UPLOAD_DIALOG.proceed}-Proceed`,
                    `${UPLOAD_DIALOG.start}-Start=${show(this.uploadWindow.start)}`,
                    `${UPLOAD_DIALOG.end}-End=${show(this.uploadWindow.end)}`,
                ]);
            }
            case 'upload-type':
                return screen([UPLOAD_DIALOG.typeTitle, ...UPLOAD_DIALOG.types]);
            case 'upload-protocol':
                return screen([UPLOAD_DIALOG.protocolTitle, ...UPLOAD_DIALOG.protocols]);
        }
    }
    startEntry(item) {
        this.entry = { item, text: '' };
        this.state = 'entry';
    }
    /** Typing a value into a menu item: echoed; CR sets it (a value that does not parse is ignored) and redraws. */
    entryKey(ch) {
        const entry = this.entry;
        if (ch !== '\r') {
            if (ch !== '\n')
                entry.text += ch;
            return void this.print(ch);
        }
        this.entry = null;
        this.state = 'menu';
        const text = entry.text.trim();
        if (entry.item === 'fileName') {
            if (text !== '' && text !== this.memory.fileName) {
                this.memory.fileName = text.slice(0, 8);
                this.memory.open = false; // another file: it must be opened
            }
        }
        else {
            const seconds = parseShownSeconds(text, this.dateFormat);
            if (seconds !== null)
                this.uploadWindow[entry.item] = seconds;
        }
        this.redraw();
    }
    /** An ASCII upload, paced as the UART sends it, then the File menu again. */
    beginUpload() {
        this.state = 'uploading';
        const text = this.memory.upload(this.uploadWindow.start, this.uploadWindow.end, this.columns, this.dateFormat);
        const bytes = Buffer.from(text, 'latin1');
        this.lastUploadBytes = bytes.length;
        const rate = this.options.uploadBytesPerS ?? LINE_BYTES_PER_S;
        const done = () => {
            this.uploadTimer = null;
            this.menu = ['main', 'file'];
            this.state = 'menu';
            this.redraw();
        };
        if (rate <= 0) {
            this.sink(bytes);
            return done();
        }
        const started = Date.now();
        let sent = 0;
        const tick = () => {
            if (this.state !== 'uploading')
                return;
            const due = Math.min(bytes.length, Math.floor(((Date.now() - started) * rate) / 1000));
            if (due > sent)
                this.sink(bytes.subarray(sent, due));
            sent = Math.max(sent, due);
            if (sent >= bytes.length)
                return done();
            this.uploadTimer = setTimeout(tick, 20);
        };
        tick();
    }
    ynKey(ch) {
        if (ch === 'y' || ch === 'Y') {
            this.print(ch + CRLF + PROMPT);
            this.enterPrompt();
        }
        else if (ch === 'n' || ch === 'N') {
            this.menu = ['main'];
            this.state = 'menu';
            this.print(ch);
            this.redraw();
        }
    }
    enterPrompt() {
        this.state = 'prompt';
        this.menu = [];
        this.typed = '';
        this.armAutoSleep();
    }
    armAutoSleep() {
        this.disarmAutoSleep();
        const after = this.options.autoSleepS ?? 0;
        if (after > 0) {
            this.sleepTimer = setTimeout(() => {
                if (this.state === 'prompt')
                    this.state = 'asleep';
            }, after * 1000);
        }
    }
    disarmAutoSleep() {
        if (this.sleepTimer)
            clearTimeout(this.sleepTimer);
        this.sleepTimer = null;
    }
    startSampling(countdown) {
        this.disarmAutoSleep();
        this.rowsOnPage = 0;
        const stabilizeMs = countdown && !this.options.legacy ? (this.options.stabilizeS ?? 0) * 1000 : 0;
        if (stabilizeMs <= 0) {
            this.state = 'running';
            this.scheduleRow();
            return;
        }
        this.state = 'stabilizing';
        const steps = 4;
        this.print('Stabilizing ' + steps);
        for (let i = 1; i <= steps; i++) {
            const timer = setTimeout(() => {
                if (this.state !== 'stabilizing')
                    return;
                this.print('\b \b' + (i < steps ? String(steps - i) : ''));
                if (i === steps) {
                    this.print(CRLF);
                    this.state = 'running';
                    this.scheduleRow();
                }
            }, (stabilizeMs * i) / steps);
            this.stabilizeTimers.push(timer);
        }
    }
    stopSampling() {
        if (this.sampleTimer)
            clearTimeout(this.sampleTimer);
        this.sampleTimer = null;
        for (const t of this.stabilizeTimers)
            clearTimeout(t);
        this.stabilizeTimers = [];
        this.silentUntil = 0;
    }
    scheduleRow() {
        this.sampleTimer = setTimeout(() => {
            this.sampleTimer = null;
            if (this.state !== 'running')
                return;
            this.emitRow();
            this.scheduleRow();
        }, this.intervalS * 1000);
    }
    emitRow() {
        const now = Date.now();
        if (now < this.silentUntil)
            return;
        const instead = this.faults.instead();
        if (instead?.kind === 'silence') {
            this.silentUntil = now + (instead.seconds ?? 4 * this.intervalS) * 1000;
            return;
        }
        if (instead?.kind === 'disconnect' && this.onUnplug) {
            this.onUnplug(instead.seconds);
            return;
        }
        const { date, time } = this.clock();
        const env = environmentAt(now, this.random);
        const { line, values, cells } = this.options.legacy ? legacyRow(date, time, env) : this.reportRow(date, time, env);
        if (!this.options.legacy)
            this.memory.log({ seconds: this.sondeClock.fileSeconds(now), values: cells });
        const garbage = this.faults.garbage();
        if (garbage !== null)
            this.print(garbage + CRLF);
        const { printed, damaged } = this.faults.damage(line);
        const delivered = this.print(this.headerIfDue() + printed + (this.options.legacy ? '\n' : CRLF));
        const reading = {
            sondeTime: `${date} ${time}`,
            values,
            raw: line,
            damaged,
            delivered,
            emittedAt: now,
        };
        this.emitted.push(reading);
        for (const listener of this.listeners)
            listener(reading);
    }
    headerIfDue() {
        const pageLength = this.options.pageLength ?? 0;
        if (this.options.legacy || pageLength <= 0)
            return '';
        const due = this.rowsOnPage % pageLength === 0;
        this.rowsOnPage++;
        return due ? headerBlock(dateUnit(this.dateFormat), this.columns) : '';
    }
    reportRow(date, time, env) {
        const values = {};
        const texts = this.columns.map((c) => {
            const text = c.value(env).toFixed(c.decimals);
            values[simKey(c.id)] = Number(text);
            return text;
        });
        return { line: dataRow(date, time, texts), values, cells: texts.map(Number) };
    }
    print(text) {
        return this.sink(Buffer.from(text, 'latin1'));
    }
    get dateFormat() {
        return this.sondeClock.dateFormat;
    }
    /** The sonde clock as it prints it. */
    clock(at = Date.now()) {
        return this.sondeClock.show(at);
    }
}
function dateId(format) {
    return { dmy: 51, mdy: 52, ymd: 53 }[format];
}
function dateUnit(format) {
    return { dmy: 'd/m/y', mdy: 'm/d/y', ymd: 'y/m/d' }[format];
}
/** The original simulator's line: timestamp, then each value preceded by three spaces. */
function legacyRow(date, time, env) {
    const values = {};
    const cells = LEGACY_COLUMNS.map((c) => {
        const text = c.value(env).toFixed(c.decimals);
        values[c.key] = Number(text);
        return '   ' + text;
    });
    return { line: `${date} ${time}${cells.join('')}`, values, cells: [] };
}
//# sourceMappingURL=sonde-simulator.js.map