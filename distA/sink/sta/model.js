// The SensorThings 1.1 sensing-core data model as this service offers it: the entity sets, their properties (in
// the order they are written) and their navigation properties.
export const ENTITY_SETS = [
    'Things',
    'Locations',
    'HistoricalLocations',
    'Datastreams',
    'Sensors',
    'ObservedProperties',
    'Observations',
    'FeaturesOfInterest',
];
const one = (target) => ({ target, many: false });
const many = (target) => ({ target, many: true });
export const ENTITY_TYPES = {
    Things: {
        properties: ['name', 'description', 'properties'],
        navigation: {
            Locations: many('Locations'),
            HistoricalLocations: many('HistoricalLocations'),
            Datastreams: many('Datastreams'),
        },
    },
    Locations: {
        properties: ['name', 'description', 'encodingType', 'location', 'properties'],
        navigation: { Things: many('Things'), HistoricalLocations: many('HistoricalLocations') },
    },
    HistoricalLocations: {
        properties: ['time'],
        navigation: { Thing: one('Things'), Locations: many('Locations') },
    },
    Datastreams: {
        properties: [
            'name',
            'description',
            'unitOfMeasurement',
            'observationType',
            'observedArea',
            'phenomenonTime',
            'resultTime',
            'properties',
        ],
        navigation: {
            Thing: one('Things'),
            Sensor: one('Sensors'),
            ObservedProperty: one('ObservedProperties'),
            Observations: many('Observations'),
        },
    },
    Sensors: {
        properties: ['name', 'description', 'encodingType', 'metadata', 'properties'],
        navigation: { Datastreams: many('Datastreams') },
    },
    ObservedProperties: {
        properties: ['name', 'definition', 'description', 'properties'],
        navigation: { Datastreams: many('Datastreams') },
    },
    Observations: {
        properties: ['phenomenonTime', 'result', 'resultTime', 'resultQuality', 'validTime', 'parameters'],
        navigation: { Datastream: one('Datastreams'), FeatureOfInterest: one('FeaturesOfInterest') },
    },
    FeaturesOfInterest: {
        properties: ['name', 'description', 'encodingType', 'feature', 'properties'],
        navigation: { Observations: many('Observations') },
    },
};
export function isEntitySet(name) {
    return ENTITY_SETS.includes(name);
}
/** A time interval (Datastream phenomenonTime, Observation validTime), written as ISO 8601 `start/end`. */
export class TimeInterval {
    start;
    end;
    constructor(start, end) {
        this.start = start;
        this.end = end;
    }
    toJSON() {
        return `${this.start.toISOString()}/${this.end.toISOString()}`;
    }
}
//# sourceMappingURL=model.js.map