// Structured logs: one JSON object per line on stdout (journald keeps them as they are).
// A logger carries fixed fields (component, gateway, ...) that every line repeats.
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];
const LEVEL_ORDER = { debug: 10, info: 20, warn: 30, error: 40 };
export class Logger {
    fields;
    sink;
    state;
    constructor(fields = {}, sink = process.stdout, state = { level: 'info' }) {
        this.fields = fields;
        this.sink = sink;
        this.state = state;
    }
    /** A logger whose lines also carry `fields`; it shares this logger's level and sink. */
    child(fields) {
        return new Logger({ ...this.fields, ...fields }, this.sink, this.state);
    }
    get level() {
        return this.state.level;
    }
    /** Changes the level of this logger and of every child made from it. */
    setLevel(level) {
        this.state.level = level;
    }
    debug(msg, fields) {
        this.log('debug', msg, fields);
    }
    info(msg, fields) {
        this.log('info', msg, fields);
    }
    warn(msg, fields) {
        this.log('warn', msg, fields);
    }
    error(msg, fields) {
        this.log('error', msg, fields);
    }
    log(level, msg, fields) {
        if (LEVEL_ORDER[level] < LEVEL_ORDER[this.state.level])
            return;
        const time = new Date().toISOString();
        // The fixed fields are written first (readable lines) and again last, so that a caller's field named
        // `time`, `level` or `msg` cannot replace them: a line's time stamp is always the logger's.
        const entry = Object.assign({ time, level, msg }, this.fields, fields, { time, level, msg });
        this.sink.write(JSON.stringify(entry, errorReplacer) + '\n');
    }
}
export function isLogLevel(value) {
    return typeof value === 'string' && value in LEVEL_ORDER;
}
// Errors serialise as {} by default; logs need their message and code (stacks stay in debug output only).
function errorReplacer(_key, value) {
    if (value instanceof Error) {
        const { code } = value;
        return { name: value.name, message: value.message, ...(code === undefined ? {} : { code }) };
    }
    return value;
}
/** A logger that keeps its lines in memory: for tests, and for tools that print logs differently. */
export function memoryLogger(fields = {}) {
    const buffer = [];
    const logger = new Logger(fields, { write: (line) => void buffer.push(line) }, { level: 'debug' });
    return { logger, lines: () => buffer.map((l) => JSON.parse(l)) };
}
//# sourceMappingURL=log.js.map