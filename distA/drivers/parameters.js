// What the sonde's column names, units and parameter ids mean.
//
// Three lookup tables, documented in docs/sonde-driver.md:
//  - UNIT_ALIASES: units as the sonde and its files print them -> one normalised spelling (the spelling of
//    protocol/model.ts STANDARD_UNITS where it has the unit, so standard units cost nothing on the wire);
//  - keyFor(name, unit): header names (with their unit, since `pH pH`, `Chl Chl`, `ODO ODO` are told apart
//    only by it) -> value keys that follow the original NetBEAMS element names where one exists;
//  - PARA_IDS: the `para` parameter ids (YSI 6-series manual Appendix N, via UNC Sonde6Data and TWDB).
const UNIT_ALIASES = {
    c: 'C',
    '°c': 'C',
    degc: 'C',
    f: 'F',
    '°f': 'F',
    k: 'K',
    'ms/cm': 'mS/cm',
    'us/cm': 'uS/cm',
    'µs/cm': 'uS/cm',
    'kohm-cm': 'kohm*cm',
    'kohm*cm': 'kohm*cm',
    'kohm·cm': 'kohm*cm',
    'mohm-cm': 'Mohm*cm',
    'mohm*cm': 'Mohm*cm',
    'mohm·cm': 'Mohm*cm',
    'ohm-cm': 'ohm*cm',
    'ohm*cm': 'ohm*cm',
    'ohm·cm': 'ohm*cm',
    'g/l': 'g/L',
    'kg/l': 'kg/L',
    ppt: 'ppt',
    psu: 'ppt',
    psia: 'psia',
    psig: 'psig',
    psir: 'psir',
    psi: 'psi',
    m: 'm',
    meter: 'm',
    meters: 'm',
    ft: 'ft',
    feet: 'ft',
    '%': '%',
    '%sat': '%',
    '%l': '%Local',
    '%local': '%Local',
    'mg/l': 'mg/L',
    mv: 'mV',
    ntu: 'NTU',
    'ug/l': 'ug/L',
    'µg/l': 'ug/L',
    rfu: 'RFU',
    'cells/ml': 'cells/mL',
    v: 'V',
    volt: 'V',
    volts: 'V',
};
/** The normalised spelling of a unit; unknown units are kept as printed. */
export function normaliseUnit(unit) {
    const trimmed = unit.trim();
    return UNIT_ALIASES[trimmed.toLowerCase()] ?? trimmed;
}
/** Header names -> key. A function of the unit where the name alone is ambiguous. */
const NAME_KEYS = {
    temp: () => 'Temp',
    temperature: () => 'Temp',
    spcond: () => 'SpCond',
    cond: () => 'Cond',
    resist: () => 'Resist',
    tds: () => 'TDS',
    sal: () => 'Sal',
    press: () => 'Press',
    depth: () => 'Depth',
    ph: (u) => (u === 'mV' ? 'phmV' : 'pH'),
    'ph mv': () => 'phmV',
    phmv: () => 'phmV',
    odosat: () => 'ODOSat',
    'odo %': () => 'ODOSat',
    odo: (u) => (u === '%' ? 'ODOSat' : u === '%Local' ? 'ODOLocal' : 'ODOConc'),
    'odo mg/l': () => 'ODOConc',
    odoconc: () => 'ODOConc',
    dosat: () => 'DOSat',
    'do %': () => 'DOSat',
    do: (u) => (u === '%' ? 'DOSat' : 'DOConc'),
    'do mg/l': () => 'DOConc',
    dochrg: () => 'DOchrg',
    turbid: () => 'Turbid',
    'turbid+': () => 'Turbid',
    turbidity: () => 'Turbid',
    chl: (u) => (u === 'RFU' ? 'ChlRFU' : 'Chl'),
    'chl rfu': () => 'ChlRFU',
    'bga-pc': (u) => (u === 'RFU' ? 'BGAPCRFU' : 'BGAPC'),
    bgapc: (u) => (u === 'RFU' ? 'BGAPCRFU' : 'BGAPC'),
    orp: () => 'Orp',
    battery: () => 'Battery',
    bat: () => 'Battery',
};
export function isKnownName(name) {
    return name.trim().toLowerCase() in NAME_KEYS;
}
/** Value key for a header name and its (normalised) unit. Unknown names keep their letters and digits. */
export function keyFor(name, unit) {
    const known = NAME_KEYS[name.trim().toLowerCase()];
    if (known)
        return known(unit);
    return name.replace(/[^A-Za-z0-9]/g, '') || 'Unnamed';
}
const DATE_UNITS = { 'm/d/y': 'mdy', 'd/m/y': 'dmy', 'y/m/d': 'ymd' };
/** The date/time column a header names+units pair describes, if any. */
export function dateTimeColumn(name, unit) {
    const u = unit.trim().toLowerCase();
    const dateFormat = DATE_UNITS[u];
    if (dateFormat)
        return { kind: 'date', format: dateFormat };
    if (u === 'hh:mm:ss' || name.trim().toLowerCase() === 'time')
        return { kind: 'time' };
    return null;
}
function value(key, unit) {
    return { kind: 'value', key, unit };
}
export const PARA_IDS = {
    51: { kind: 'date', format: 'dmy' },
    52: { kind: 'date', format: 'mdy' },
    53: { kind: 'date', format: 'ymd' },
    54: { kind: 'time' },
    1: value('Temp', 'C'),
    2: value('Temp', 'F'),
    3: value('Temp', 'K'),
    4: value('Cond', 'mS/cm'),
    5: value('Cond', 'uS/cm'),
    6: value('SpCond', 'mS/cm'),
    7: value('SpCond', 'uS/cm'),
    8: value('Resist', 'kohm*cm'),
    9: value('Resist', 'Mohm*cm'),
    94: value('Resist', 'ohm*cm'),
    10: value('TDS', 'g/L'),
    95: value('TDS', 'kg/L'),
    12: value('Sal', 'ppt'),
    14: value('DOSat', '%'),
    15: value('DOConc', 'mg/L'),
    96: value('DOchrg', ''),
    17: value('phmV', 'mV'),
    18: value('pH', 'pH'),
    19: value('Orp', 'mV'),
    20: value('Press', 'psia'),
    21: value('Press', 'psig'),
    104: value('Press', 'psir'),
    22: value('Depth', 'm'),
    23: value('Depth', 'ft'),
    28: value('Battery', 'V'),
    37: value('Turbid', 'NTU'),
    203: value('Turbid', 'NTU'),
    193: value('Chl', 'ug/L'),
    194: value('ChlRFU', 'RFU'),
    211: value('ODOSat', '%'),
    212: value('ODOConc', 'mg/L'),
    214: value('ODOLocal', '%Local'),
    215: value('BGAPC', 'cells/mL'),
    216: value('BGAPCRFU', 'RFU'),
};
/** The column of a `para` id; unknown ids keep their number (`P204`) so no value is dropped. */
export function columnForParaId(id) {
    return PARA_IDS[id] ?? value(`P${id}`, '');
}
/**
 * The original NetBEAMS layout (`yyyy/MM/dd HH:mm:ss` + 13 values) in the original's fixed units
 * (sonde-stream-lines.txt), which are protocol/model.ts STANDARD_UNITS.
 */
export const NETBEAMS_LAYOUT = [
    { kind: 'date', format: 'ymd' },
    { kind: 'time' },
    value('Temp', 'C'),
    value('SpCond', 'uS/cm'),
    value('Cond', 'uS/cm'),
    value('Resist', 'ohm*cm'),
    value('Sal', 'ppt'),
    value('Press', 'psi'),
    value('Depth', 'm'),
    value('pH', 'pH'),
    value('phmV', 'mV'),
    value('ODOSat', '%'),
    value('ODOConc', 'mg/L'),
    value('Turbid', 'NTU'),
    value('Battery', 'V'),
];
/** Plausible physical ranges (normalised units); values outside are flagged out_of_range, not dropped. */
export const PHYSICAL_RANGES = {
    Temp: { C: [-5, 50], F: [23, 122], K: [268, 323] },
    pH: { pH: [0, 14] },
    Sal: { ppt: [0, 70] },
    SpCond: { 'mS/cm': [0, 200], 'uS/cm': [0, 200_000] },
    Cond: { 'mS/cm': [0, 200], 'uS/cm': [0, 200_000] },
    ODOSat: { '%': [0, 500] },
    ODOConc: { 'mg/L': [0, 50] },
    DOSat: { '%': [0, 500] },
    DOConc: { 'mg/L': [0, 50] },
    Depth: { m: [-5, 200], ft: [-16, 656] },
    Turbid: { NTU: [-5, 1000] },
    Battery: { V: [0, 20] },
};
/** Conductivity below this (mS/cm) reads as "in air". */
export const DRY_CONDUCTIVITY_MS = 0.005;
/** Depth at or below this (m) reads as "at or above the surface". */
export const SURFACE_DEPTH_M = 0.01;
//# sourceMappingURL=parameters.js.map