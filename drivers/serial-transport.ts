// The serial line: opens a port by path, notices when it is lost, and opens it again.
//
// `serialport` does not reconnect by itself, and a SerialPort object that lost its device is no good:
// writes to it wait silently for an 'open' that never comes, and some platforms never even report the
// unplug. So this transport treats every port object as disposable: on close, error, a write that does
// not finish, or silence longer than the watchdog allows, it drops the object and opens a NEW one after a
// full-jitter exponential backoff (common/backoff.ts). Nothing here throws at the caller or crashes the
// process; failures become 'lost' events and log lines.

import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { SerialPortStream as SerialPortStreamType } from '@serialport/stream' with {
  'resolution-mode': 'require',
};
import { Backoff } from '../common/backoff.js';
import { Logger } from '../common/log.js';
import { platformBinding } from './platform-binding.js';
import type { BindingInterface, OpenFailure, OpenFailureReason } from './types.js';

export interface SerialTransportOptions {
  path: string;
  /** Default 9600. */
  baudRate?: number;
  dataBits?: 5 | 6 | 7 | 8;
  stopBits?: 1 | 2;
  parity?: 'none' | 'even' | 'odd';
  /** Default: the platform binding (what `new SerialPort` uses). */
  binding?: BindingInterface;
  /** No byte for this long closes and reopens the port; 0 turns the watchdog off. Default 0. */
  silenceTimeoutMs?: number;
  /** Reconnect backoff. Default base 500 ms, cap 60 s. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  random?: () => number;
  /** A write whose callback has not come after this long counts as a lost port. Default 5000. */
  writeTimeoutMs?: number;
  /** An open that has not finished after this long is abandoned and retried. Default 10000. */
  openTimeoutMs?: number;
  logger?: Logger;
}

export interface TransportEvents {
  open: [];
  data: [chunk: Buffer, receivedAt: number];
  lost: [reason: string];
}

export interface TransportStats {
  connected: boolean;
  opens: number;
  losses: number;
  lastDataAt: number | null;
  lastError: string | null;
  openFailure: OpenFailure | null;
}

/** The errno behind a failed open, read from the binding's message (it gives no code). */
export function openFailureReason(message: string): OpenFailureReason {
  if (/no such file|does not exist|ENOENT/i.test(message)) return 'ENOENT';
  if (/permission denied|EACCES/i.test(message)) return 'EACCES';
  if (/cannot lock port|busy|EBUSY/i.test(message)) return 'EBUSY';
  if (/timed out/i.test(message)) return 'ETIMEDOUT';
  return 'OTHER';
}

/** What a person does about each reason: said once in the log when the reason appears. */
const OPEN_FAILURE_HINTS: Record<OpenFailureReason, string> = {
  ENOENT: 'no such device: the adapter is unplugged or has another path (see /dev/serial/by-id/)',
  EACCES: "no permission: the agent's user needs to be in the dialout group",
  EBUSY: 'another program holds the port (a second agent, a terminal program)',
  ETIMEDOUT: 'the adapter did not finish opening',
  OTHER: 'see the error',
};

const silentLogger = new Logger({}, { write: () => undefined });

// Required, not imported: node's ES module loader runs its CommonJS export lexer on a CommonJS package an ES
// module imports; for this one that cost the agent 4.7 MiB resident (issue 17).
const { SerialPortStream } = createRequire(import.meta.url)('@serialport/stream') as typeof import(
  '@serialport/stream',
  { with: { 'resolution-mode': 'require' } }
);
type SerialPortStream = SerialPortStreamType;

export class SerialTransport extends EventEmitter<TransportEvents> {
  private port: SerialPortStream | null = null;
  private isConnected = false;
  private running = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private silenceTimer: NodeJS.Timeout | null = null;
  private openTimer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;
  private readonly binding: BindingInterface;
  private readonly log: Logger;
  private silenceTimeoutMs: number;
  private readonly stats = {
    opens: 0,
    losses: 0,
    lastDataAt: null as number | null,
    lastError: null as string | null,
    openFailure: null as OpenFailure | null,
  };

  constructor(private readonly options: SerialTransportOptions) {
    super();
    if (typeof options.path !== 'string' || options.path === '') throw new TypeError('a serial port path is needed');
    const baudRate = options.baudRate ?? 9600;
    if (!Number.isInteger(baudRate) || baudRate <= 0) throw new RangeError(`invalid baud rate: ${baudRate}`);
    this.binding = options.binding ?? platformBinding();
    this.backoff = new Backoff({
      baseMs: options.backoffBaseMs ?? 500,
      capMs: options.backoffCapMs ?? 60_000,
      ...(options.random ? { random: options.random } : {}),
    });
    this.silenceTimeoutMs = options.silenceTimeoutMs ?? 0;
    this.log = (options.logger ?? silentLogger).child({ component: 'serial', path: options.path });
  }

  get connected(): boolean {
    return this.isConnected;
  }

  status(): TransportStats {
    return { connected: this.isConnected, ...this.stats };
  }

  /** Opens the port, and keeps it open until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.clearTimers();
    const port = this.port;
    this.port = null;
    this.isConnected = false;
    if (port) await disposePort(port);
  }

  /** Changes the silence watchdog (the session knows the sampling interval; 0 = off). */
  setSilenceTimeout(ms: number): void {
    this.silenceTimeoutMs = ms;
    this.armSilenceWatchdog();
  }

  /** Writes to the open port. Resolves false, without writing, when there is none; never hangs. */
  write(data: string | Buffer): Promise<boolean> {
    const port = this.port;
    if (!port || !this.isConnected || !port.isOpen) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.lose(port, 'write timed out');
        resolve(false);
      }, this.options.writeTimeoutMs ?? 5000);
      port.write(data, (err) => {
        clearTimeout(timer);
        if (err) this.lose(port, `write failed: ${err.message}`);
        resolve(!err);
      });
    });
  }

  /** Drops the current port and opens a new one (the device stopped answering). */
  reconnect(reason: string): void {
    if (this.port) this.lose(this.port, reason);
  }

  private connect(): void {
    this.retryTimer = null;
    if (!this.running) return;
    let port: SerialPortStream;
    try {
      port = new SerialPortStream({
        binding: this.binding,
        path: this.options.path,
        baudRate: this.options.baudRate ?? 9600,
        dataBits: this.options.dataBits ?? 8,
        stopBits: this.options.stopBits ?? 1,
        parity: this.options.parity ?? 'none',
        rtscts: false,
        autoOpen: false,
      });
    } catch (err) {
      // Options were checked in the constructor; whatever this is, it must not escape a timer callback.
      this.stats.lastError = (err as Error).message;
      this.scheduleConnect(`cannot create the port: ${(err as Error).message}`);
      return;
    }
    this.port = port;
    port.on('data', (chunk: Buffer) => this.received(port, chunk));
    port.on('close', (err: Error | null) => this.lose(port, err ? `disconnected: ${err.message}` : 'closed'));
    port.on('error', (err: Error) => this.lose(port, `error: ${err.message}`));
    // Some adapters hang in open(); give up on this port object and try a new one later.
    this.openTimer = setTimeout(() => {
      if (port !== this.port || this.isConnected) return;
      this.port = null;
      this.openFailed('open timed out');
      void disposePort(port);
      this.scheduleConnect('open timed out');
    }, this.options.openTimeoutMs ?? 10_000);
    port.open((err) => {
      if (port !== this.port) {
        if (!err) void disposePort(port); // stopped or replaced while opening: release the device
        return;
      }
      if (this.openTimer) clearTimeout(this.openTimer);
      this.openTimer = null;
      if (err) {
        this.openFailed(err.message);
        this.port = null;
        void disposePort(port);
        this.scheduleConnect(`open failed: ${err.message}`);
        return;
      }
      this.isConnected = true;
      this.stats.opens++;
      this.backoff.reset();
      const failed = this.stats.openFailure;
      this.stats.openFailure = null;
      this.log.info('serial port open', {
        opens: this.stats.opens,
        ...(failed && { afterFailing: failed.reason, failingSince: new Date(failed.since).toISOString() }),
      });
      this.armSilenceWatchdog();
      this.emit('open');
    });
  }

  /** Retries go on with backoff; the log hears of a failure once per reason, not on every retry. */
  private openFailed(message: string): void {
    this.stats.lastError = message;
    const reason = openFailureReason(message);
    if (this.stats.openFailure?.reason === reason) return;
    this.stats.openFailure = { reason, message, since: Date.now() };
    this.log.warn('serial port cannot be opened', { reason, error: message, hint: OPEN_FAILURE_HINTS[reason] });
  }

  private received(port: SerialPortStream, chunk: Buffer): void {
    if (port !== this.port) return;
    this.stats.lastDataAt = Date.now();
    this.armSilenceWatchdog();
    this.emit('data', chunk, this.stats.lastDataAt);
  }

  private lose(port: SerialPortStream, reason: string): void {
    if (port !== this.port) return; // a late event from a port already dropped
    this.port = null;
    const wasConnected = this.isConnected;
    this.isConnected = false;
    this.clearTimers();
    void disposePort(port);
    if (wasConnected) {
      this.stats.losses++;
      this.stats.lastError = reason;
      this.log.warn('serial port lost', { reason });
      this.emit('lost', reason);
    }
    this.scheduleConnect(reason);
  }

  private scheduleConnect(reason: string): void {
    if (!this.running || this.retryTimer) return;
    const delay = this.backoff.next();
    this.log.debug('reopening serial port', { reason, delayMs: delay, failures: this.backoff.failures });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private armSilenceWatchdog(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = null;
    const port = this.port;
    if (!port || !this.isConnected || this.silenceTimeoutMs <= 0) return;
    this.silenceTimer = setTimeout(
      () => this.lose(port, `silent for ${this.silenceTimeoutMs} ms`),
      this.silenceTimeoutMs,
    );
  }

  private clearTimers(): void {
    for (const timer of [this.retryTimer, this.silenceTimer, this.openTimer]) if (timer) clearTimeout(timer);
    this.retryTimer = null;
    this.silenceTimer = null;
    this.openTimer = null;
  }
}

/** Closes (if open) and destroys a port object; late errors from it are swallowed, it is never reused. */
function disposePort(port: SerialPortStream): Promise<void> {
  port.removeAllListeners();
  port.on('error', () => undefined);
  return new Promise((resolve) => {
    const finish = () => {
      port.destroy();
      resolve();
    };
    if (port.isOpen) port.close(() => finish());
    else finish();
  });
}
