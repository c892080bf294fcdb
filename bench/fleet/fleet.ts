// The fleet: many simulated gateways in one process posting to one sink. Each gateway produces readings at
// `ratePerS` for `durationS` (on a shared clock tick: one timer for the whole fleet), may start with a
// backlog, and uploads like the agent: a container as soon as a full one waits, otherwise once per upload
// interval (the gateways' intervals start at random offsets, as a real network's do); a failure is retried
// with full-jitter backoff, at least Retry-After. After the duration every gateway sends what it still
// holds at its next upload moment, so the run ends when the sink has acknowledged everything (or at the
// drain timeout).
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff } from '../../common/backoff.js';
import { decodeContainer } from '../../protocol/decode.js';
import type { SondeReading } from '../../protocol/model.js';
import { sondeSample } from '../../protocol/fixtures/sonde-sample.js';
import { SimulatedGateway, type GatewayIdentity, type Outgoing } from './gateway.js';
import { IngestClient } from './http.js';

export interface FleetOptions {
  /** The sink's base URL or ingest URL. */
  sinkUrl: string;
  gateways: GatewayIdentity[];
  /** Readings per second per gateway while producing (0: backlog only). */
  ratePerS: number;
  durationS: number;
  /** Readings each gateway holds at the start (sampled one second apart before the start). */
  backlog: number;
  /** Readings per container (the agent's batch limit). */
  maxReadings: number;
  uploadIntervalS: number;
  /** After the duration: how long the queues may take to empty. */
  drainTimeoutS: number;
  backoff?: { baseMs: number; capMs: number };
}

export interface FleetRun {
  gateways: SimulatedGateway[];
  /** Time from a container's first attempt to its 200, retries (and their waits) included: what a gateway waits. */
  requestLatenciesMs: number[];
  requests: number;
  /** Failed attempts by cause (`http_503`, `network`, ...). */
  failures: Record<string, number>;
  /** Epoch ms. */
  startedAt: number;
  endedAt: number;
  /** false when the drain timeout ended the run with readings still queued. */
  drained: boolean;
}

/** Values of real sonde readings, reused round-robin: the fleet spends its time on the wire, not on data. */
const POOL = sondeSample(600).readings;

function readingAt(index: number, sampledAt: number): SondeReading {
  return { ...POOL[index % POOL.length]!, sampledAt };
}

export async function runFleet(options: FleetOptions): Promise<FleetRun> {
  const gateways = options.gateways.map((identity) => new SimulatedGateway(identity));
  const startedAt = Date.now();
  for (const gateway of gateways) {
    for (let i = 0; i < options.backlog; i++) gateway.produce(readingAt(i, startedAt - (options.backlog - i) * 1000));
    gateway.prepare(options.maxReadings);
  }
  const run: FleetRun = {
    gateways,
    requestLatenciesMs: [],
    requests: 0,
    failures: {},
    startedAt: Date.now(),
    endedAt: 0,
    drained: false,
  };
  const producingUntil = run.startedAt + options.durationS * 1000;
  const deadline = producingUntil + options.drainTimeoutS * 1000;
  const stopProducing = produce(gateways, options.ratePerS, producingUntil);
  const client = new IngestClient(options.sinkUrl);
  try {
    const results = await Promise.all(
      gateways.map((g) => uploadLoop(g, client, run, options, producingUntil, deadline)),
    );
    run.drained = results.every(Boolean);
  } finally {
    stopProducing();
    client.close();
  }
  run.endedAt = Date.now();
  return run;
}

/** One clock for the fleet: every tick, each gateway samples one reading. Returns a stop function. */
function produce(gateways: SimulatedGateway[], ratePerS: number, until: number): () => void {
  if (!(ratePerS > 0) || Date.now() >= until) return () => undefined;
  let tick = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    if (now >= until) return clearInterval(timer);
    for (const g of gateways) g.produce(readingAt(tick, now));
    tick++;
  }, 1000 / ratePerS);
  return () => clearInterval(timer);
}

/** Returns true when everything this gateway produced was acknowledged before the deadline. */
async function uploadLoop(
  gateway: SimulatedGateway,
  client: IngestClient,
  run: FleetRun,
  options: FleetOptions,
  producingUntil: number,
  deadline: number,
): Promise<boolean> {
  const intervalMs = options.uploadIntervalS * 1000;
  const backoff = new Backoff(options.backoff ?? { baseMs: 100, capMs: 5000 });
  // Spread the fleet's upload moments over one interval, as gateways switched on at different times are.
  if (gateway.depth < options.maxReadings) await sleep(Math.random() * intervalMs);
  /** When the container now being sent was first tried: its latency counts the retries. */
  let firstTry: { containerId: string; at: number } | undefined;
  for (;;) {
    const cycleStart = Date.now();
    while (gateway.depth > 0 && Date.now() < deadline) {
      const outgoing = gateway.next(options.maxReadings)!;
      if (firstTry?.containerId !== outgoing.containerId)
        firstTry = { containerId: outgoing.containerId, at: performance.now() };
      if (!(await exchange(gateway, outgoing, client, run, backoff))) continue;
      run.requestLatenciesMs.push(performance.now() - firstTry.at);
      // A partial container waits for the next interval, as the agent's does (also after the duration:
      // the fleet keeps its rhythm instead of ending in a burst of every gateway at once).
      if (intervalMs > 0 && gateway.depth < options.maxReadings) break;
    }
    if (Date.now() >= producingUntil && gateway.depth === 0) return true;
    if (Date.now() >= deadline) return false;
    // The next cycle begins one interval after this one began, as the agent's sender does (sender.ts run()):
    // a slow answer does not move a gateway's upload moment. Waiting a whole interval after the answer moved
    // every gateway caught in a slow second together, and the fleet replayed that clump every interval.
    await sleep(Math.max(intervalMs - (Date.now() - cycleStart), 10));
  }
}

/** One attempt; a failure waits its backoff (at least Retry-After) before returning false. */
async function exchange(
  gateway: SimulatedGateway,
  outgoing: Outgoing,
  client: IngestClient,
  run: FleetRun,
  backoff: Backoff,
): Promise<boolean> {
  gateway.sent(outgoing);
  run.requests++;
  let failure: string;
  let retryAfterMs = 0;
  try {
    const result = await client.post(gateway.identity.token, outgoing.body);
    if (result.status === 200) {
      gateway.acknowledge(decodeContainer(result.body), outgoing, Date.now());
      backoff.reset();
      return true;
    }
    failure = `http_${result.status}`;
    retryAfterMs = result.retryAfterMs ?? 0;
  } catch {
    failure = 'network';
  }
  run.failures[failure] = (run.failures[failure] ?? 0) + 1;
  await sleep(Math.max(retryAfterMs, backoff.next()));
  return false;
}
