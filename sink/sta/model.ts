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
] as const;
export type SetName = (typeof ENTITY_SETS)[number];

export interface Navigation {
  target: SetName;
  many: boolean;
}

export interface EntityType {
  properties: readonly string[];
  navigation: Readonly<Record<string, Navigation>>;
}

const one = (target: SetName): Navigation => ({ target, many: false });
const many = (target: SetName): Navigation => ({ target, many: true });

export const ENTITY_TYPES: Readonly<Record<SetName, EntityType>> = {
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

export function isEntitySet(name: string): name is SetName {
  return (ENTITY_SETS as readonly string[]).includes(name);
}

/** A time interval (Datastream phenomenonTime, Observation validTime), written as ISO 8601 `start/end`. */
export class TimeInterval {
  constructor(
    readonly start: Date,
    readonly end: Date,
  ) {}

  toJSON(): string {
    return `${this.start.toISOString()}/${this.end.toISOString()}`;
  }
}

/** One entity: its id and its properties as JavaScript values (times are Dates or TimeIntervals). */
export interface Entity {
  set: SetName;
  id: string;
  props: Record<string, unknown>;
  /** What the entity comes from (never written): its station, its sonde value key, its reading's position. */
  ref: EntityRef;
}

export interface EntityRef {
  gateway: string;
  key?: string;
  /** Observations: the reading's storage id and time, the position a page resumes after. */
  readingId?: number;
  time?: number;
  keyIndex?: number;
  /** Sensors and Datastreams of a reported sonde: its Sensor id and the span of reading times it owns. */
  sensor?: string;
  from?: number;
  to?: number;
}
