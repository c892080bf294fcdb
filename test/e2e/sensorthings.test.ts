// SensorThings over data a real agent sent: simulated sonde on a pty cable, dsp-agent, dsp-sink (each backend).
// What STA answers must be what the data API holds: every stored reading's Temp is one Observation, with the
// reading's time and sequence, and the sensing-core links of every entity resolve (ETS sta10 readEntities).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPerTest } from '../support/e2e/system-per-test.js';
import { STORE_BACKENDS } from '../support/store-backends.js';

const start = systemPerTest({ samplingS: 0.25 });

type Json = Record<string, unknown>;
type Collection = { value: Json[]; '@iot.count'?: number; '@iot.nextLink'?: string };

describe.each(STORE_BACKENDS)('SensorThings end to end on $name', (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it('serves what a real agent stored: one Observation per stored value, the same times and sequences', async () => {
    const s = await start({ db: (await backend.fresh()).location });
    await s.untilStored(20);
    const report = await s.finish();
    expect(report.problems).toEqual([]);
    const sta = <T = Json>(path: string): Promise<T> => s.api<T>(`/sta/v1.1${path}`);
    const relative = (link: string): string => {
      const url = new URL(link);
      return url.pathname.slice('/sta/v1.1'.length) + url.search;
    };

    const readings = await s.api<Array<{ sequence: number; time: number; values: Record<string, number | null> }>>(
      `/api/readings?gateway=${s.gateway}`,
    );
    expect(readings.length).toBe(report.stored);
    const keys = Object.keys(readings.at(-1)!.values);
    const datastreams = await sta<Collection>(`/Things('${s.gateway}')/Datastreams?$count=true`);
    expect(datastreams['@iot.count']).toBe(keys.length);

    // The agent reported the simulated sonde (SensorDescription event): its Sensor has the serial and model.
    const sensors = await sta<Json>(`/Datastreams('${s.gateway}:0167BF55:Temp')/Sensor`);
    expect(sensors).toMatchObject({
      '@iot.id': `${s.gateway}:0167BF55`,
      properties: { model: 'YSI 6600', serialNumber: '0167BF55', replacedAt: null },
    });
    expect((await sta<Collection>('/Sensors')).value.map((e) => e['@iot.id'])).toEqual([`${s.gateway}:0167BF55`]);

    const temp = `/Datastreams('${s.gateway}:0167BF55:Temp')/Observations`;
    const observations: Json[] = [];
    let page = await sta<Collection>(`${temp}?$top=7&$count=true`);
    expect(page['@iot.count']).toBe(readings.filter((r) => 'Temp' in r.values).length);
    for (;;) {
      observations.push(...page.value);
      if (page['@iot.nextLink'] === undefined) break;
      page = await sta<Collection>(relative(page['@iot.nextLink']));
    }
    expect(
      observations.map((o) => [o['@iot.id'], o.phenomenonTime, o.result, (o.parameters as Json).sequence]),
    ).toEqual(
      readings
        .filter((r) => 'Temp' in r.values)
        .map((r) => [`${s.gateway}:${r.sequence}:Temp`, new Date(r.time).toISOString(), r.values.Temp, r.sequence]),
    );

    // ETS sensing core: each entity's selfLink and navigation links resolve.
    for (const set of ['Things', 'Datastreams', 'Sensors', 'ObservedProperties', 'FeaturesOfInterest']) {
      for (const entity of (await sta<Collection>(`/${set}`)).value) {
        expect(await sta(relative(entity['@iot.selfLink'] as string))).toEqual(entity);
        for (const [name, link] of Object.entries(entity)) {
          if (name.endsWith('@iot.navigationLink')) await sta(relative(link as string));
        }
      }
    }
  }, 90_000);
});
