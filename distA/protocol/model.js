// The DSP message model shared by agent and sink.
//
// It mirrors the NetBEAMS v2 wire documents (MessagesContainer > *Message > Header + Body) and adds the
// fields that reliable delivery needs. Every extension is optional on the model so that documents from
// original NetBEAMS peers (which have none of them) decode into the same types. docs/protocol.md is the
// normative description; this file is its TypeScript form.
/** Element names of the original message set. Unknown names are refused by the decoder. */
export const MESSAGE_KINDS = [
    'MeasureMessage',
    'QueryMessage',
    'UpdateMessage',
    'AcknowledgementMessage',
    'EventMessage',
    'ActionMessage',
    'CreateMessage',
    'InsertMessage',
    'DeleteMessage',
];
/** ContentType strings: the payload's Java class name in the original system. */
export const CONTENT_TYPES = {
    sondeData: 'org.netbeams.dsp.ysi.SondeDataContainer',
    properties: 'org.netbeams.dsp.data.property.DSProperties',
    /** Extension: the agent's report of readings it had to drop (queue overflow, corrupt store). */
    gap: 'org.netbeams.dsp.event.GapReport',
    /** Extension: the sonde's serial number and model, sent when first known and when it changes. */
    sensorDescription: 'org.netbeams.dsp.ysi.SensorDescription',
};
/** Component types used by this system (strings, as in the original). */
export const COMPONENT_TYPES = {
    sonde: 'org.netbeams.dsp.ysi',
    wireTransportClient: 'org.netbeams.dsp.wiretransport.client',
    management: 'org.netbeams.dsp.management',
    persistence: 'org.netbeams.dsp.persistence',
};
/**
 * The Consumer of a MeasureMessage of readings whose Header names none (docs/protocol.md §5.4): the
 * management side of the sink the message is sent to. The agent leaves it out; the sink reads it so.
 */
export const DEFAULT_MEASURE_CONSUMER = Object.freeze({
    componentType: COMPONENT_TYPES.management,
    locator: Object.freeze({ nodeAddress: 'REMOTE' }),
});
/**
 * The unit each value has unless a container says otherwise (docs/protocol.md, "Units"). A container
 * declares only the values whose unit differs (`sondeUnits`), so readings in these units cost no bytes.
 */
export const STANDARD_UNITS = Object.freeze({
    Temp: 'C',
    SpCond: 'uS/cm',
    Cond: 'uS/cm',
    Resist: 'ohm*cm',
    TDS: 'g/L',
    Sal: 'ppt',
    Press: 'psi',
    Depth: 'm',
    pH: 'pH',
    phmV: 'mV',
    Orp: 'mV',
    ODOSat: '%',
    ODOConc: 'mg/L',
    DOSat: '%',
    DOConc: 'mg/L',
    Turbid: 'NTU',
    Chl: 'ug/L',
    BGAPC: 'cells/mL',
    Battery: 'V',
});
/** The standard unit of a value key, '' for a key that has none. */
export function standardUnit(key) {
    return Object.hasOwn(STANDARD_UNITS, key) ? (STANDARD_UNITS[key] ?? '') : '';
}
/** Per-reading and per-value quality flags. */
export const QUALITY_FLAGS = [
    'missing', // a sentinel (-99999, -INF) or empty field: the value is null
    'parse_error', // the field could not be read as a number: the value is null
    'out_of_water', // conductivity ~0 and depth near or below zero
    'suspect_clock', // the sonde clock drifted beyond the configured tolerance, or the date is implausible
    'out_of_range', // outside the sensor's physical range
    'backfilled', // not received live: read back later from the sonde's own memory (the gateway missed it)
];
//# sourceMappingURL=model.js.map