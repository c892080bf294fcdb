// What each sonde value key means in SensorThings terms: an ObservedProperty with a definition from a published
// vocabulary (CF standard names, as the NERC vocabulary server publishes them, where one exists; else a URN of
// this project), and the
// unitOfMeasurement in UCUM for the unit the reading carries (docs/sensorthings.md lists them).
const CF = 'http://vocab.nerc.ac.uk/standard_name/';
/** Keys no published vocabulary names as such: a URN of this project (docs/sensorthings.md explains each). */
const LOCAL_PREFIX = 'urn:netbeams-dsp:parameter:';
/** Sonde keys (drivers/parameters.ts) -> observed property. */
const MEANINGS = {
    Temp: {
        name: 'Water temperature',
        description: 'Temperature of the water at the sonde',
        definition: `${CF}sea_water_temperature/`,
    },
    SpCond: {
        name: 'Specific conductance',
        description: 'Electrical conductivity of the water compensated to 25 °C',
        definition: `${CF}sea_water_electrical_conductivity_at_reference_temperature/`,
    },
    Cond: {
        name: 'Conductivity',
        description: 'Electrical conductivity of the water',
        definition: `${CF}sea_water_electrical_conductivity/`,
    },
    Resist: {
        name: 'Resistivity',
        description: 'Electrical resistivity of the water',
        definition: `${LOCAL_PREFIX}Resist`,
    },
    TDS: {
        name: 'Total dissolved solids',
        description: 'Total dissolved solids computed from conductance',
        definition: `${LOCAL_PREFIX}TDS`,
    },
    Sal: {
        name: 'Salinity',
        description: 'Practical salinity of the water',
        definition: `${CF}sea_water_practical_salinity/`,
    },
    Press: { name: 'Pressure', description: 'Pressure at the depth sensor', definition: `${CF}sea_water_pressure/` },
    Depth: { name: 'Depth', description: 'Depth of the sonde below the surface', definition: `${CF}depth/` },
    pH: {
        name: 'pH',
        description: 'pH of the water (total scale)',
        definition: `${CF}sea_water_ph_reported_on_total_scale/`,
    },
    phmV: {
        name: 'pH electrode potential',
        description: 'Raw potential of the pH electrode',
        definition: `${LOCAL_PREFIX}phmV`,
    },
    Orp: {
        name: 'Oxidation-reduction potential',
        description: 'Redox potential of the water',
        definition: `${LOCAL_PREFIX}Orp`,
    },
    ODOSat: {
        name: 'Dissolved oxygen saturation',
        description: 'Dissolved oxygen as percent of saturation (optical sensor)',
        definition: `${CF}fractional_saturation_of_oxygen_in_sea_water/`,
    },
    ODOLocal: {
        name: 'Dissolved oxygen saturation (local)',
        description: 'Dissolved oxygen as percent of saturation at the local barometric pressure',
        definition: `${CF}fractional_saturation_of_oxygen_in_sea_water/`,
    },
    ODOConc: {
        name: 'Dissolved oxygen',
        description: 'Mass concentration of dissolved oxygen (optical sensor)',
        definition: `${CF}mass_concentration_of_oxygen_in_sea_water/`,
    },
    DOSat: {
        name: 'Dissolved oxygen saturation',
        description: 'Dissolved oxygen as percent of saturation (Clark cell)',
        definition: `${CF}fractional_saturation_of_oxygen_in_sea_water/`,
    },
    DOConc: {
        name: 'Dissolved oxygen',
        description: 'Mass concentration of dissolved oxygen (Clark cell)',
        definition: `${CF}mass_concentration_of_oxygen_in_sea_water/`,
    },
    Turbid: { name: 'Turbidity', description: 'Turbidity of the water', definition: `${CF}sea_water_turbidity/` },
    Chl: {
        name: 'Chlorophyll',
        description: 'Mass concentration of chlorophyll from fluorescence',
        definition: `${CF}mass_concentration_of_chlorophyll_in_sea_water/`,
    },
    ChlRFU: {
        name: 'Chlorophyll fluorescence',
        description: 'Chlorophyll fluorescence in relative units',
        definition: `${LOCAL_PREFIX}ChlRFU`,
    },
    BGAPC: {
        name: 'Phycocyanin-containing cyanobacteria',
        description: 'Cell count of phycocyanin-containing blue-green algae',
        definition: `${LOCAL_PREFIX}BGAPC`,
    },
    BGAPCRFU: {
        name: 'Phycocyanin fluorescence',
        description: 'Phycocyanin fluorescence in relative units',
        definition: `${LOCAL_PREFIX}BGAPCRFU`,
    },
    Battery: {
        name: 'Sonde battery voltage',
        description: 'Supply voltage of the sonde',
        definition: `${LOCAL_PREFIX}Battery`,
    },
};
/** Sonde unit spellings (protocol/model.ts STANDARD_UNITS, drivers/parameters.ts) -> UCUM. */
const UCUM = {
    C: { name: 'degree Celsius', symbol: 'Cel' },
    F: { name: 'degree Fahrenheit', symbol: '[degF]' },
    K: { name: 'kelvin', symbol: 'K' },
    'uS/cm': { name: 'microsiemens per centimetre', symbol: 'uS/cm' },
    'mS/cm': { name: 'millisiemens per centimetre', symbol: 'mS/cm' },
    'ohm*cm': { name: 'ohm centimetre', symbol: 'Ohm.cm' },
    'kohm*cm': { name: 'kilohm centimetre', symbol: 'kOhm.cm' },
    'Mohm*cm': { name: 'megohm centimetre', symbol: 'MOhm.cm' },
    'g/L': { name: 'gram per litre', symbol: 'g/L' },
    'kg/L': { name: 'kilogram per litre', symbol: 'kg/L' },
    ppt: { name: 'practical salinity unit', symbol: '[ppth]' },
    psi: { name: 'pound per square inch', symbol: '[psi]' },
    psia: { name: 'pound per square inch (absolute)', symbol: '[psi]' },
    psig: { name: 'pound per square inch (gauge)', symbol: '[psi]' },
    psir: { name: 'pound per square inch (relative)', symbol: '[psi]' },
    m: { name: 'metre', symbol: 'm' },
    ft: { name: 'foot', symbol: '[ft_i]' },
    pH: { name: 'pH', symbol: '[pH]' },
    mV: { name: 'millivolt', symbol: 'mV' },
    V: { name: 'volt', symbol: 'V' },
    '%': { name: 'percent', symbol: '%' },
    '%Local': { name: 'percent', symbol: '%' },
    'mg/L': { name: 'milligram per litre', symbol: 'mg/L' },
    'ug/L': { name: 'microgram per litre', symbol: 'ug/L' },
    NTU: { name: 'nephelometric turbidity unit', symbol: '[NTU]' },
    RFU: { name: 'relative fluorescence unit', symbol: '1' },
    'cells/mL': { name: 'cells per millilitre', symbol: '{cells}/mL' },
};
const UCUM_BASE = 'http://unitsofmeasure.org/ucum.html#';
export function meaningOf(key) {
    const known = Object.hasOwn(MEANINGS, key) ? MEANINGS[key] : undefined;
    return known ?? { name: key, description: `Sonde value ${key}`, definition: `${LOCAL_PREFIX}${key}` };
}
/** The UCUM unit of a sonde unit; an unknown unit is kept as printed (with no definition). */
export function unitOf(unit) {
    const ucum = Object.hasOwn(UCUM, unit) ? UCUM[unit] : undefined;
    if (ucum)
        return { ...ucum, definition: `${UCUM_BASE}${encodeURIComponent(ucum.symbol)}` };
    return { name: unit, symbol: unit, definition: '' };
}
//# sourceMappingURL=vocabulary.js.map