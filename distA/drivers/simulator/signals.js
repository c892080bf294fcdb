// Plausible, slowly drifting water-quality values for the simulated sonde: a semi-diurnal tide moves
// depth, pressure and conductivity; a daily cycle moves temperature and oxygen; small seeded noise on top.
import { columnForParaId } from '../parameters.js';
const TIDE_PERIOD_MS = 12.42 * 3600_000;
const DAY_MS = 86_400_000;
export function environmentAt(t, random) {
    const tide = Math.sin((2 * Math.PI * t) / TIDE_PERIOD_MS);
    const day = Math.sin(2 * Math.PI * (t / DAY_MS - 0.375)); // warmest mid-afternoon UTC-agnostic
    const noise = (scale) => (random() - 0.5) * scale;
    const temp = 15 + 2 * day + noise(0.02);
    const spCond = 45 + 1.5 * tide + noise(0.01);
    const depth = 3 + 0.9 * tide + noise(0.002);
    const odoSat = 95 + 5 * day + noise(0.2);
    return {
        temp,
        spCond,
        cond: spCond * (1 + 0.0191 * (temp - 25)),
        sal: spCond * 0.64,
        depth,
        pressPsi: depth * 1.422,
        pH: 7.9 + 0.05 * day + noise(0.01),
        odoSat,
        odoConc: (odoSat / 100) * 8.6,
        turbid: 5 + 2 * Math.abs(tide) + noise(0.2),
        chl: 3.7 + 0.5 * day + noise(0.05),
        bgapc: 350 + 40 * day + noise(5),
        orp: 210 + noise(1),
        battery: 12.4 - ((t / DAY_MS) % 30) * 0.01,
    };
}
const SIM_COLUMNS = [
    { id: 1, name: 'Temp', unit: 'C', decimals: 2, value: (e) => e.temp },
    { id: 2, name: 'Temp', unit: 'F', decimals: 2, value: (e) => e.temp * 1.8 + 32 },
    { id: 4, name: 'Cond', unit: 'mS/cm', decimals: 3, value: (e) => e.cond },
    { id: 5, name: 'Cond', unit: 'uS/cm', decimals: 0, value: (e) => e.cond * 1000 },
    { id: 6, name: 'SpCond', unit: 'mS/cm', decimals: 3, value: (e) => e.spCond },
    { id: 7, name: 'SpCond', unit: 'uS/cm', decimals: 0, value: (e) => e.spCond * 1000 },
    { id: 94, name: 'Resist', unit: 'Ohm-cm', decimals: 2, value: (e) => 1e3 / e.cond },
    { id: 10, name: 'TDS', unit: 'g/L', decimals: 3, value: (e) => e.spCond * 0.65 },
    { id: 12, name: 'Sal', unit: 'ppt', decimals: 2, value: (e) => e.sal },
    { id: 104, name: 'Press', unit: 'psir', decimals: 3, value: (e) => e.pressPsi },
    { id: 22, name: 'Depth', unit: 'meters', decimals: 3, value: (e) => e.depth },
    { id: 23, name: 'Depth', unit: 'feet', decimals: 3, value: (e) => e.depth / 0.3048 },
    { id: 18, name: 'pH', unit: '', decimals: 2, value: (e) => e.pH },
    { id: 17, name: 'pH', unit: 'mV', decimals: 1, value: (e) => -59.2 * (e.pH - 7) },
    { id: 19, name: 'Orp', unit: 'mV', decimals: 1, value: (e) => e.orp },
    { id: 211, name: 'ODOsat', unit: '%', decimals: 1, value: (e) => e.odoSat },
    { id: 212, name: 'ODO', unit: 'mg/L', decimals: 2, value: (e) => e.odoConc },
    { id: 203, name: 'Turbid+', unit: 'NTU', decimals: 1, value: (e) => e.turbid },
    { id: 193, name: 'Chl', unit: 'ug/L', decimals: 1, value: (e) => e.chl },
    { id: 194, name: 'Chl', unit: 'RFU', decimals: 1, value: (e) => e.chl * 0.27 },
    { id: 215, name: 'BGA-PC', unit: 'cells/mL', decimals: 0, value: (e) => e.bgapc },
    { id: 28, name: 'Battery', unit: 'volts', decimals: 1, value: (e) => e.battery },
];
/** The columns a 6600 EDS V2 in the bay reports; conductivity in uS/cm as in the original system. */
export const DEFAULT_PARA_IDS = [1, 7, 5, 12, 104, 22, 18, 17, 211, 212, 203, 28];
export function simColumn(id) {
    const column = SIM_COLUMNS.find((c) => c.id === id);
    if (!column)
        throw new RangeError(`the simulator cannot print para id ${id}`);
    return column;
}
/** The reading key the driver will give this id (the oracle compares by these keys). */
export function simKey(id) {
    const column = columnForParaId(id);
    return column.kind === 'value' ? column.key : String(id);
}
/** The original NetBEAMS simulator's 13 columns, as printed in legacy mode (key, decimals, value). */
export const LEGACY_COLUMNS = [
    { key: 'Temp', decimals: 2, value: (e) => e.temp },
    { key: 'SpCond', decimals: 1, value: (e) => e.spCond * 1000 },
    { key: 'Cond', decimals: 1, value: (e) => e.cond * 1000 },
    { key: 'Resist', decimals: 2, value: (e) => 1e3 / e.cond },
    { key: 'Sal', decimals: 2, value: (e) => e.sal },
    { key: 'Press', decimals: 3, value: (e) => e.pressPsi },
    { key: 'Depth', decimals: 3, value: (e) => e.depth },
    { key: 'pH', decimals: 2, value: (e) => e.pH },
    { key: 'phmV', decimals: 1, value: (e) => -59.2 * (e.pH - 7) },
    { key: 'ODOSat', decimals: 1, value: (e) => e.odoSat },
    { key: 'ODOConc', decimals: 2, value: (e) => e.odoConc },
    { key: 'Turbid', decimals: 1, value: (e) => e.turbid },
    { key: 'Battery', decimals: 1, value: (e) => e.battery },
];
//# sourceMappingURL=signals.js.map