import { ENTITY_TYPES, TimeInterval } from './model.js';
import { loadSensorSpans } from './sensors.js';
import { meaningOf, unitOf } from './vocabulary.js';
/** The Sensor id of a station's sonde while its model and serial number are not known. */
export function unidentifiedSensorId(gateway) {
    return `${gateway}:sonde`;
}
export function datastreamId(sensor, key) {
    return `${sensor}:${key}`;
}
export class Catalog {
    sets = new Map();
    byId = new Map();
    /** Datastream keys of each station, in the order of its latest reading. */
    keysOf = new Map();
    constructor(stations) {
        for (const set of Object.keys(ENTITY_TYPES))
            if (set !== 'Observations')
                this.sets.set(set, []);
        const observedProperties = new Map();
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
            if (keys.length === 0)
                continue;
            const first = station.first ?? latest;
            const sensors = station.sensors.length > 0 ? station.sensors : [{ id: unidentifiedSensorId(id), gateway: id }];
            for (const sensor of sensors) {
                const span = {
                    ...(sensor.from === undefined ? {} : { from: sensor.from }),
                    ...(sensor.to === undefined ? {} : { to: sensor.to }),
                };
                this.add({
                    set: 'Sensors',
                    id: sensor.id,
                    ref: { gateway: id, sensor: sensor.id, ...span },
                    props: sensor.serialNumber === undefined
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
                                reportedAt: new Date(sensor.reportedAt).toISOString(),
                                replacedAt: sensor.to === undefined ? null : new Date(sensor.to).toISOString(),
                            },
                        },
                });
                // The span's readings run from its first to its last, as far as the station's first and latest show.
                const start = Math.max(first.time, sensor.from ?? -Infinity);
                const end = Math.min(latest.time, (sensor.to ?? Infinity) - 1);
                for (const key of keys) {
                    if (!observedProperties.has(key)) {
                        const meaning = meaningOf(key);
                        const entity = {
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
    static async load(store) {
        const [gateways, sensors] = await Promise.all([store.listGateways(), loadSensorSpans(store)]);
        const stations = await Promise.all(gateways.map(async (gateway) => {
            const latest = await store.latestReading(gateway.id);
            const station = { gateway, sensors: sensors.get(gateway.id) ?? [] };
            if (!latest)
                return station;
            station.latest = latest;
            for await (const first of store.readings({ gateway: gateway.id, limit: 1 }))
                station.first = first;
            return station;
        }));
        return new Catalog(stations);
    }
    add(entity) {
        this.sets.get(entity.set).push(entity);
        this.byId.set(`${entity.set}\u0000${entity.id}`, entity);
    }
    all(set) {
        return this.sets.get(set);
    }
    get(set, id) {
        return this.byId.get(`${set}\u0000${id}`);
    }
    /** The Datastream a value of the station's reading at `time` belongs to (the sonde of that time). */
    datastreamOf(gateway, key, time) {
        return this.all('Datastreams').find((e) => e.ref.gateway === gateway && e.ref.key === key && within(e.ref, time));
    }
    /** The entities a navigation property leads to, or the Observations it leads to. */
    related(entity, nav) {
        const { gateway, key } = entity.ref;
        const ofStation = (set) => this.all(set).filter((e) => e.ref.gateway === gateway);
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
export function within(span, time) {
    return (span.from === undefined || time >= span.from) && (span.to === undefined || time < span.to);
}
/** The serial number and a space, or nothing while the sonde was not reported. */
function serialOf(sensor) {
    return sensor.serialNumber === undefined ? '' : `${sensor.serialNumber} `;
}
function spanOf(ref) {
    return { ...(ref.from === undefined ? {} : { from: ref.from }), ...(ref.to === undefined ? {} : { to: ref.to }) };
}
/** Time bounds narrowed to a scope's span of one sonde. */
export function clipToScope(bounds, scope) {
    const from = Math.max(bounds.from ?? -Infinity, scope.from ?? -Infinity);
    const to = Math.min(bounds.to ?? Infinity, scope.to ?? Infinity);
    const clipped = { ...bounds };
    delete clipped.from;
    delete clipped.to;
    return { ...clipped, ...(from === -Infinity ? {} : { from }), ...(to === Infinity ? {} : { to }) };
}
/** A station's coordinates as a GeoJSON point, when it has them. */
function pointOf(gw) {
    if (typeof gw.latitude !== 'number' || typeof gw.longitude !== 'number')
        return undefined;
    return { type: 'Point', coordinates: [gw.longitude, gw.latitude] };
}
//# sourceMappingURL=catalog.js.map