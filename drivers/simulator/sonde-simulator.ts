// A simulated YSI 6600 EDS, device side of the RS-232 line, independent of how bytes travel (a pty, or
// binding-mock in-process). It answers the `#` command line with echo, walks the menu screens, counts
// down "Stabilizing" with backspaces, prints header pages and CR LF data rows, dozes off when idle
// (the next bytes only wake it), and can inject faults. Every data row it prints is recorded: the
// oracle for tests that check that every reading arrived.

import type { DateFormat } from '../types.js';
import {
  banner,
  CRLF,
  dataRow,
  headerBlock,
  menuScreen,
  PROMPT,
  type MenuName,
} from './screens.js';
import {
  DEFAULT_PARA_IDS,
  environmentAt,
  LEGACY_COLUMNS,
  seededRandom,
  simColumn,
  simKey,
  type Environment,
  type SimColumn,
} from './signals.js';

/** Probabilities per data row (0..1), plus how long a silence lasts. */
export interface FaultOptions {
  /** A line of random bytes before the row. */
  garbage?: number;
  /** The row is cut short. */
  cut?: number;
  /** One character of the row is lost. */
  drop?: number;
  /** The sonde prints nothing for silenceS seconds (it still answers the keyboard). */
  silence?: number;
  silenceS?: number;
  /** The cable is unplugged for disconnectS seconds (needs a host that can do it). */
  disconnect?: number;
  disconnectS?: number;
}

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
  /** If set, `(ESC ESC ENQ)` is ignored inside menus, so only the `0`/`y` route gets out. */
  menuIgnoresBreak?: boolean;
}

export interface SimulatedReading {
  sondeTime: string;
  /** Values by the keys the driver uses, as printed (rounded). */
  values: Record<string, number>;
  raw: string;
  /** The row was damaged on purpose (cut, lost character): it may not arrive. */
  damaged: boolean;
  /** The row left while no one was listening (cable unplugged). */
  delivered: boolean;
  emittedAt: number;
}

/** Where the simulator's bytes go; returns false when nothing is connected (the bytes are lost). */
export type ByteSink = (bytes: Buffer) => boolean;

type SondeState = 'asleep' | 'prompt' | 'menu' | 'yn' | 'stabilizing' | 'running';

const ESC = '\x1b';
const ENQ = '\x05';

export class SondeSimulator {
  readonly emitted: SimulatedReading[] = [];
  /** Every command line received at the prompt (for tests). */
  readonly commands: string[] = [];
  private state: SondeState = 'prompt';
  private menu: MenuName[] = [];
  private typed = '';
  private breakSeen = '';
  private intervalS: number;
  private clockOffsetMs: number;
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
    this.clockOffsetMs = (options.clockOffsetS ?? 0) * 1000;
    this.serialNumber = options.serialNumber ?? '0167BF55';
    this.paraIds = options.paraIds ?? DEFAULT_PARA_IDS;
    this.columns = this.paraIds.map(simColumn);
    this.random = seededRandom(options.seed ?? 6600);
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
  }

  /** Bytes from the gateway. */
  receive(bytes: Buffer | string): void {
    const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
    if (this.options.legacy) return;
    if (this.state === 'asleep') {
      // The bytes that wake the sonde are lost; it answers with a fresh prompt.
      this.print(CRLF + PROMPT);
      this.enterPrompt();
      return;
    }
    for (const ch of text) this.key(ch);
  }

  private key(ch: string): void {
    if (this.isBreak(ch)) {
      if (this.state === 'menu' && this.options.menuIgnoresBreak) return;
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
          if (!Number.isFinite(value) || value < 0.1 || value > (this.options.maxIntervalS ?? 86_400)) return void reply('Invalid value');
          this.intervalS = value;
        }
        return void reply(String(this.intervalS));
      }
      case 'date':
        if (arg !== '' && !this.setClock(arg, null)) return void reply('Invalid date');
        return void reply(this.clock().date);
      case 'time':
        if (arg !== '' && !this.setClock(null, arg)) return void reply('Invalid time');
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
        return void this.print(menuScreen('main', this.intervalS));
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
      return void this.print(menuScreen(this.menu.at(-1)!, this.intervalS));
    }
    const next: Partial<Record<MenuName, MenuName>> = { main: 'run', run: 'discrete' };
    if (ch === '1' && current === 'discrete') return this.startSampling(true);
    if (ch === '1' && next[current]) {
      this.menu.push(next[current]!);
      return void this.print(menuScreen(next[current]!, this.intervalS));
    }
    this.print(menuScreen(current, this.intervalS)); // other keys redraw
  }

  private ynKey(ch: string): void {
    if (ch === 'y' || ch === 'Y') {
      this.print(ch + CRLF + PROMPT);
      this.enterPrompt();
    } else if (ch === 'n' || ch === 'N') {
      this.menu = ['main'];
      this.state = 'menu';
      this.print(ch + menuScreen('main', this.intervalS));
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
      const timer = setTimeout(() => {
        if (this.state !== 'stabilizing') return;
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
    const faults = this.options.faults ?? {};
    if (this.chance(faults.silence)) {
      this.silentUntil = now + (faults.silenceS ?? 4 * this.intervalS) * 1000;
      return;
    }
    if (this.chance(faults.disconnect) && this.onUnplug) {
      this.onUnplug(faults.disconnectS ?? 1);
      return;
    }
    const { date, time } = this.clock();
    const env = environmentAt(now, this.random);
    const { line, values } = this.options.legacy ? legacyRow(date, time, env) : this.reportRow(date, time, env);
    let printed = line;
    let damaged = false;
    if (this.chance(faults.garbage)) this.print(this.garbage() + CRLF);
    if (this.chance(faults.cut)) {
      printed = line.slice(0, Math.max(1, Math.floor(this.random() * (line.length - 1))));
      damaged = true;
    } else if (this.chance(faults.drop)) {
      const at = Math.floor(this.random() * line.length);
      printed = line.slice(0, at) + line.slice(at + 1);
      damaged = true;
    }
    const header = this.headerIfDue();
    const delivered = this.print(header + printed + (this.options.legacy ? '\n' : CRLF));
    const reading: SimulatedReading = { sondeTime: `${date} ${time}`, values, raw: line, damaged, delivered, emittedAt: now };
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

  private reportRow(date: string, time: string, env: Environment): { line: string; values: Record<string, number> } {
    const values: Record<string, number> = {};
    const cells = this.columns.map((c) => {
      const text = c.value(env).toFixed(c.decimals);
      values[simKey(c.id)] = Number(text);
      return text;
    });
    return { line: dataRow(date, time, cells), values };
  }

  private garbage(): string {
    const length = 3 + Math.floor(this.random() * 20);
    return Array.from({ length }, () => String.fromCharCode(0x80 + Math.floor(this.random() * 0x7f))).join('');
  }

  private chance(p: number | undefined): boolean {
    return p !== undefined && p > 0 && this.random() < p;
  }

  private print(text: string): boolean {
    return this.sink(Buffer.from(text, 'latin1'));
  }

  private get dateFormat(): DateFormat {
    return this.options.legacy ? 'ymd' : (this.options.dateFormat ?? 'mdy');
  }

  /** The sonde clock as it prints it. */
  clock(at: number = Date.now()): { date: string; time: string } {
    const parts = wallClock(at + this.clockOffsetMs, this.options.timeZone ?? 'UTC');
    const year = this.options.fourDigitYear === false && !this.options.legacy ? parts.year.slice(2) : parts.year;
    const order = { mdy: [parts.month, parts.day, year], dmy: [parts.day, parts.month, year], ymd: [year, parts.month, parts.day] };
    return { date: order[this.dateFormat].join('/'), time: `${parts.hour}:${parts.minute}:${parts.second}` };
  }

  /** `date` / `time` with an argument: moves the sonde clock so that it now shows that. */
  private setClock(date: string | null, time: string | null): boolean {
    const now = this.clock();
    const d = (date ?? now.date).split('/').map(Number);
    const t = (time ?? now.time).split(':').map(Number);
    if (d.length !== 3 || t.length !== 3 || [...d, ...t].some((n) => !Number.isInteger(n))) return false;
    const [a, b, c] = d as [number, number, number];
    const ymd = { mdy: [c, a, b], dmy: [c, b, a], ymd: [a, b, c] }[this.dateFormat];
    const year = ymd[0]! < 100 ? 2000 + ymd[0]! : ymd[0]!;
    const shown = Date.UTC(year, ymd[1]! - 1, ymd[2], t[0], t[1], t[2]);
    const actual = Date.UTC(...(wallParts(Date.now(), this.options.timeZone ?? 'UTC') as [number, number, number, number, number, number]));
    this.clockOffsetMs = shown - actual;
    return true;
  }
}

function dateId(format: DateFormat): number {
  return { dmy: 51, mdy: 52, ymd: 53 }[format];
}

function dateUnit(format: DateFormat): string {
  return { dmy: 'd/m/y', mdy: 'm/d/y', ymd: 'y/m/d' }[format];
}

/** The original simulator's line: timestamp, then each value preceded by three spaces. */
function legacyRow(date: string, time: string, env: Environment): { line: string; values: Record<string, number> } {
  const values: Record<string, number> = {};
  const cells = LEGACY_COLUMNS.map((c) => {
    const text = c.value(env).toFixed(c.decimals);
    values[c.key] = Number(text);
    return '   ' + text;
  });
  return { line: `${date} ${time}${cells.join('')}`, values };
}

const clockFormatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(at: number, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  let f = clockFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    clockFormatters.set(timeZone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(at))) if (p.type !== 'literal') out[p.type] = p.value;
  return out as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;
}

/** Year, month index, day, hours, minutes, seconds of the wall clock in a zone (for Date.UTC). */
function wallParts(at: number, timeZone: string): number[] {
  const p = wallClock(at, timeZone);
  return [Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)];
}
