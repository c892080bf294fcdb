// The conversation with the sonde's `#` command line, and what to do with the lines it prints.
//
// Active mode, after every (re)connect: wake it (CR LF), reach `#` from whatever screen it is on
// (ESC ESC ENQ, then the `0`/`y` route out of menus), identify it (`sn`; a new serial number means a
// swapped sonde, so the columns are bound afresh), bind columns (`para`), set the interval (`Sinterval`),
// check its clock (`date`, `time`; drift is reported), and start `run`. While streaming, a watchdog
// restarts that setup when no reading came for 3 intervals. Passive mode sends nothing at all.
//
// One operation talks to the sonde at a time (a promise queue): the setup, an interval change, a stop.

import { EventEmitter } from 'node:events';
import type { Logger } from '../common/log.js';
import { columnsFromPara, parseParaReply } from './columns.js';
import type { Frame, PromptKind } from './framer.js';
import type { SondeParser } from './parser.js';
import { parseSondeDate, parseSondeTime, wallClockToUtc } from './sonde-time.js';
import type { DriverMode, DriverReading, DriverState, IntervalOutcome, LayoutName, RejectedLine } from './types.js';

export interface SessionOptions {
  mode: DriverMode;
  layout: LayoutName;
  intervalS: number;
  timeZone: string;
  /** Wait for the prompt after a command or wake-up. */
  commandTimeoutMs: number;
  logger: Logger;
}

export interface SessionEvents {
  state: [DriverState];
  reading: [DriverReading];
  rejected: [RejectedLine];
  /** The sonde does not answer at all: the transport should drop and reopen the port. */
  unresponsive: [reason: string];
}

export const MIN_INTERVAL_S = 0.1;
export const MAX_INTERVAL_S = 86_400;
/** Readings missing for this many intervals restart sampling. */
const WATCHDOG_INTERVALS = 3;

const BREAK = '\x1b\x1b\x05';
const CRLF = '\r\n';

/** The connection went away while an operation was talking to the sonde. */
class ConnectionLost extends Error {}

interface Waiter {
  lines: string[];
  /** Resolve on one of these prompts, once `ready()` says the reply has started. */
  prompts: PromptKind[];
  ready: () => boolean;
  resolve: (prompt: PromptKind | null) => void;
  timer: NodeJS.Timeout;
}

export class SondeSession extends EventEmitter<SessionEvents> {
  private currentState: DriverState = 'idle';
  private write: ((data: string) => Promise<boolean>) | null = null;
  private generation = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private waiter: Waiter | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private lastReadingAt = 0;
  private runSentAt = 0;
  private intervalS: number;
  serialNumber: string | null = null;
  clockDriftMs: number | null = null;
  watchdogRestarts = 0;

  constructor(
    private readonly parser: SondeParser,
    private readonly options: SessionOptions,
  ) {
    super();
    this.intervalS = options.intervalS;
  }

  get state(): DriverState {
    return this.currentState;
  }

  get interval(): number {
    return this.intervalS;
  }

  /** The port is open: `write` reaches the sonde until disconnected(). */
  connected(write: (data: string) => Promise<boolean>): void {
    this.generation++;
    this.write = write;
    if (this.options.mode === 'passive') {
      this.setState('passive');
      return;
    }
    this.scheduleSetup();
  }

  disconnected(): void {
    this.generation++;
    this.write = null;
    this.stopWatchdog();
    this.finishWaiter(null);
    this.setState('disconnected');
  }

  /** Stops sampling (active mode: one break, best effort, so the sonde can go back to sleep) and goes idle. */
  async stop(): Promise<void> {
    const write = this.write;
    this.generation++; // operations in flight end at their next step
    this.write = null;
    this.stopWatchdog();
    this.finishWaiter(null);
    if (write && this.options.mode === 'active') await write(BREAK + CRLF);
    this.setState('idle');
  }

  /** One frame from the framer. */
  onFrame(frame: Frame): void {
    if (frame.kind === 'prompt') {
      if (this.waiter && this.waiter.prompts.includes(frame.prompt) && this.waiter.ready()) this.finishWaiter(frame.prompt);
      else if (!this.waiter && this.currentState === 'streaming' && frame.prompt === '#' && this.sinceRunMs() > this.options.commandTimeoutMs) {
        // The sonde left `run` on its own (reset, power blip): set it up again.
        this.options.logger.warn('sonde returned to its prompt while streaming; restarting');
        this.scheduleSetup();
      }
      return;
    }
    if (this.waiter) {
      this.waiter.lines.push(frame.text);
      // Rows still streaming in while we break out of `run` are data all the same.
      if (this.currentState !== 'waking') return;
    }
    this.parseLine(frame.text, frame.receivedAt);
  }

  setSamplingInterval(seconds: number): Promise<IntervalOutcome> {
    const current = (reason?: string): IntervalOutcome => ({
      outcome: 'rejected',
      ...(reason ? { reason } : {}),
      intervalS: this.intervalS,
    });
    if (!Number.isFinite(seconds) || seconds < MIN_INTERVAL_S || seconds > MAX_INTERVAL_S) {
      return Promise.resolve(current(`interval must be a number of seconds in [${MIN_INTERVAL_S}, ${MAX_INTERVAL_S}]`));
    }
    if (this.options.mode === 'passive') return Promise.resolve(current('passive mode sends nothing to the sonde'));
    if (!this.write) {
      // Stored: every session setup sends Sinterval, so it takes effect when the sonde is back.
      this.intervalS = seconds;
      return Promise.resolve({ outcome: 'applied', intervalS: seconds });
    }
    return this.enqueue(async () => {
      if (!(await this.reachPrompt())) {
        this.emit('unresponsive', 'no prompt from the sonde');
        return current('the sonde did not answer');
      }
      const answer = await this.setSondeInterval(seconds);
      const applied = answer.value !== null && Math.abs(answer.value - seconds) < 1e-6;
      if (applied) this.intervalS = seconds;
      await this.startRun();
      return applied ? { outcome: 'applied' as const, intervalS: seconds } : current(`the sonde answered ${JSON.stringify(answer.text)}`);
    }).catch(() => current('the sonde was disconnected'));
  }

  private parseLine(text: string, receivedAt: number): void {
    const result = this.parser.parse(text, receivedAt);
    if (result.kind === 'reading') {
      this.lastReadingAt = Date.now();
      this.emit('reading', { ...result.reading, receivedAt });
    } else if (result.kind === 'rejected') {
      this.emit('rejected', { reason: result.reason, raw: text, receivedAt });
    }
  }

  /** Queues the setup (enqueue logs its failures; an aborted setup just ends). */
  private scheduleSetup(): void {
    this.enqueue(() => this.setup()).catch(() => undefined);
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const generation = this.generation;
    const run = this.queue.then(() => {
      if (generation !== this.generation) throw new ConnectionLost();
      return operation();
    });
    this.queue = run.catch((err: unknown) => {
      if (!(err instanceof ConnectionLost)) this.options.logger.error('sonde operation failed', { err });
    });
    return run;
  }

  /** Wake, identify, bind, configure, check the clock, run. */
  private async setup(): Promise<void> {
    this.stopWatchdog();
    if (!(await this.reachPrompt())) {
      this.options.logger.warn('sonde does not answer; reopening the port');
      this.emit('unresponsive', 'no prompt from the sonde');
      return;
    }
    this.setState('configuring');
    const sn = (await this.query('sn'))[0] ?? null;
    if (sn !== null && this.serialNumber !== null && sn !== this.serialNumber) {
      this.options.logger.warn('a different sonde is connected; binding its columns afresh', { was: this.serialNumber, now: sn });
      this.parser.unbind();
    }
    if (sn !== null) this.serialNumber = sn;
    if (this.options.layout === 'auto') await this.bindFromPara();
    const answer = await this.setSondeInterval(this.intervalS);
    if (answer.value !== this.intervalS) this.options.logger.warn('sonde did not take the interval', { wanted: this.intervalS, answer: answer.text });
    await this.checkClock();
    await this.startRun();
  }

  private async bindFromPara(): Promise<void> {
    for (const line of await this.query('para')) {
      const ids = parseParaReply(line);
      if (ids) {
        this.parser.bind(columnsFromPara(ids), 'para');
        this.options.logger.info('columns bound from para', { ids, columns: this.parser.columnKeys });
        return;
      }
    }
    this.options.logger.warn('no para reply; waiting for a header block to bind the columns');
  }

  /** Sends `Sinterval n`; the sonde answers with the interval now in force. */
  private async setSondeInterval(seconds: number): Promise<{ value: number | null; text: string }> {
    const text = (await this.query(`Sinterval ${seconds}`))[0] ?? '';
    const value = Number(text);
    return { value: text !== '' && Number.isFinite(value) ? value : null, text };
  }

  private async checkClock(): Promise<void> {
    const [dateText] = await this.query('date');
    const [timeText] = await this.query('time');
    const askedAt = Date.now();
    if (dateText === undefined || timeText === undefined) return;
    const time = parseSondeTime(timeText);
    // `date` prints in the sonde's date order, the one its para/header date column names.
    const date = parseSondeDate(dateText, this.parser.dateOrder);
    if (!time || !date) return;
    this.clockDriftMs = wallClockToUtc({ ...date, ...time }, this.options.timeZone) - askedAt;
    this.options.logger.info('sonde clock checked', { sondeDate: dateText, sondeTime: timeText, driftMs: this.clockDriftMs });
  }

  /** Time since `run` was sent: a late prompt from the exchange before it is no sign of a reset. */
  private sinceRunMs(): number {
    return Date.now() - this.runSentAt;
  }

  private async startRun(): Promise<void> {
    await this.send('run' + CRLF);
    this.runSentAt = Date.now();
    this.lastReadingAt = Date.now();
    this.setState('streaming');
    this.startWatchdog();
  }

  /** Gets to the `#` prompt from anywhere. False when the sonde never answers. */
  private async reachPrompt(): Promise<boolean> {
    this.stopWatchdog();
    this.setState('waking');
    for (let i = 0; i < 2; i++) {
      const readingsBefore = this.parser.readings;
      if ((await this.exchange(CRLF, ['#'])) === '#') return true;
      if (this.parser.readings > readingsBefore) break; // it is streaming: only a break stops it
    }
    for (let i = 0; i < 3; i++) {
      if ((await this.exchange(BREAK + CRLF, ['#'])) === '#') return true;
    }
    // Out of menus and questions: `0` backs out one screen, `y` confirms leaving.
    for (let i = 0; i < 10; i++) {
      const prompt = await this.exchange('0', ['#', 'yn', 'menu']);
      if (prompt === '#') return true;
      if (prompt === 'yn' && (await this.exchange('y', ['#'])) === '#') return true;
    }
    return false;
  }

  /** Sends a command and returns its reply lines (without the echo). */
  private async query(command: string): Promise<string[]> {
    const lines: string[] = [];
    const echo = command.toLowerCase();
    await this.exchange(command + CRLF, ['#'], lines, () => lines.length > 0);
    return lines.filter((l) => l.trim().toLowerCase() !== echo).map((l) => l.trim());
  }

  /**
   * Writes `data` and waits for one of `prompts`. With `ready`, a prompt counts only once the reply has
   * begun, so a stale prompt from an earlier wake-up does not end the wait early.
   */
  private async exchange(data: string, prompts: PromptKind[], lines: string[] = [], ready: () => boolean = () => true): Promise<PromptKind | null> {
    const generation = this.generation;
    const reply = new Promise<PromptKind | null>((resolve) => {
      this.finishWaiter(null);
      const timer = setTimeout(() => this.finishWaiter(null), this.options.commandTimeoutMs);
      this.waiter = { lines, prompts, ready, resolve, timer };
    });
    if (!(await this.send(data))) this.finishWaiter(null);
    const prompt = await reply;
    if (generation !== this.generation) throw new ConnectionLost();
    return prompt;
  }

  private async send(data: string): Promise<boolean> {
    const write = this.write;
    if (!write) throw new ConnectionLost();
    return write(data);
  }

  private finishWaiter(prompt: PromptKind | null): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = null;
    clearTimeout(waiter.timer);
    waiter.resolve(prompt);
  }

  private startWatchdog(): void {
    this.stopWatchdog();
    const periodMs = this.intervalS * 1000;
    this.watchdog = setInterval(() => {
      if (this.currentState !== 'streaming') return;
      const silentFor = Date.now() - this.lastReadingAt;
      if (silentFor <= WATCHDOG_INTERVALS * periodMs + this.options.commandTimeoutMs) return;
      this.watchdogRestarts++;
      this.options.logger.warn('no reading for 3 intervals; restarting sampling', { silentForMs: silentFor });
      this.stopWatchdog();
      this.scheduleSetup();
    }, Math.max(50, periodMs));
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  private setState(state: DriverState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.emit('state', state);
  }
}
