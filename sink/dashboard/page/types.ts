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
  createdAt: number;
  lastContact?: number;
  queueDepth?: number;
  clockOffsetMs?: number;
  readingsStored: number;
  gaps: number;
  openGaps: number;
  station?: Station;
  /** From the network overview, when the sink offers it. */
  status?: Status;
  uploadIntervalS?: number;
  readingsToday?: number;
  completeness24h?: number;
  batteryV?: number;
}

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
