import { describe, expect, it } from 'vitest';
import { sondeSample } from '../../protocol/fixtures/sonde-sample.js';
import { analyze, percentiles } from './analyzer.js';
import type { FleetRun } from './fleet.js';
import { SimulatedGateway } from './gateway.js';

/** Two gateways of 3 readings sampled at 1000, 2000, 3000; the first fully acknowledged at 5000. */
function fleetRun(): FleetRun {
  const readings = sondeSample(3).readings.map((r, i) => ({ ...r, sampledAt: (i + 1) * 1000 }));
  const gateways = ['a', 'b'].map((id) => new SimulatedGateway({ id, token: 't' }));
  for (const g of gateways) readings.forEach((r) => g.produce(r));
  const out = gateways[0]!.next(3)!;
  gateways[0]!.sent(out);
  gateways[0]!.acknowledge({ id: 'r', creationTime: 0, messages: [], acknowledgeUntil: 3 }, out, 5000);
  return {
    gateways,
    requestLatenciesMs: [10, 20],
    requests: 2,
    failures: { http_503: 1 },
    startedAt: 0,
    endedAt: 2000,
    drained: false,
  };
}

describe('fleet analyzer', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(values)).toEqual({ count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
    expect(percentiles([])).toMatchObject({ count: 0, p99: 0 });
  });

  it('reports acknowledged throughput, sample-to-ack latency and the gateways left incomplete', () => {
    const report = analyze(fleetRun());
    expect(report).toMatchObject({
      gateways: 2,
      produced: 6,
      acknowledged: 3,
      readingsPerS: 1.5,
      gatewaysIncomplete: ['b'],
      requests: 2,
    });
    expect(report.sampleToAckMs).toMatchObject({ count: 3, p50: 3000, max: 4000 });
    expect(report.stored).toBeUndefined();
  });

  it('finds missing, doubled and out-of-order rows in what the sink stored', () => {
    const stored = new Map([
      [
        'a',
        [
          { sequence: 1, sampledAt: 1000, receivedAt: 1500 },
          { sequence: 2, sampledAt: 2000, receivedAt: 2500 },
          { sequence: 3, sampledAt: 3000, receivedAt: 3500 },
        ],
      ],
      [
        'b',
        [
          { sequence: 2, sampledAt: 2000, receivedAt: 2600 },
          { sequence: 1, sampledAt: 1000, receivedAt: 2600 },
          { sequence: 2, sampledAt: 2000, receivedAt: 2700 },
        ],
      ],
    ]);
    const view = analyze(fleetRun(), stored).stored!;
    expect(view).toMatchObject({ readings: 6, duplicates: 1, missing: 1, gatewaysOutOfOrder: ['b'] });
    expect(view.sampleToStoredMs).toMatchObject({ count: 6, p50: 500, max: 1600 });
  });
});
