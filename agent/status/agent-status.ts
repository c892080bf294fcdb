// What the agent reports about itself: the /status document (printed by `dsp-agent status`), the health
// verdict of /healthz, and the gauges read from the queues and the driver when /metrics is scraped.

import type { DriverStatus, OpenFailureReason } from '../../drivers/types.js';
import type { DurableQueue } from '../queue/durable-queue.js';
import type { Overrides, RuntimeSettings } from '../settings/runtime-settings.js';
import type { AgentMetrics } from './agent-metrics.js';
import type { DataPlanUsage } from '../transport/data-plan.js';

export interface DestinationStatus {
  name: string;
  url: string;
  queued: number;
  queuedBytes: number;
  oldestAgeS: number;
  lastSequence: number;
  dropped: number;
  lastContact: string | null;
  clockOffsetMs: number | null;
  recoveredFrom: string | null;
  /** 401 or 403 when the sink's last answer refused this gateway's token. */
  tokenRefused: number | null;
  /** e.g. "sink certificate not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)"; null when the last attempt had none. */
  tlsProblem: string | null;
  /** Why the disk refuses the queue store now (full, read-only, I/O error), or null. */
  storeProblem: string | null;
}

export interface AgentStatus {
  gateway: string;
  health: { ok: boolean; problems: string[] };
  sonde: {
    state: string;
    connected: boolean;
    serialNumber: string | null;
    intervalS: number;
    readings: number;
    rejected: Record<string, number>;
    lastReadingAt: string | null;
    /** Why the serial port cannot be opened right now (ENOENT, EACCES, EBUSY, ...). */
    openFailure: { reason: string; message: string; since: string } | null;
  };
  readingsTaken: number;
  uploadIntervalS: number;
  /** Usage of the data plan when one is configured; uploadIntervalFactor > 1: the interval is widened for it. */
  dataPlan: DataPlanUsage | null;
  destinations: DestinationStatus[];
  remoteOverrides: Overrides;
}

export interface StatusParts {
  gatewayId: string;
  driver: DriverStatus;
  queues: Iterable<DurableQueue>;
  settings: RuntimeSettings;
  metrics: AgentMetrics;
  clockOffsetMs(destination: string): number | undefined;
  tokenRefused(destination: string): number | undefined;
  /** Why the sink's certificate was refused on the last attempt (untrusted, expired, other host, pin). */
  tlsProblem?(destination: string): string | undefined;
  dataPlan?(): DataPlanUsage | undefined;
  now: number;
}

const iso = (ms: number | null | undefined): string | null => (ms ? new Date(ms).toISOString() : null);

export function buildStatus(p: StatusParts): AgentStatus {
  const problems: string[] = [];
  const openFailure = p.driver.openFailure;
  if (openFailure) problems.push(`sonde port cannot be opened: ${openFailure.reason} (${openFailure.message})`);
  else if (!p.driver.connected) problems.push(`sonde not connected (${p.driver.state})`);
  const destinations = [...p.queues].map((q): DestinationStatus => {
    const s = q.stats();
    const lastContactS = p.metrics.lastContact.get({ destination: q.name });
    const tokenRefused = p.tokenRefused(q.name);
    // The sink answers but refuses us: no waiting fixes that, so it is said as such, not as lost contact.
    const tlsProblem = p.tlsProblem?.(q.name);
    if (tlsProblem !== undefined) problems.push(`${q.name}: ${tlsProblem}`);
    else if (tokenRefused !== undefined) problems.push(`${q.name} refuses our token (${tokenRefused})`);
    // Three missed uploads in a row: the link or the sink is down (the queue keeps everything meanwhile).
    else if (!lastContactS || p.now / 1000 - lastContactS > 3 * p.settings.uploadIntervalS)
      problems.push(`no recent contact with ${q.name}`);
    if (s.storeProblem)
      problems.push(`queue store of ${q.name} not writable (${s.storeProblem.unstored} messages not stored)`);
    return {
      name: q.name,
      url: p.settings.endpoint(q.name).url,
      queued: s.depth,
      queuedBytes: s.bytes,
      oldestAgeS: s.oldestEnqueuedAt ? Math.round((p.now - s.oldestEnqueuedAt) / 1000) : 0,
      lastSequence: s.lastSequence,
      dropped: s.droppedMessages,
      lastContact: iso(lastContactS * 1000),
      clockOffsetMs: p.clockOffsetMs(q.name) ?? null,
      recoveredFrom: q.recovery?.movedTo ?? null,
      tokenRefused: tokenRefused ?? null,
      tlsProblem: tlsProblem ?? null,
      storeProblem: s.storeProblem?.reason ?? null,
    };
  });
  const d = p.driver;
  return {
    gateway: p.gatewayId,
    health: { ok: problems.length === 0, problems },
    sonde: {
      state: d.state,
      connected: d.connected,
      serialNumber: d.serialNumber,
      intervalS: d.intervalS,
      readings: d.readings,
      rejected: d.rejected,
      lastReadingAt: iso(d.lastReadingAt),
      openFailure: openFailure && { ...openFailure, since: new Date(openFailure.since).toISOString() },
    },
    readingsTaken: p.metrics.readingsTaken.get(),
    uploadIntervalS: p.settings.uploadIntervalS,
    dataPlan: p.dataPlan?.() ?? null,
    destinations,
    remoteOverrides: p.settings.snapshot(),
  };
}

const DRIVER_STATES: DriverStatus['state'][] = [
  'idle',
  'disconnected',
  'waking',
  'configuring',
  'streaming',
  'passive',
];

const OPEN_FAILURE_REASONS: OpenFailureReason[] = ['ENOENT', 'EACCES', 'EBUSY', 'ETIMEDOUT', 'OTHER'];

/** Gauges read at scrape time, so that hot paths never update them. */
export function collectGauges(
  metrics: AgentMetrics,
  queues: Iterable<DurableQueue>,
  driverStatus: () => DriverStatus,
): void {
  for (const q of queues) {
    const labels = { destination: q.name };
    metrics.queueDepth.collect(labels, () => q.stats().depth);
    metrics.queueBytes.collect(labels, () => q.stats().bytes);
    metrics.oldestAge.collect(labels, () => {
      const at = q.stats().oldestEnqueuedAt;
      return at ? (Date.now() - at) / 1000 : 0;
    });
    metrics.dropped.collect(labels, () => q.stats().droppedMessages);
    metrics.droppedReadings.collect(labels, () => q.stats().droppedReadings);
    metrics.storeUnwritable.collect(labels, () => (q.stats().storeProblem ? 1 : 0));
    metrics.unstored.collect(labels, () => q.stats().storeProblem?.unstored ?? 0);
  }
  for (const state of DRIVER_STATES)
    metrics.driverState.collect({ state }, () => (driverStatus().state === state ? 1 : 0));
  metrics.driverConnected.collect({}, () => (driverStatus().connected ? 1 : 0));
  for (const reason of OPEN_FAILURE_REASONS)
    metrics.serialOpenFailure.collect({ reason }, () => (driverStatus().openFailure?.reason === reason ? 1 : 0));
}
