// A simulated YSI 6600 EDS, device side of the RS-232 line, independent of how bytes travel (a pty, or
// binding-mock in-process). It answers the `#` command line with echo, walks the menu screens, counts
// down "Stabilizing" with backspaces, prints header pages and CR LF data rows, dozes off when idle
// (the next bytes only wake it), and can inject faults. Every data row it prints is recorded: the
// oracle for tests that check that every reading arrived.

import type { DateFormat } from '../types.js';
import { FaultInjector, type FaultOptions } from './faults.js';
import { banner, CRLF, dataRow, headerBlock, menuScreen, PROMPT, screen, type MenuName } from './screens.js';
import { seededRandom } from '../../common/random.js';
import {
  DEFAULT_PARA_IDS,
  environmentAt,
  LEGACY_COLUMNS,
  simColumn,
  simKey,
  type Environment,
  type SimColumn,
} from './signals.js';
import { SondeClock } from './sonde-clock.js';
import { KermitSender } from '../kermit/sender.js';
import { PacedOutput } from './paced-output.js';
import { exportSondeLog, type LoggedRow } from './sonde-log.js';
import { parseShownSeconds, showSeconds, SondeMemory } from './sonde-memory.js';
import {
  DISCRETE_KEYS,
  FILE_MENU,
  LINE_BYTES_PER_S,
  LOG_FILE_NAME,
  MEMORY_BYTES,
  SONDE_KERMIT,
  UPLOAD_DIALOG,
} from '../sonde-guesses.js';

export type { FaultOptions } from './faults.js';

export interface SimulatorOptions {
  intervalS?: number;
  serialNumber?: string;
  /** Value columns as `para` ids, in report order (date and time come first). */
  paraIds?: number[];
  dateFormat?: DateFormat;
  /** Four-digit years (default); false prints two. */
  fourDigitYear?: boolean;
  /** Zone the sonde clock was set in. Default UTC. */
  timeZone?: string;
  /** Sonde clock minus true time, seconds. */
  clockOffsetS?: number;
  /** Idle seconds at the prompt before the sonde sleeps; 0 = never. */
  autoSleepS?: number;
  /** Rows per header page in `run`; 0 = no header (Setpage 0). */
  pageLength?: number;
  /** Length of the Stabilizing countdown before the first row, seconds. */
  stabilizeS?: number;
  /** Start streaming at once, as a sonde left in `run` (passive mode, legacy). */
  streaming?: boolean;
  /** Stream the original NetBEAMS layout: LF only, no prompt, no echo, input ignored. */
  legacy?: boolean;
  faults?: FaultOptions;
  seed?: number;
  /** Largest `Sinterval` the sonde accepts (the real limit is still to be checked on hardware). Default 86400. */
  maxIntervalS?: number;
  /** Site name written in the header of the exported log file. Default ''. */
  site?: string;
  /** If set, `(ESC ESC ENQ)` is ignored inside menus, so only the `0`/`y` route gets out. */
  menuIgnoresBreak?: boolean;
  /** A log file is open from power-on (named LOG_FILE_NAME): every row sampled is logged. Default false. */
  logging?: boolean;
  /** Log memory in bytes (default MEMORY_BYTES, a guess); a full memory stops logging. */
  memoryBytes?: number;
  /** Bytes per second of an upload, as the UART paces it (default 960: 9600 baud 8N1); 0 = as fast as it goes. */
  uploadBytesPerS?: number;
}

export interface SimulatedReading {
  sondeTime: string;
  /** Values by the keys the driver uses, as printed (rounded). */
  values: Record<string, number>;
  raw: string;
  /** The row was damaged on purpose (cut, lost character): it may not arrive. */
  damaged: boolean;
  /** False when the row left while no one was listening (cable unplugged): it cannot arrive. */
  delivered: boolean;
  /** The sonde logged the row to its memory (a file open, memory not full): a backfill can read it back. */
  logged?: boolean;
  emittedAt: number;
}

/** Where the simulator's bytes go; returns false when nothing is connected (the bytes are lost). */
export type ByteSink = (bytes: Buffer) => boolean;

type SondeState =
  'asleep' | 'prompt' | 'menu' | 'entry' | 'upload-wait' | 'uploading' | 'kermit' | 'yn' | 'stabilizing' | 'running';

/** A value being typed into a menu item (ends with CR). */
interface Entry {
  item: 'fileName' | 'start' | 'end';
  text: string;
}

const ESC = '\x1b';
const ENQ = '\x05';

export class SondeSimulator {
  readonly emitted: SimulatedReading[] = [];
  /** What the sonde logged to its memory (rows sampled with a file open, this sonde's since a swap). */
  readonly memory: SondeMemory;
  private entry: Entry | null = null;
  private uploadWindow = { start: 0, end: 0 };
  private uploadType: 'ascii' | 'binary' = 'ascii';
  /** The paced output of the upload in progress (ASCII text, or the sonde's Kermit packets). */
  private uploadOut: PacedOutput | null = null;
  private kermit: { sender: KermitSender; timer: NodeJS.Timeout | null } | null = null;
  /**
   * Bytes the sonde sent for the last upload: the text, header to end line, of an ASCII upload; every Kermit
   * packet (retransmissions included) of a binary one (benches: the floor of its duration).
   */
  lastUploadBytes = 0;
  /** The file the last binary upload sent (its `.dat` bytes, before Kermit's encoding). */
  lastUploadFile: Buffer | null = null;
  /** Every command line received at the prompt (for tests). */
  readonly commands: string[] = [];
  private state: SondeState = 'prompt';
  private menu: MenuName[] = [];
  private typed = '';
  private breakSeen = '';
  private intervalS: number;
  private readonly sondeClock: SondeClock;
  private readonly faults: FaultInjector;
  private serialNumber: string;
  private paraIds: number[];
  private columns: SimColumn[];
  private rowsOnPage = 0;
  private silentUntil = 0;
  private sampleTimer: NodeJS.Timeout | null = null;
  private sleepTimer: NodeJS.Timeout | null = null;
  private stabilizeTimers: NodeJS.Timeout[] = [];
  private sink: ByteSink = () => false;
  private readonly random: () => number;
  private readonly listeners: ((r: SimulatedReading) => void)[] = [];
  /** Called for the disconnect fault; the host unplugs for `seconds`. */
  onUnplug: ((seconds: number) => void) | null = null;

  constructor(private readonly options: SimulatorOptions = {}) {
    this.intervalS = options.intervalS ?? 1;
    this.serialNumber = options.serialNumber ?? '0167BF55';
    this.paraIds = options.paraIds ?? DEFAULT_PARA_IDS;
    this.columns = this.paraIds.map(simColumn);
    this.random = seededRandom(options.seed ?? 6600);
    const dateFormat = options.legacy ? 'ymd' : (options.dateFormat ?? 'mdy');
    const fourDigitYear = options.legacy || options.fourDigitYear !== false;
    this.sondeClock = new SondeClock(
      (options.clockOffsetS ?? 0) * 1000,
      options.timeZone ?? 'UTC',
      dateFormat,
      fourDigitYear,
    );
    this.faults = new FaultInjector(options.faults ?? {}, this.random);
    this.memory = new SondeMemory(options.memoryBytes ?? MEMORY_BYTES, this.paraIds.length);
    if (options.logging) {
      this.memory.fileName = LOG_FILE_NAME;
      this.memory.open = true;
    }
  }

  /** Connects the output side; bytes printed with no sink are lost, as on a cable nobody listens to. */
  attach(sink: ByteSink): void {
    this.sink = sink;
  }

  /** Powers the sonde on: banner and prompt, or straight into streaming. */
  start(): void {
    if (this.options.legacy || this.options.streaming) {
      this.startSampling(false);
      return;
    }
    this.print(CRLF + banner() + CRLF + PROMPT);
    this.enterPrompt();
  }

  stop(): void {
    this.stopSampling();
    this.endUpload();
    if (this.sleepTimer) clearTimeout(this.sleepTimer);
    this.sleepTimer = null;
  }

  onReading(listener: (r: SimulatedReading) => void): void {
    this.listeners.push(listener);
  }

  get currentState(): SondeState {
    return this.state;
  }

  get sampleIntervalS(): number {
    return this.intervalS;
  }

  /** Swaps the sonde for another (new serial number, other columns): the driver must notice. */
  swap(serialNumber: string, paraIds: number[]): void {
    this.serialNumber = serialNumber;
    this.paraIds = paraIds;
    this.columns = paraIds.map(simColumn);
    this.memory.clear(paraIds.length, this.options.logging === true);
  }

  /**
   * Fills the memory with what the sonde would have logged every `intervalS` in [fromMs, toMs) (benches and
   * tests of long windows). Returns the rows as printed (not delivered: nobody was listening).
   */
  logHistory(fromMs: number, toMs: number, intervalS: number): SimulatedReading[] {
    const rows: SimulatedReading[] = [];
    for (let t = fromMs; t < toMs; t += intervalS * 1000) {
      const { date, time } = this.clock(t);
      const { line, values, cells } = this.reportRow(date, time, environmentAt(t, this.random));
      if (!this.memory.log({ seconds: this.sondeClock.fileSeconds(t), values: cells })) break;
      rows.push({ sondeTime: `${date} ${time}`, values, raw: line, damaged: false, delivered: false, emittedAt: t });
    }
    return rows;
  }

  /** What this sonde logged (or the rows given), as its binary log file (PC6000 `.dat`). Not in legacy mode. */
  exportLogFile(rows: readonly LoggedRow[] = this.memory.rows): Buffer {
    if (this.options.legacy) throw new Error('the legacy NetBEAMS layout has no parameter ids to log');
    return exportSondeLog({
      serialNumber: this.serialNumber,
      site: this.options.site ?? '',
      intervalS: this.intervalS,
      paraIds: this.paraIds,
      rows,
    });
  }

  /** Bytes from the gateway. */
  receive(bytes: Buffer | string): void {
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    if (this.options.legacy) return;
    if (this.state === 'asleep') {
      // The bytes that wake the sonde are lost; it answers with a fresh prompt.
      this.print(CRLF + PROMPT);
      this.enterPrompt();
      return;
    }
    for (let i = 0; i < buffer.length; i++) {
      if (this.state === 'kermit') return this.kermitReceive(buffer.subarray(i));
      this.key(String.fromCharCode(buffer[i]!));
    }
  }

  private key(ch: string): void {
    if (this.isBreak(ch)) {
      if (this.state === 'menu' && this.options.menuIgnoresBreak) return;
      this.stopSampling();
      this.endUpload();
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
      case 'kermit': // (bytes go to the Kermit sender before they become keys)
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
  private isBreak(ch: string): boolean {
    if (ch === ESC || (ch === ENQ && this.breakSeen === ESC + ESC)) {
      this.breakSeen = ch === ENQ ? '' : (this.breakSeen + ch).slice(-2);
      return ch === ENQ;
    }
    this.breakSeen = '';
    return false;
  }

  private promptKey(ch: string): void {
    this.armAutoSleep();
    if (ch === '\n' || ch === ESC) return;
    if (ch === '\b' || ch === '\x7f') {
      if (this.typed.length > 0) this.print('\b \b');
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
    if (line !== '') this.commands.push(line);
    this.command(line);
  }

  private command(line: string): void {
    const [word = '', ...args] = line.split(/\s+/);
    const arg = args.join(' ');
    const reply = (text: string) => this.print(text + CRLF + PROMPT);
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
        if (arg !== '' && !this.sondeClock.set(arg, null)) return void reply('Invalid date');
        return void reply(this.clock().date);
      case 'time':
        if (arg !== '' && !this.sondeClock.set(null, arg)) return void reply('Invalid time');
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

  private menuKey(ch: string): void {
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
        if (this.memory.fileName !== '') this.memory.open = true;
        return this.redraw();
      case `main:${FILE_MENU.fromMain}`:
        return this.open('file');
      case `file:${FILE_MENU.directory}`:
        return this.open('directory');
      case `file:${FILE_MENU.upload}`:
        return this.open('upload-files');
      case 'upload-files:1':
        if (this.memory.rows.length === 0) return this.redraw();
        this.uploadWindow = { start: this.memory.rows[0]!.seconds, end: this.memory.rows.at(-1)!.seconds };
        return this.open('upload-window');
      case `upload-window:${UPLOAD_DIALOG.start}`:
        return this.startEntry('start');
      case `upload-window:${UPLOAD_DIALOG.end}`:
        return this.startEntry('end');
      case `upload-window:${UPLOAD_DIALOG.proceed}`:
        return this.open('upload-type');
      case `upload-type:${UPLOAD_DIALOG.asciiType}`:
      case `upload-type:${UPLOAD_DIALOG.binaryType}`:
        this.uploadType = ch === UPLOAD_DIALOG.binaryType ? 'binary' : 'ascii';
        return this.open('upload-protocol');
      case `upload-protocol:${UPLOAD_DIALOG.asciiProtocol}`:
        if (this.uploadType === 'binary') break; // a binary file goes over Kermit only (a guess)
        this.state = 'upload-wait';
        return void this.print(CRLF + UPLOAD_DIALOG.beginPrompt + CRLF);
      case `upload-protocol:${UPLOAD_DIALOG.kermitProtocol}`:
        return this.beginKermit();
    }
    this.redraw(); // other keys redraw
  }

  private open(menu: MenuName): void {
    this.menu.push(menu);
    this.redraw();
  }

  private redraw(): void {
    this.print(this.screenOf(this.menu.at(-1) ?? 'main'));
  }

  private screenOf(menu: MenuName): string {
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
        const show = (s: number) => showSeconds(s, this.dateFormat);
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

  private startEntry(item: Entry['item']): void {
    this.entry = { item, text: '' };
    this.state = 'entry';
  }

  /** Typing a value into a menu item: echoed; CR sets it (a value that does not parse is ignored) and redraws. */
  private entryKey(ch: string): void {
    const entry = this.entry!;
    if (ch !== '\r') {
      if (ch !== '\n') entry.text += ch;
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
    } else {
      const seconds = parseShownSeconds(text, this.dateFormat);
      if (seconds !== null) this.uploadWindow[entry.item] = seconds;
    }
    this.redraw();
  }

  /** An ASCII upload, paced as the UART sends it, then the File menu again. */
  private beginUpload(): void {
    this.state = 'uploading';
    const text = this.memory.upload(this.uploadWindow.start, this.uploadWindow.end, this.columns, this.dateFormat);
    const bytes = Buffer.from(text, 'latin1');
    this.lastUploadBytes = bytes.length;
    this.pacedUpload(() => this.uploadDone()).write(bytes);
  }

  /**
   * A Kermit upload: the sonde sends the window's rows as a PC6000 file (or the ASCII text, if that type was
   * chosen), paced as the UART sends it; each packet waits for the host's ACK (SONDE_KERMIT's guesses).
   */
  private beginKermit(): void {
    this.state = 'kermit';
    const { start, end } = this.uploadWindow;
    const file =
      this.uploadType === 'binary'
        ? this.exportLogFile(this.memory.window(start, end))
        : Buffer.from(this.memory.upload(start, end, this.columns, this.dateFormat), 'latin1');
    this.lastUploadFile = file;
    const sender = new KermitSender(this.memory.fileName + SONDE_KERMIT.fileSuffix, file, {
      init: { maxl: SONDE_KERMIT.maxl, time: SONDE_KERMIT.timeS, qbin: SONDE_KERMIT.qbin },
      maxRetries: SONDE_KERMIT.maxRetries,
    });
    const out = this.pacedUpload();
    this.kermit = { sender, timer: null };
    this.kermitSend(out, [sender.start()]);
  }

  private kermitReceive(bytes: Buffer): void {
    const kermit = this.kermit;
    if (!kermit || !this.uploadOut) return;
    if (bytes.includes(ESC + ESC + ENQ, 0, 'latin1')) {
      // A break ends the transfer (a guess: the host's E packet is Kermit's own way, and works too).
      this.endUpload();
      this.print(CRLF + PROMPT);
      return this.enterPrompt();
    }
    this.kermitSend(this.uploadOut, kermit.sender.receive(bytes));
  }

  /** Sends the sender's packets, then waits for the answer (or its timeout), or ends the upload. */
  private kermitSend(out: PacedOutput, packets: Buffer[]): void {
    const kermit = this.kermit!;
    for (const p of packets) out.write(p);
    this.lastUploadBytes = out.written;
    if (kermit.timer) clearTimeout(kermit.timer);
    kermit.timer = null;
    if (kermit.sender.done || kermit.sender.failed) {
      this.kermit = null;
      return out.whenDrained(() => this.uploadDone()); // after the last packet has left: the File menu again
    }
    kermit.timer = setTimeout(() => {
      if (this.kermit === kermit) this.kermitSend(out, kermit.sender.timeout());
    }, kermit.sender.timeoutS * 1000);
  }

  /** The upload's output at the UART's pace; `drained` when all of it has left. */
  private pacedUpload(drained?: () => void): PacedOutput {
    this.uploadOut = new PacedOutput(
      (b) => void this.sink(b),
      this.options.uploadBytesPerS ?? LINE_BYTES_PER_S,
      drained ?? (() => undefined),
    );
    return this.uploadOut;
  }

  private uploadDone(): void {
    this.uploadOut = null;
    this.menu = ['main', 'file'];
    this.state = 'menu';
    this.redraw();
  }

  /** Stops an upload in progress (power off, a break). */
  private endUpload(): void {
    this.uploadOut?.stop();
    this.uploadOut = null;
    if (this.kermit?.timer) clearTimeout(this.kermit.timer);
    this.kermit = null;
  }

  private ynKey(ch: string): void {
    if (ch === 'y' || ch === 'Y') {
      this.print(ch + CRLF + PROMPT);
      this.enterPrompt();
    } else if (ch === 'n' || ch === 'N') {
      this.menu = ['main'];
      this.state = 'menu';
      this.print(ch);
      this.redraw();
    }
  }

  private enterPrompt(): void {
    this.state = 'prompt';
    this.menu = [];
    this.typed = '';
    this.armAutoSleep();
  }

  private armAutoSleep(): void {
    this.disarmAutoSleep();
    const after = this.options.autoSleepS ?? 0;
    if (after > 0) {
      this.sleepTimer = setTimeout(() => {
        if (this.state === 'prompt') this.state = 'asleep';
      }, after * 1000);
    }
  }

  private disarmAutoSleep(): void {
    if (this.sleepTimer) clearTimeout(this.sleepTimer);
    this.sleepTimer = null;
  }

  private startSampling(countdown: boolean): void {
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
      const timer = setTimeout(
        () => {
          if (this.state !== 'stabilizing') return;
          this.print('\b \b' + (i < steps ? String(steps - i) : ''));
          if (i === steps) {
            this.print(CRLF);
            this.state = 'running';
            this.scheduleRow();
          }
        },
        (stabilizeMs * i) / steps,
      );
      this.stabilizeTimers.push(timer);
    }
  }

  private stopSampling(): void {
    if (this.sampleTimer) clearTimeout(this.sampleTimer);
    this.sampleTimer = null;
    for (const t of this.stabilizeTimers) clearTimeout(t);
    this.stabilizeTimers = [];
    this.silentUntil = 0;
  }

  private scheduleRow(): void {
    this.sampleTimer = setTimeout(() => {
      this.sampleTimer = null;
      if (this.state !== 'running') return;
      this.emitRow();
      this.scheduleRow();
    }, this.intervalS * 1000);
  }

  private emitRow(): void {
    const now = Date.now();
    if (now < this.silentUntil) return;
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
    const logged =
      !this.options.legacy && this.memory.log({ seconds: this.sondeClock.fileSeconds(now), values: cells });
    const garbage = this.faults.garbage();
    if (garbage !== null) this.print(garbage + CRLF);
    const { printed, damaged } = this.faults.damage(line);
    const delivered = this.print(this.headerIfDue() + printed + (this.options.legacy ? '\n' : CRLF));
    const reading: SimulatedReading = {
      sondeTime: `${date} ${time}`,
      values,
      raw: line,
      damaged,
      delivered,
      logged,
      emittedAt: now,
    };
    this.emitted.push(reading);
    for (const listener of this.listeners) listener(reading);
  }

  private headerIfDue(): string {
    const pageLength = this.options.pageLength ?? 0;
    if (this.options.legacy || pageLength <= 0) return '';
    const due = this.rowsOnPage % pageLength === 0;
    this.rowsOnPage++;
    return due ? headerBlock(dateUnit(this.dateFormat), this.columns) : '';
  }

  private reportRow(
    date: string,
    time: string,
    env: Environment,
  ): { line: string; values: Record<string, number>; cells: number[] } {
    const values: Record<string, number> = {};
    const texts = this.columns.map((c) => {
      const text = c.value(env).toFixed(c.decimals);
      values[simKey(c.id)] = Number(text);
      return text;
    });
    return { line: dataRow(date, time, texts), values, cells: texts.map(Number) };
  }

  private print(text: string): boolean {
    return this.sink(Buffer.from(text, 'latin1'));
  }

  private get dateFormat(): DateFormat {
    return this.sondeClock.dateFormat;
  }

  /** The sonde clock as it prints it. */
  clock(at: number = Date.now()): { date: string; time: string } {
    return this.sondeClock.show(at);
  }
}

function dateId(format: DateFormat): number {
  return { dmy: 51, mdy: 52, ymd: 53 }[format];
}

function dateUnit(format: DateFormat): string {
  return { dmy: 'd/m/y', mdy: 'm/d/y', ymd: 'y/m/d' }[format];
}

/** The original simulator's line: timestamp, then each value preceded by three spaces. */
function legacyRow(
  date: string,
  time: string,
  env: Environment,
): { line: string; values: Record<string, number>; cells: number[] } {
  const values: Record<string, number> = {};
  const cells = LEGACY_COLUMNS.map((c) => {
    const text = c.value(env).toFixed(c.decimals);
    values[c.key] = Number(text);
    return '   ' + text;
  });
  return { line: `${date} ${time}${cells.join('')}`, values, cells: [] };
}
