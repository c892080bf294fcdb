// What the page reads from the sink's API (docs/sink.md). Fields the server may not send yet are optional.
export type QualityFlag = string;

export interface Station {
  name?: string;
  latitude?: number;
  longitude?: number;
  description?: string;
}

export type Status = 'ok' | 'late' | 'silent';

export interface Gateway {
  id: string;
  station?: Station;
  readingsStored: number;
}

/** A row of GET /api/network (docs/sink.md "Dashboard API"). */
export interface NetworkRow {
  id: string;
  station: Station;
  revoked: boolean;
  status: Status;
  lastContact: number | null;
  uploadIntervalMs: number;
  samplingIntervalMs: number | null;
  readingsToday: number;
  completeness24h: { ratio: number | null };
  openGaps: number;
  queueDepth: number | null;
  clockOffsetMs: number | null;
  battery: { value: number | null; unit: string | null; time: number } | null;
}

export interface ParameterInfo {
  parameter: string;
  unit?: string;
}

/** GET /api/gateways/:id/series: raw points, or min/max buckets for a long range. */
export type Series =
  | { mode: 'raw'; unit: string | null; t: number[]; v: Array<number | null>; flags: Array<string[] | null> }
  | {
      mode: 'buckets';
      unit: string | null;
      bucketMs: number;
      t: number[];
      n: number[];
      flagged: number[];
      min: Array<number | null>;
      max: Array<number | null>;
    };

export interface Reading {
  id: number;
  gateway: string;
  sequence?: number;
  time: number;
  values: Record<string, number | null>;
  units?: Record<string, string>;
  valueFlags?: Record<string, QualityFlag[]>;
  flags?: QualityFlag[];
}

export interface GapEvent {
  kind: string;
  fromSequence: number;
  toSequence: number;
  readings?: number;
  reason?: string;
  detectedAt: number;
  filledAt?: number;
}

export interface CompletenessDay {
  day: string;
  received: number;
  expected: number;
  held: number;
  intervalS: number;
  ratio: number;
}

export interface Command {
  id: string;
  kind: 'update' | 'query';
  properties: Record<string, string | number | boolean> | string[];
  state: string;
  createdAt: number;
  expiresAt: number;
  result?: Record<string, string>;
}
