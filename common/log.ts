// Structured logs: one JSON object per line on stdout (journald keeps them as they are).
// A logger carries fixed fields (component, gateway, ...) that every line repeats.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogSink {
  write(line: string): void;
}

export class Logger {
  constructor(
    private readonly fields: Record<string, unknown> = {},
    private readonly sink: LogSink = process.stdout,
    private readonly state: { level: LogLevel } = { level: 'info' },
  ) {}

  /** A logger whose lines also carry `fields`; it shares this logger's level and sink. */
  child(fields: Record<string, unknown>): Logger {
    return new Logger({ ...this.fields, ...fields }, this.sink, this.state);
  }

  get level(): LogLevel {
    return this.state.level;
  }

  /** Changes the level of this logger and of every child made from it. */
  setLevel(level: LogLevel): void {
    this.state.level = level;
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.log('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.log('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.log('error', msg, fields);
  }

  private log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[this.state.level]) return;
    const time = new Date().toISOString();
    // The fixed fields are written first (readable lines) and again last, so that a caller's field named
    // `time`, `level` or `msg` cannot replace them: a line's time stamp is always the logger's.
    const entry = Object.assign({ time, level, msg }, this.fields, fields, { time, level, msg });
    this.sink.write(JSON.stringify(entry, errorReplacer) + '\n');
  }
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && value in LEVEL_ORDER;
}

// Errors serialise as {} by default; logs need their message and code (stacks stay in debug output only).
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const { code } = value as { code?: unknown };
    return { name: value.name, message: value.message, ...(code === undefined ? {} : { code }) };
  }
  return value;
}

/** A logger that keeps its lines in memory: for tests, and for tools that print logs differently. */
export function memoryLogger(fields: Record<string, unknown> = {}): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
} {
  const buffer: string[] = [];
  const logger = new Logger(fields, { write: (line) => void buffer.push(line) }, { level: 'debug' });
  return { logger, lines: () => buffer.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
