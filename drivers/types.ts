// Public types of the sonde driver (the contract the agent codes against; see docs/sonde-driver.md).

// The package's ESM entry has no types; its CommonJS one does.
import type { BindingInterface } from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };
import type { Logger } from '../common/log.js';
import type { SondeReading } from '../protocol/model.js';

export type { BindingInterface };

export type DateFormat = 'mdy' | 'dmy' | 'ymd';
export type LayoutName = 'auto' | 'netbeams';
export type DriverMode = 'active' | 'passive';
/** How `readLog` asks the sonde for its log: ASCII text, or the PC6000 binary file over Kermit. */
export type UploadFormat = 'ascii' | 'binary';

export interface SondeDriverOptions {
  /** Serial device. Prefer /dev/serial/by-id/... : /dev/ttyUSB* numbers move after a replug. */
  path: string;
  /** Default 9600 (8N1, no handshake, fixed by the sonde). */
  baudRate?: number;
  /** active (default): drive the sonde's `#` command line. passive: only listen (the original NetBEAMS way). */
  mode?: DriverMode;
  /** Sampling interval set with `Sinterval` in active mode; in passive mode the expected interval. Default 60. */
  intervalS?: number;
  /** IANA zone of the sonde clock. Default 'UTC'. */
  timeZone?: string;
  /** Column binding: 'auto' = from `para` or the header block; 'netbeams' = the original fixed layout.
   *  Default 'auto' in active mode, 'netbeams' in passive mode. */
  layout?: LayoutName;
  /** Date order when the sonde does not say (header units and `para` ids do). Default 'mdy' (the sonde's default). */
  dateFormat?: DateFormat;
  /** @serialport binding; default the platform's. Injected for tests and the in-process simulator. */
  binding?: BindingInterface;
  logger?: Logger;
  /**
   * File that keeps the column binding of the last session (with the sonde's serial number and interval),
   * written atomically when it changes. On start, a sonde still streaming rows that fit it is adopted at
   * once, without a break-in, so no row is lost to a restart. Default: none (the binding is kept in memory
   * across reconnects only).
   */
  stateFile?: string;
  /** Readings whose sonde clock differs from the gateway clock by more than this are flagged suspect_clock. Default 300. */
  clockToleranceS?: number;
  /**
   * Active mode: start sampling from the Discrete sample menu with a log file open, so that the sonde logs
   * what it streams and `readLog` can read back what the gateway missed. Default false (the agent turns it on).
   */
  logToMemory?: boolean;
  /**
   * How `readLog` uploads the log: 'ascii' (default: comma-delimited text, no error checking) or 'binary' (the
   * PC6000 file over Kermit: checked packets, retransmitted when damaged, values as the sonde logged them).
   */
  uploadFormat?: UploadFormat;
  /** Silence on the serial line after which the port is closed and reopened. Default max(30, 6 x interval). */
  silenceTimeoutS?: number;
  /** Timing knobs, mostly for tests: wait for a prompt after a wake-up or command (default 2000 ms). */
  commandTimeoutMs?: number;
  /** Reconnect backoff (full jitter): first ceiling and cap in ms. Defaults 500 and 60000. */
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
}

/** A reading as the driver emits it: the parsed sonde line plus the gateway time its first byte arrived. */
export type DriverReading = SondeReading & { receivedAt: number };

export type DriverState =
  | 'idle' // not started, or stopped
  | 'disconnected' // port closed; reconnecting with backoff
  | 'waking' // connected, trying to reach the `#` prompt
  | 'configuring' // at `#`: sn, para, Sinterval, date/time
  | 'streaming' // `run` sent, readings expected every interval
  | 'passive'; // listening only

export interface DriverStatus {
  state: DriverState;
  mode: DriverMode;
  connected: boolean;
  path: string;
  serialNumber: string | null;
  intervalS: number;
  /** Column keys in sonde order, as currently bound. */
  columns: string[];
  readings: number;
  rejected: Record<string, number>;
  /** Lines longer than the framer's 512-byte limit, discarded. */
  overflows: number;
  lastReadingAt: number | null;
  /** Successful re-opens after a loss. */
  reconnects: number;
  /** Sampling restarts by the streaming watchdog. */
  watchdogRestarts: number;
  /** Last measured sonde clock minus gateway clock, ms (active mode). */
  clockDriftMs: number | null;
  lastError: string | null;
  /** Why the port cannot be opened right now; null once it opened. */
  openFailure: OpenFailure | null;
}

/** An errno name an operator can look up; OTHER keeps the message only. */
export type OpenFailureReason = 'ENOENT' | 'EACCES' | 'EBUSY' | 'ETIMEDOUT' | 'OTHER';

export interface OpenFailure {
  reason: OpenFailureReason;
  message: string;
  /** Epoch ms of the first failure with this reason. */
  since: number;
}

/** What `readLog` read back from the sonde's memory. */
export interface LogReadback {
  /** The logged readings of the window, in the sonde's order (no `receivedAt`: they were read back, not received). */
  readings: SondeReading[];
  /** Upload lines that looked like data but did not parse. */
  rejected: number;
  /** Bytes of the upload as they crossed the line: the text's lines, or every Kermit packet received. */
  bytes: number;
  /** From the key that started the upload to its end. */
  uploadMs: number;
  /** The live stream's pause: from the break-in to sampling started again. */
  pausedMs: number;
}

export interface IntervalOutcome {
  outcome: 'applied' | 'rejected';
  reason?: string;
  /** The interval in force after the call. */
  intervalS: number;
}

/** Why a line was counted as rejected (it looked like data but could not become a reading). */
export type RejectReason = 'unbound' | 'field_count' | 'bad_timestamp' | 'garbled' | 'overflow';

export interface RejectedLine {
  reason: RejectReason;
  raw: string;
  receivedAt: number;
}
