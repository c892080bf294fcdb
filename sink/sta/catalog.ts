// The mapping of stations to SensorThings entities (docs/sensorthings.md): every entity set except Observations
// is small (a few per station) and is built per request from the gateways and their first and latest readings.
// Ids are natural keys (the gateway id, the sonde's serial number, the sonde value key), so they survive
// restarts, backends and a copy. A station's sondes come from the descriptions its agent sent (sensors.ts).
import type { GatewayRecord, StationMetadata, Store, StoredReading } from '../store/store.js';
import { ENTITY_TYPES, TimeInterval, type Entity, type SetName } from './model.js';
import { loadSensorSpans, type SensorSpan } from './sensors.js';
import { meaningOf, unitOf } from './vocabulary.js';

export type CatalogSet = Exclude<SetName, 'Observations'>;

/** Which Observations a navigation leads to: one station's (or every station's) values of some keys. */
export interface ObservationScope {
  gateway?: string;
  /** Sonde value keys (one per Datastream); absent: every Datastream of the station(s). */
  keys?: readonly string[];
  /** The reading times of one sonde (a Datastream of a reported sonde): from inclusive, to exclusive. */
  from?: number;
  to?: number;
}

/** The Sensor id of a station's sonde while its model and serial number are not known. */
export function unidentifiedSensorId(gateway: string): string {
  return `${gateway}:sonde`;
}

export function datastreamId(sensor: string, key: string): string {
  return `${sensor}:${key}`;
}

interface Station {
  gateway: GatewayRecord;
  first?: StoredReading;
  latest?: StoredReading;
  sensors: SensorSpan[];
}

export class Catalog {
  private readonly sets = new Map<CatalogSet, Entity[]>();
  private readonly byId = new Map<string, Entity>();
  /** Datastream keys of each station, in the order of its latest reading. */
  readonly keysOf = new Map<string, string[]>();

  private constructor(stations: Station[]) {
    for (const set of Object.keys(ENTITY_TYPES) as SetName[]) if (set !== 'Observations') this.sets.set(set, []);
    const observedProperties = new Map<string, Entity>();
    for (const station of stations) {
      const id = station.gateway.id;
      // The station metadata an operator set (PATCH /api/gateways/:id); each field optional.
      const gw = { ...station.gateway.station, createdAt: station.gateway.createdAt };
      this.add({
        set: 'Things',
        id,
        ref: { gateway: id },
        props: {
          name: gw.name ?? id,
          description: gw.description ?? `Water-quality station ${id} (a YSI sonde read by a NetBEAMS gateway)`,
          properties: { gateway: id, createdAt: new Date(gw.createdAt).toISOString() },
        },
      });
      const point = pointOf(gw);
      if (point) {
        this.add({
          set: 'Locations',
          id,
          ref: { gateway: id },
          props: {
            name: gw.name ?? id,
            description: `Position of station ${id}`,
            encodingType: 'application/geo+json',
            location: point,
            properties: {},
          },
        });
        this.add({ set: 'HistoricalLocations', id, ref: { gateway: id }, props: { time: new Date(gw.createdAt) } });
      }
      this.add({
        set: 'FeaturesOfInterest',
        id,
        ref: { gateway: id },
        props: {
          name: `Water at ${gw.name ?? id}`,
          description: `The water body the sonde of station ${id} sits in`,
          encodingType: 'application/geo+json',
          feature: point ?? null,
          properties: {},
        },
      });
      const latest = station.latest;
      const keys = latest ? Object.keys(latest.values) : [];
      this.keysOf.set(id, keys);
      if (keys.length === 0) continue;
      const first = station.first ?? latest!;
      const sensors: Array<Omit<SensorSpan, 'serialNumber' | 'model' | 'reportedAt'> & Partial<SensorSpan>> =
        station.sensors.length > 0 ? station.sensors : [{ id: unidentifiedSensorId(id), gateway: id }];
      for (const sensor of sensors) {
        const span = {
          ...(sensor.from === undefined ? {} : { from: sensor.from }),
          ...(sensor.to === undefined ? {} : { to: sensor.to }),
        };
        this.add({
          set: 'Sensors',
          id: sensor.id,
          ref: { gateway: id, sensor: sensor.id, ...span },
          props:
            sensor.serialNumber === undefined
              ? {
                  name: `Sonde of ${gw.name ?? id}`,
                  description: 'YSI 6-series multiparameter sonde (model and serial number not reported)',
                  encodingType: 'text/html',
                  metadata: 'https://www.ysi.com/',
                  properties: {},
                }
              : {
                  name: `${sensor.model} ${sensor.serialNumber}`,
                  description: `${sensor.model} sonde, serial number ${sensor.serialNumber}, at station ${gw.name ?? id}`,
                  encodingType: 'text/html',
                  metadata: 'https://www.ysi.com/',
                  properties: {
                    model: sensor.model,
                    serialNumber: sensor.serialNumber,
                    reportedAt: new Date(sensor.reportedAt!).toISOString(),
                    replacedAt: sensor.to === undefined ? null : new Date(sensor.to).toISOString(),
                  },
                },
        });
        // The span's readings run from its first to its last, as far as the station's first and latest show.
        const start = Math.max(first.time, sensor.from ?? -Infinity);
        const end = Math.min(latest!.time, (sensor.to ?? Infinity) - 1);
        for (const key of keys) {
          if (!observedProperties.has(key)) {
            const meaning = meaningOf(key);
            const entity: Entity = {
              set: 'ObservedProperties',
              id: key,
              ref: { gateway: id, key },
              props: {
                name: meaning.name,
                definition: meaning.definition,
                description: meaning.description,
                properties: { key },
              },
            };
            observedProperties.set(key, entity);
            this.add(entity);
          }
          const meaning = meaningOf(key);
          this.add({
            set: 'Datastreams',
            id: datastreamId(sensor.id, key),
            ref: { gateway: id, key, sensor: sensor.id, ...span },
            props: {
              name: `${meaning.name} at ${gw.name ?? id}`,
              description: `${meaning.description}, measured by the sonde ${serialOf(sensor)}of station ${id}`,
              unitOfMeasurement: unitOf(latest?.units?.[key] ?? ''),
              observationType: 'http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement',
              observedArea: point ?? null,
              phenomenonTime: start <= end ? new TimeInterval(new Date(start), new Date(end)) : null,
              resultTime: null,
              properties: { key },
            },
          });
        }
      }
    }
  }

  /** Reads the stations from the store: one indexed query per station for its first and latest reading. */
  static async load(store: Store): Promise<Catalog> {
    const [gateways, sensors] = await Promise.all([store.listGateways(), loadSensorSpans(store)]);
    const stations = await Promise.all(
      gateways.map(async (gateway): Promise<Station> => {
        const latest = await store.latestReading(gateway.id);
        const station: Station = { gateway, sensors: sensors.get(gateway.id) ?? [] };
        if (!latest) return station;
        station.latest = latest;
        for await (const first of store.readings({ gateway: gateway.id, limit: 1 })) station.first = first;
        return station;
      }),
    );
    return new Catalog(stations);
  }

  private add(entity: Entity): void {
    this.sets.get(entity.set as CatalogSet)!.push(entity);
    this.byId.set(`${entity.set}\u0000${entity.id}`, entity);
  }

  all(set: CatalogSet): readonly Entity[] {
    return this.sets.get(set)!;
  }

  get(set: CatalogSet, id: string): Entity | undefined {
    return this.byId.get(`${set}\u0000${id}`);
  }

  /** The Datastream a value of the station's reading at `time` belongs to (the sonde of that time). */
  datastreamOf(gateway: string, key: string, time: number): Entity | undefined {
    return this.all('Datastreams').find((e) => e.ref.gateway === gateway && e.ref.key === key && within(e.ref, time));
  }

  /** The entities a navigation property leads to, or the Observations it leads to. */
  related(entity: Entity, nav: string): Entity[] | ObservationScope {
    const { gateway, key } = entity.ref;
    const ofStation = (set: CatalogSet): Entity[] => this.all(set).filter((e) => e.ref.gateway === gateway);
    switch (`${entity.set}/${nav}`) {
      case 'Things/Locations':
      case 'HistoricalLocations/Locations':
        return ofStation('Locations');
      case 'Things/HistoricalLocations':
      case 'Locations/HistoricalLocations':
        return ofStation('HistoricalLocations');
      case 'Things/Datastreams':
        return ofStation('Datastreams');
      case 'Sensors/Datastreams':
        return ofStation('Datastreams').filter((e) => e.ref.sensor === entity.id);
      case 'Locations/Things':
      case 'HistoricalLocations/Thing':
      case 'Datastreams/Thing':
        return ofStation('Things');
      case 'Datastreams/Sensor':
        return ofStation('Sensors').filter((e) => e.id === entity.ref.sensor);
      case 'Datastreams/ObservedProperty':
        return [this.get('ObservedProperties', key ?? '')].filter((e) => e !== undefined);
      case 'ObservedProperties/Datastreams':
        return this.all('Datastreams').filter((e) => e.ref.key === entity.id);
      case 'Observations/Datastream':
        return [this.datastreamOf(gateway, key ?? '', entity.ref.time ?? 0)].filter((e) => e !== undefined);
      case 'Observations/FeatureOfInterest':
        return ofStation('FeaturesOfInterest');
      case 'Datastreams/Observations':
        return { gateway, keys: [key ?? ''], ...spanOf(entity.ref) };
      case 'FeaturesOfInterest/Observations':
        return { gateway };
      default:
        return [];
    }
  }
}

/** Whether a reading time falls in the span of a sonde (no bounds: the station's only, unreported sonde). */
export function within(span: { from?: number; to?: number }, time: number): boolean {
  return (span.from === undefined || time >= span.from) && (span.to === undefined || time < span.to);
}

/** The serial number and a space, or nothing while the sonde was not reported. */
function serialOf(sensor: { serialNumber?: string }): string {
  return sensor.serialNumber === undefined ? '' : `${sensor.serialNumber} `;
}

function spanOf(ref: { from?: number; to?: number }): { from?: number; to?: number } {
  return { ...(ref.from === undefined ? {} : { from: ref.from }), ...(ref.to === undefined ? {} : { to: ref.to }) };
}

/** Time bounds narrowed to a scope's span of one sonde. */
export function clipToScope<T extends { from?: number; to?: number }>(bounds: T, scope: ObservationScope): T {
  const from = Math.max(bounds.from ?? -Infinity, scope.from ?? -Infinity);
  const to = Math.min(bounds.to ?? Infinity, scope.to ?? Infinity);
  const clipped = { ...bounds };
  delete clipped.from;
  delete clipped.to;
  return { ...clipped, ...(from === -Infinity ? {} : { from }), ...(to === Infinity ? {} : { to }) };
}

/** A station's coordinates as a GeoJSON point, when it has them. */
function pointOf(gw: StationMetadata): { type: 'Point'; coordinates: [number, number] } | undefined {
  if (typeof gw.latitude !== 'number' || typeof gw.longitude !== 'number') return undefined;
  return { type: 'Point', coordinates: [gw.longitude, gw.latitude] };
}
