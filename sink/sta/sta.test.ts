// The SensorThings API over real HTTP on both store backends: the read-side assertions of the OGC ETS (sta10:
// sensing core, filtering extension) and of FROST-Server's tests, ported to our data (one station, 180 readings of
// Temp, SpCond, pH and Depth one second apart), plus keyset paging, stable ids and malformed queries.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { T0, container, measure } from '../../test/sink/containers.js';
import { CONTENT_TYPES, COMPONENT_TYPES, type DspMessage } from '../../protocol/model.js';
import { OPERATOR_TOKEN, sinkOnBackend, type InProcessSink } from '../../test/sink/harness.js';
import { STORE_BACKENDS, type StoreBackend } from '../../test/support/store-backends.js';
import { ENTITY_SETS, ENTITY_TYPES, type SetName } from './model.js';

let t: InProcessSink;
let current: StoreBackend;
const newSink = sinkOnBackend(() => current);
afterEach(async () => t.close());

type Json = Record<string, unknown>;
type Collection = { value: Json[]; '@iot.count'?: number; '@iot.nextLink'?: string };

async function get<T = Json>(path: string, status = 200): Promise<T> {
  const res = await t.api(`/sta/v1.1${path}`);
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

/** Follows an absolute link the service gave (selfLink, navigationLink, nextLink). */
async function follow<T = Json>(link: string): Promise<T> {
  const url = new URL(link);
  expect(url.origin).toBe(new URL(t.url).origin);
  const res = await t.api(url.pathname + url.search);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** 3 messages x 60 readings, one second apart from T0: sequences 1..180. */
async function withReadings(overrides = {}): Promise<void> {
  t = await newSink(overrides);
  const token = await t.addGateway('gw1');
  await t.exchange(
    token,
    container('gw1', [measure(1, T0, 60), measure(61, T0 + 60_000, 60), measure(121, T0 + 120_000, 60)]),
  );
}

const TEMP = "Datastreams('gw1:sonde:Temp')";

describe.each(STORE_BACKENDS)('SensorThings API on $name', (backend) => {
  beforeAll(async () => {
    current = backend;
    await backend.start();
  });
  afterAll(() => backend.stop());

  it('sensing core: the service root lists every entity set and the conformance classes', async () => {
    await withReadings();
    const root = await get<{ value: Array<{ name: string; url: string }>; serverSettings: { conformance: string[] } }>(
      '',
    );
    expect(root.value.map((v) => v.name)).toEqual([...ENTITY_SETS]);
    for (const { name, url } of root.value) expect(url).toBe(`${t.url}/sta/v1.1/${name}`);
    expect(root.serverSettings.conformance).toContain('http://www.opengis.net/spec/iot_sensing/1.1/req/request-data');
  });

  it('sensing core: every entity has its id, selfLink, properties and navigation links, and each link resolves', async () => {
    await withReadings();
    const seen: Record<string, number> = {};
    for (const set of ENTITY_SETS.filter((s) => s !== 'Locations' && s !== 'HistoricalLocations')) {
      const { value } = await get<Collection>(`/${set}?$top=3`);
      seen[set] = value.length;
      for (const entity of value) {
        const type = ENTITY_TYPES[set as SetName];
        expect(typeof entity['@iot.id']).toBe('string');
        for (const p of type.properties) expect(entity, `${set}.${p}`).toHaveProperty(p);
        for (const nav of Object.keys(type.navigation)) {
          expect(entity[`${nav}@iot.navigationLink`]).toBe(`${entity['@iot.selfLink'] as string}/${nav}`);
        }
        // ETS readEntityWithEntityType: the selfLink answers the same entity.
        expect(await follow(entity['@iot.selfLink'] as string)).toEqual(entity);
        // ETS readPropertyOfEntityWithEntityType: each property alone, and as $value.
        for (const p of type.properties) {
          const alone = await follow<Json>(`${entity['@iot.selfLink'] as string}/${p}`);
          expect(alone).toEqual({ [p]: entity[p] });
        }
        // ETS checkRelatedEntity: a navigation link answers the related entity or collection.
        for (const [nav, { many, target }] of Object.entries(type.navigation)) {
          const related = await follow<Json>(entity[`${nav}@iot.navigationLink`] as string);
          if (many) expect(Array.isArray(related.value)).toBe(true);
          else expect(related['@iot.selfLink']).toMatch(new RegExp(`/${target}\\('`));
        }
      }
    }
    expect(seen).toEqual({
      Things: 1,
      Datastreams: 3,
      Sensors: 1,
      ObservedProperties: 3,
      Observations: 3,
      FeaturesOfInterest: 1,
    });
    // ETS checkResourcePaths: navigation chains.
    expect(await get(`/Things('gw1')/${TEMP}/Sensor`)).toMatchObject({ '@iot.id': 'gw1:sonde' });
    expect(await get(`/Observations('gw1:7:pH')/Datastream/ObservedProperty/name`)).toEqual({ name: 'pH' });
    expect((await t.api(`/sta/v1.1/Things('gw1')/Datastreams('gw1:sonde:Nope')`)).status).toBe(404);
    const raw = await t.api(`/sta/v1.1/Things('gw1')/name/$value`);
    expect(raw.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await raw.text()).toBe('gw1');
    expect((await t.api("/sta/v1.1/Things('nope')")).status).toBe(404);
    expect((await t.api('/sta/v1.1/Widgets')).status).toBe(404);
    expect((await t.api("/sta/v1.1/Observations('gw1:999999:Temp')")).status).toBe(404);
  });

  it('maps a station: Datastream per parameter with UCUM units, CF definitions, Observation with flags and sequence', async () => {
    await withReadings();
    const ds = await get(`/${TEMP}?$expand=ObservedProperty,Thing,Sensor`);
    expect(ds.unitOfMeasurement).toEqual({
      name: 'degree Celsius',
      symbol: 'Cel',
      definition: 'http://unitsofmeasure.org/ucum.html#Cel',
    });
    expect(ds.phenomenonTime).toBe(`${new Date(T0).toISOString()}/${new Date(T0 + 179_000).toISOString()}`);
    expect(ds.ObservedProperty).toMatchObject({
      '@iot.id': 'Temp',
      definition: 'http://vocab.nerc.ac.uk/standard_name/sea_water_temperature/',
    });
    expect(ds.Thing).toMatchObject({ '@iot.id': 'gw1', name: 'gw1' });
    expect(ds.Sensor).toMatchObject({ '@iot.id': 'gw1:sonde' });
    const depth = await get("/Observations('gw1:5:Depth')");
    expect(depth).toMatchObject({
      phenomenonTime: new Date(T0 + 4000).toISOString(),
      resultTime: new Date(T0 + 4000).toISOString(),
      result: null,
      resultQuality: ['missing'],
      parameters: { sequence: 5, sondeTime: '11/20/2026 00:00:04' },
    });
  });

  it('a station with metadata (PATCH /api/gateways/:id) is a named Thing with a Location, a HistoricalLocation, a located feature', async () => {
    await withReadings();
    const patched = await t.api('/api/gateways/gw1', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Pier 7', latitude: 37.81, longitude: -122.41, description: 'north pile' }),
    });
    expect(patched.status).toBe(200);
    const point = { type: 'Point', coordinates: [-122.41, 37.81] };
    const thing = await get("/Things('gw1')?$expand=Locations,HistoricalLocations($expand=Locations)");
    expect(thing).toMatchObject({ name: 'Pier 7', description: 'north pile' });
    expect(thing.Locations).toEqual([
      expect.objectContaining({ '@iot.id': 'gw1', encodingType: 'application/geo+json', location: point }),
    ]);
    expect((thing.HistoricalLocations as Json[])[0]).toMatchObject({
      '@iot.id': 'gw1',
      Locations: [{ location: point }],
    });
    expect(await get("/FeaturesOfInterest('gw1')/feature")).toEqual({ feature: point });
    // ETS sensing core for the two sets that exist only with coordinates.
    for (const set of ['Locations', 'HistoricalLocations'] as const) {
      const [entity] = (await get<Collection>(`/${set}`)).value;
      expect(await follow(entity!['@iot.selfLink'] as string)).toEqual(entity);
      for (const nav of Object.keys(ENTITY_TYPES[set].navigation)) {
        expect(
          (await follow<Json>(entity![`${nav}@iot.navigationLink`] as string))['@iot.id'] ?? 'collection',
        ).toBeDefined();
      }
    }
    expect(await get<Collection>("/Locations?$filter=Things/name eq 'Pier 7'&$select=id")).toEqual({
      value: [{ '@iot.id': 'gw1' }],
    });
  });

  it('ids are natural keys: the same after a restart, and the same on either backend', async () => {
    await withReadings();
    const ids = async (): Promise<unknown[]> =>
      (await get<Collection>(`/${TEMP}/Observations?$top=3&$select=id`)).value.map((v) => v['@iot.id']);
    const before = await ids();
    expect(before).toEqual(['gw1:1:Temp', 'gw1:2:Temp', 'gw1:3:Temp']);
    await t.restart();
    expect(await ids()).toEqual(before);
  });

  it('filtering: $top, $skip, $count, $orderby, $select (ETS checkQueriesForEntityType)', async () => {
    await withReadings();
    const first = await get<Collection>(`/${TEMP}/Observations?$top=2&$count=true`);
    expect(first['@iot.count']).toBe(180);
    expect(first.value).toHaveLength(2);
    expect(first['@iot.nextLink']).toBeDefined();
    const skipped = await get<Collection>(`/${TEMP}/Observations?$skip=178&$select=result,phenomenonTime`);
    expect(skipped.value).toHaveLength(2);
    expect(Object.keys(skipped.value[0]!).sort()).toEqual(['phenomenonTime', 'result']);
    expect(skipped['@iot.nextLink']).toBeUndefined();
    const desc = await get<Collection>(`/${TEMP}/Observations?$orderby=phenomenonTime desc&$top=1`);
    expect(desc.value[0]).toMatchObject({ '@iot.id': 'gw1:180:Temp' });
    const byName = await get<Collection>('/ObservedProperties?$orderby=name desc&$select=name');
    expect(byName.value.map((v) => v.name)).toEqual(['pH', 'Water temperature', 'Specific conductance', 'Depth']);
    const counted = await get<Collection>('/Datastreams?$count=true&$top=1');
    expect(counted['@iot.count']).toBe(4);
    expect(counted.value).toHaveLength(1);
    expect(counted['@iot.nextLink']).toBe(`${t.url}/sta/v1.1/Datastreams?%24count=true&%24top=1&%24skip=1`);
    // ETS checkQueriesPriorityOrdering: $filter, then $orderby, then $skip, then $top.
    const ordered = await get<Collection>(
      `/${TEMP}/Observations?$filter=parameters/sequence le 100&$orderby=phenomenonTime desc&$skip=2&$top=3&$select=id`,
    );
    expect(ordered.value.map((v) => v['@iot.id'])).toEqual(['gw1:98:Temp', 'gw1:97:Temp', 'gw1:96:Temp']);
    // A sort other than by time: in memory, $skip pages.
    const byId = await get<Collection>(`/${TEMP}/Observations?$orderby=@iot.id desc&$top=1&$select=id`);
    expect(byId.value).toEqual([{ '@iot.id': 'gw1:9:Temp' }]); // string order: ':' sorts after '9'
  });

  it('filtering: $filter with comparison, logical, arithmetic operators and functions (ETS checkFilterForEntityType)', async () => {
    await withReadings();
    const count = async (set: string, filter: string): Promise<number> =>
      (await get<Collection>(`/${set}?$count=true&$top=0&$filter=${encodeURIComponent(filter)}`))['@iot.count']!;
    const obs = `${TEMP}/Observations`;
    const minute = new Date(T0 + 60_000).toISOString();
    expect(await count(obs, `phenomenonTime ge ${minute}`)).toBe(120);
    expect(await count(obs, `phenomenonTime lt ${minute}`)).toBe(60);
    expect(
      await count(obs, `phenomenonTime gt ${minute} and phenomenonTime le ${new Date(T0 + 70_000).toISOString()}`),
    ).toBe(10);
    expect(await count(obs, 'result eq 14.5')).toBe(180);
    expect(
      await count(obs, 'result add 0.5 eq 15 and result mul 2 eq 29 and result sub 4.5 eq 10 and result div 2 eq 7.25'),
    ).toBe(180);
    expect(await count(obs, 'result mod 2 eq 0.5')).toBe(180);
    expect(await count(obs, 'not (result gt 14) or result ne 14.5')).toBe(0);
    expect(await count(obs, 'round(result) eq 15 and floor(result) eq 14 and ceiling(result) eq 15')).toBe(180);
    expect(await count(obs, 'second(phenomenonTime) eq 30')).toBe(3);
    expect(
      await count(obs, 'minute(phenomenonTime) eq 1 and hour(phenomenonTime) eq 0 and day(phenomenonTime) eq 20'),
    ).toBe(60);
    expect(await count(obs, 'year(phenomenonTime) eq 2026 and month(phenomenonTime) eq 11')).toBe(180);
    expect(await count(obs, 'date(phenomenonTime) eq 2026-11-20')).toBe(180);
    expect(await count(obs, "Datastream/@iot.id eq 'gw1:sonde:Temp'")).toBe(180);
    expect(await count('Observations', "Datastream/ObservedProperty/@iot.id eq 'pH'")).toBe(180);
    expect(await count('Observations', "Datastream/@iot.id eq 'gw1:sonde:Temp' and result eq null")).toBe(0);
    expect(await count('Datastreams', "substringof('Temp', @iot.id)")).toBe(1);
    expect(await count('Datastreams', "endswith(@iot.id, 'pH') and startswith(@iot.id, 'gw1')")).toBe(1);
    expect(await count('Datastreams', "contains(name, 'conductance')")).toBe(1);
    expect(await count('Datastreams', "unitOfMeasurement/symbol eq 'Cel'")).toBe(1);
    expect(await count('ObservedProperties', "length(name) eq 2 and indexof(name, 'H') eq 1")).toBe(1);
    expect(
      await count(
        'ObservedProperties',
        "tolower(name) eq 'ph' and toupper(name) eq 'PH' and trim(concat(' ', name)) eq 'pH'",
      ),
    ).toBe(1);
    expect(await count('ObservedProperties', "substring(name, 1) eq 'H' and substring(name, 0, 1) eq 'p'")).toBe(1);
    expect(await count('Things', "Datastreams/ObservedProperty/name eq 'pH'")).toBe(1);
    expect(await count('Things', "Datastreams/ObservedProperty/name eq 'Turbidity'")).toBe(0);
  });

  it('filtering: nested $expand with its own options, and a dataArray', async () => {
    await withReadings();
    const things = await get<Collection>(
      "/Things?$expand=Datastreams($filter=properties/key eq 'Temp';$expand=Observations($orderby=phenomenonTime desc;$top=1;$select=result,phenomenonTime))",
    );
    const [thing] = things.value;
    const datastreams = thing!.Datastreams as Json[];
    expect(datastreams).toHaveLength(1);
    expect(datastreams[0]!.Observations).toEqual([
      { phenomenonTime: new Date(T0 + 179_000).toISOString(), result: 14.5 },
    ]);
    const array = await get<Json>(
      `/${TEMP}/Observations?$resultFormat=dataArray&$select=id,phenomenonTime,result&$top=2`,
    );
    expect(array.value).toEqual([
      {
        'Datastream@iot.navigationLink': `${t.url}/sta/v1.1/${TEMP}`,
        components: ['id', 'phenomenonTime', 'result'],
        'dataArray@iot.count': 2,
        dataArray: [
          ['gw1:1:Temp', new Date(T0).toISOString(), 14.5],
          ['gw1:2:Temp', new Date(T0 + 1000).toISOString(), 14.5],
        ],
      },
    ]);
  });

  it('pages by keyset: following every nextLink gives each Observation once, in time order, either way', async () => {
    await withReadings();
    for (const order of ['asc', 'desc']) {
      const ids: string[] = [];
      let page = await get<Collection>(`/${TEMP}/Observations?$top=7&$select=id&$orderby=phenomenonTime ${order}`);
      for (;;) {
        ids.push(...page.value.map((v) => v['@iot.id'] as string));
        if (!page['@iot.nextLink']) break;
        expect(page['@iot.nextLink']).toContain('%24skiptoken=');
        page = await follow<Collection>(page['@iot.nextLink']);
      }
      const expected = Array.from({ length: 180 }, (_, i) => `gw1:${i + 1}:Temp`);
      expect(ids).toEqual(order === 'asc' ? expected : expected.reverse());
    }
    // All Observations of the station (4 per reading, Depth included): 720, each once.
    const all = new Set<string>();
    let page = await get<Collection>('/Observations?$top=100&$select=id');
    for (;;) {
      for (const v of page.value) all.add(v['@iot.id'] as string);
      if (!page['@iot.nextLink']) break;
      page = await follow<Collection>(page['@iot.nextLink']);
    }
    expect(all.size).toBe(720);
  });

  it('answers every malformed query with a 400 that names the problem and repeats nothing of it', async () => {
    await withReadings();
    const bad = [
      '/Things?$top=-1',
      '/Things?$top=100001',
      '/Things?$skip=x',
      '/Things?$count=yes',
      '/Things?$bogus=1',
      '/Things?$select=<script>',
      '/Things?$expand=<script>',
      '/Things?$expand=Datastreams($top=<b>)',
      '/Things?$expand=Datastreams($evil=1)',
      '/Things?$orderby=<b>x</b>',
      "/Things?$filter=name eq '<script>",
      '/Things?$filter=name eq',
      '/Things?$filter=(name eq 1',
      '/Things?$filter=nosuchfn(name)',
      '/Things?$filter=<script>alert(1)</script>',
      "/Things?$filter=geo.distance(location, geography'POINT(1 2)') lt 1",
      '/Things?$filter=Datastreams/Observations/result eq 1',
      '/Things?$filter=' + 'not '.repeat(60) + 'true',
      '/Things?$filter=' + '('.repeat(50) + 'true' + ')'.repeat(50),
      '/Things?$resultFormat=dataArray',
      `/${TEMP}/Observations?$skiptoken=<script>`,
      `/${TEMP}/Observations?$skiptoken=eyJ0IjoiYSJ9`,
      "/Things('gw1')?$top=1",
      `/${TEMP}/Observations?$filter=phenomenonTime gt 2026-11-20T00:00:00 02:00`,
    ];
    for (const path of bad) {
      const res = await t.api(`/sta/v1.1${path.replace(/ /g, '%20')}`);
      const text = await res.text();
      expect(res.status, `${path}: ${text}`).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = JSON.parse(text) as { error: string; reason: string };
      expect(body.error).toBe('bad_query');
      expect(body.reason).toMatch(/^\$\w+|^an entity|^a |^the |^unknown|^path/);
      expect(text).not.toMatch(/<script|<b>|alert|POINT|evil/);
    }
  });

  it('asks for the operator token unless the data API is open', async () => {
    await withReadings();
    expect((await t.api('/sta/v1.1/Things', { token: null })).status).toBe(401);
    expect((await t.api('/sta/v1.1/Things', { token: 'wrong' })).status).toBe(401);
    expect((await t.api('/sta/v1.1/Things', { token: OPERATOR_TOKEN })).status).toBe(200);
    await t.close();
    await withReadings({ openDataApi: true });
    expect((await t.api('/sta/v1.1/Things', { token: null })).status).toBe(200);
  });

  it('a sonde swapped in the field is a second Sensor: each owns its Datastreams and the readings of its time', async () => {
    const described = (sequence: number, at: number, serialNumber: string): DspMessage => ({
      kind: 'EventMessage',
      messageId: `sd-${sequence}`,
      contentType: CONTENT_TYPES.sensorDescription,
      sequence,
      header: { creationTime: at, producer: { componentType: COMPONENT_TYPES.sonde } },
      body: {
        type: 'DSProperties',
        properties: [
          { name: 'serialNumber', value: serialNumber },
          { name: 'model', value: 'YSI 6600' },
        ],
      },
    });
    t = await newSink();
    const token = await t.addGateway('gw1');
    await t.exchange(
      token,
      container('gw1', [
        described(1, T0 - 500, '0167BF55'),
        measure(2, T0, 60),
        described(62, T0 + 60_000, '09ZZ1234'), // swapped; then the agent restarts and reports it again
        described(63, T0 + 90_000, '09ZZ1234'),
        measure(64, T0 + 60_000, 60),
      ]),
    );
    const sensors = await get<Collection>('/Sensors');
    expect(sensors.value.map((e) => [e['@iot.id'], e.properties])).toEqual([
      [
        'gw1:0167BF55',
        {
          model: 'YSI 6600',
          serialNumber: '0167BF55',
          reportedAt: new Date(T0 - 500).toISOString(),
          replacedAt: new Date(T0 + 60_000).toISOString(),
        },
      ],
      [
        'gw1:09ZZ1234',
        {
          model: 'YSI 6600',
          serialNumber: '09ZZ1234',
          reportedAt: new Date(T0 + 60_000).toISOString(),
          replacedAt: null,
        },
      ],
    ]);
    const old = await get<Collection>("/Sensors('gw1:0167BF55')/Datastreams");
    expect(old.value.map((e) => e['@iot.id'])).toContain('gw1:0167BF55:Temp');
    expect(old.value.every((e) => (e['@iot.id'] as string).startsWith('gw1:0167BF55:'))).toBe(true);
    const before = await get<Collection>("/Datastreams('gw1:0167BF55:Temp')/Observations?$count=true&$top=1");
    const after = await get<Collection>("/Datastreams('gw1:09ZZ1234:Temp')/Observations?$count=true&$top=1");
    expect([before['@iot.count'], after['@iot.count']]).toEqual([60, 60]);
    expect(before.value[0]!['@iot.id']).toBe('gw1:2:Temp');
    expect(after.value[0]!['@iot.id']).toBe('gw1:64:Temp');
    expect((await get<Json>("/Observations('gw1:70:Temp')/Datastream"))['@iot.id']).toBe('gw1:09ZZ1234:Temp');
    expect((await get<Json>("/Datastreams('gw1:09ZZ1234:Temp')/Sensor"))['@iot.id']).toBe('gw1:09ZZ1234');
    await get("/Datastreams('gw1:09ZZ1234:Temp')/Observations('gw1:2:Temp')", 404);
  });
});
