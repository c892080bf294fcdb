import { describe, expect, it } from 'vitest';
import { run } from './mqtt-outage.js';

describe('mqtt-outage benchmark (quick)', () => {
  it("counts MQTT's readings lost through the outage and kill beside the agent's, which loses none", async () => {
    const [lost, duplicates] = await run({ quick: true });
    expect([lost!.name, duplicates!.name]).toEqual(['mqtt_outage_lost', 'mqtt_outage_duplicates']);
    // Ours through the same outage and kill: nothing lost, nothing doubled.
    expect(lost!.baseline).toBe(0);
    expect(duplicates!.baseline).toBe(0);
    // MQTT.js's in-memory store dies with the publisher: what it took during the outage before the kill
    // (a 3 s outage, killed after 2 s, 5 readings/s: about 10) never arrives.
    expect(lost!.value).toBeGreaterThanOrEqual(5);
    expect(lost!.ratio).toBe(lost!.value); // over max(0, 1)
    expect(lost!.baselineName).toMatch(/^ours \(agent, sink, lab\/oracle\.ts\): lost 0 of \d+ readings/);
  }, 120_000);
});
