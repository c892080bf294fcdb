// The mapping of stations to SensorThings entities (docs/sensorthings.md): every entity set except Observations
// is small (a few per station) and is built per request from the gateways and their first and latest readings.
// Ids are natural keys (the gateway id, the sonde value key), so they survive restarts, backends and a copy.
import type { GatewayRecord, StationMetadata, Store, StoredReading } from '../store/store.js';
import { ENTITY_TYPES, TimeInterval, type Entity, type SetName } from './model.js';
import { meaningOf, unitOf } from './vocabulary.js';

export type CatalogSet = Exclude<SetName, 'Observations'>;

/** Which Observations a navigation leads to: one station's (or every station's) values of some keys. */
export interface ObservationScope {
  gateway?: string;
  /** Sonde value keys (one per Datastream); absent: every Datastream of the station(s). */
  keys?: readonly string[];
}

/** The Sensor id of a station's sonde while its model and serial number are not known. */
export function unidentifiedSensorId(gateway: string): string {
  return `${gateway}:sonde`;
}

export function datastreamId(gateway: string, key: string): string {
  return `${unidentifiedSensorId(gateway)}:${key}`;
}

interface Station {
  gateway: GatewayRecord;
  first?: StoredReading;
  latest?: StoredReading;
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
      const sensor = unidentifiedSensorId(id);
      this.add({
        set: 'Sensors',
        id: sensor,
        ref: { gateway: id },
        props: {
          name: `Sonde of ${gw.name ?? id}`,
          description: 'YSI 6-series multiparameter sonde (model and serial number not reported)',
          encodingType: 'text/html',
          metadata: 'https://www.ysi.com/',
          properties: {},
        },
      });
      const first = station.first ?? latest;
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
          id: datastreamId(id, key),
          ref: { gateway: id, key },
          props: {
            name: `${meaning.name} at ${gw.name ?? id}`,
            description: `${meaning.description}, measured by the sonde of station ${id}`,
            unitOfMeasurement: unitOf(latest?.units?.[key] ?? ''),
            observationType: 'http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement',
            observedArea: point ?? null,
            phenomenonTime: latest && first ? new TimeInterval(new Date(first.time), new Date(latest.time)) : null,
            resultTime: null,
            properties: { key },
          },
        });
      }
    }
  }

  /** Reads the stations from the store: one indexed query per station for its first and latest reading. */
  static async load(store: Store): Promise<Catalog> {
    const gateways = await store.listGateways();
    const stations = await Promise.all(
      gateways.map(async (gateway): Promise<Station> => {
        const latest = await store.latestReading(gateway.id);
        const station: Station = { gateway };
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
      case 'Sensors/Datastreams':
        return ofStation('Datastreams');
      case 'Locations/Things':
      case 'HistoricalLocations/Thing':
      case 'Datastreams/Thing':
        return ofStation('Things');
      case 'Datastreams/Sensor':
        return ofStation('Sensors');
      case 'Datastreams/ObservedProperty':
        return [this.get('ObservedProperties', key ?? '')].filter((e) => e !== undefined);
      case 'ObservedProperties/Datastreams':
        return this.all('Datastreams').filter((e) => e.ref.key === entity.id);
      case 'Observations/Datastream':
        return [this.get('Datastreams', datastreamId(gateway, key ?? ''))].filter((e) => e !== undefined);
      case 'Observations/FeatureOfInterest':
        return ofStation('FeaturesOfInterest');
      case 'Datastreams/Observations':
        return { gateway, keys: [key ?? ''] };
      case 'FeaturesOfInterest/Observations':
        return { gateway };
      default:
        return [];
    }
  }
}

/** A station's coordinates as a GeoJSON point, when it has them. */
function pointOf(gw: StationMetadata): { type: 'Point'; coordinates: [number, number] } | undefined {
  if (typeof gw.latitude !== 'number' || typeof gw.longitude !== 'number') return undefined;
  return { type: 'Point', coordinates: [gw.longitude, gw.latitude] };
}
