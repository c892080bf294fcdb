// The sampling interval inferred at ingest (the dashboard's gap markers rest on it).
import { describe, expect, it } from 'vitest';
import type { StoredReading } from './store.js';
import { nextIntervals, type IntervalState } from './summaries.js';

const T0 = 1_800_000_000_000;
const at = (...seconds: number[]): StoredReading[] => seconds.map((s) => ({ time: T0 + s * 1000 }) as StoredReading);
const state = (samplingIntervalMs: number | null, newestS: number): IntervalState => ({
  lastContact: null,
  heldAfterLast: null,
  contactSpacings: [],
  samplingIntervalMs,
  newestReadingMs: T0 + newestS * 1000,
});

describe('nextIntervals: the sampling interval', () => {
  it('is the spacing of single-reading uploads when none is known yet', () => {
    expect(nextIntervals(state(null, 0), T0, at(1)).samplingIntervalMs).toBe(1000);
  });

  it('is not replaced by one long spacing: a pause (agent stopped, link down) is not a slower sonde', () => {
    expect(nextIntervals(state(1000, 4), T0, at(32)).samplingIntervalMs).toBe(1000);
    expect(nextIntervals(state(1000, 4), T0, at(32, 33, 34)).samplingIntervalMs).toBe(1000);
  });

  it('follows a sonde that samples slower once an upload shows the new spacing twice, or faster at once', () => {
    expect(nextIntervals(state(1000, 0), T0, at(60, 120)).samplingIntervalMs).toBe(60_000);
    expect(nextIntervals(state(60_000, 0), T0, at(1)).samplingIntervalMs).toBe(1000);
  });
});
