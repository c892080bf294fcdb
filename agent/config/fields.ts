// Reading one TOML table field by field, collecting every problem instead of stopping at the first,
// so that `dsp-agent check-config` tells the operator everything wrong in one run.
// Each error names the field by its full path (`upload.interval_s`) and says what is wrong.

export interface ConfigError {
  field: string;
  problem: string;
}

export type Table = Record<string, unknown>;

export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value);
  if (Array.isArray(value)) return 'an array';
  if (isTable(value)) return 'a table';
  return String(value);
}

export class TableReader {
  private readonly used = new Set<string>();

  constructor(
    private readonly table: Table,
    /** Path of this table, '' for the root. */
    readonly path: string,
    private readonly errors: ConfigError[],
  ) {}

  fieldPath(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(key: string, problem: string): void {
    this.errors.push({ field: this.fieldPath(key), problem });
  }

  has(key: string): boolean {
    return this.table[key] !== undefined;
  }

  raw(key: string): unknown {
    this.used.add(key);
    return this.table[key];
  }

  string(key: string, fallback: string, check?: (v: string) => string | undefined): string {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v !== 'string') {
      this.fail(key, `must be a string (got ${describe(v)})`);
      return fallback;
    }
    const problem = check?.(v);
    if (problem) this.fail(key, `${problem} (got ${describe(v)})`);
    return v;
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key, '') : (this.raw(key), undefined);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const v = this.string(key, fallback);
    if (!(allowed as readonly string[]).includes(v)) {
      this.fail(key, `must be one of ${allowed.join(', ')} (got ${describe(v)})`);
      return fallback;
    }
    return v as T;
  }

  number(
    key: string,
    fallback: number,
    range: { min?: number; max?: number; integer?: boolean; above?: number },
  ): number {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.fail(key, `must be a number (got ${describe(v)})`);
      return fallback;
    }
    if (range.integer && !Number.isInteger(v)) this.fail(key, `must be a whole number (got ${v})`);
    else if (range.above !== undefined && !(v > range.above))
      this.fail(key, `must be greater than ${range.above} (got ${v})`);
    else if (range.min !== undefined && v < range.min) this.fail(key, `must be at least ${range.min} (got ${v})`);
    else if (range.max !== undefined && v > range.max) this.fail(key, `must be at most ${range.max} (got ${v})`);
    else return v;
    return fallback;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.fail(key, `must be true or false (got ${describe(v)})`);
      return fallback;
    }
    return v;
  }

  /** A sub-table; absent gives an empty one so that its defaults apply. */
  table_(key: string): TableReader {
    const v = this.raw(key);
    if (v !== undefined && !isTable(v)) this.fail(key, `must be a table [${this.fieldPath(key)}] (got ${describe(v)})`);
    return new TableReader(isTable(v) ? v : {}, this.fieldPath(key), this.errors);
  }

  /** An array of tables ([[key]] in TOML). */
  tables(key: string): TableReader[] {
    const v = this.raw(key);
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      this.fail(key, `must be an array of tables [[${this.fieldPath(key)}]] (got ${describe(v)})`);
      return [];
    }
    return v.flatMap((item, i) => {
      if (isTable(item)) return [new TableReader(item, `${this.fieldPath(key)}[${i}]`, this.errors)];
      this.errors.push({ field: `${this.fieldPath(key)}[${i}]`, problem: `must be a table (got ${describe(item)})` });
      return [];
    });
  }

  /** Call after reading every known key: anything left is a typo or a field from another version. */
  rejectUnknown(): void {
    for (const key of Object.keys(this.table)) {
      if (!this.used.has(key)) this.fail(key, 'unknown field');
    }
  }
}
