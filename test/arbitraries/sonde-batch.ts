// A batch of sonde readings as a gateway sends it, with what real batches do: missing values, precision
// changes, time jumps, sequence gaps, raw lines that the layout does not reproduce, a sonde swap, flags,
// other units, other messages around (the columnar encoding's tests).
import fc from 'fast-check';
import type { DspMessage, MessagesContainer, QualityFlag, SondeReading } from '../../protocol/model.js';
import { renderRawLine, type RawLayout } from '../../protocol/raw-layout.js';

const NETBEAMS: RawLayout = {
  lead: '',
  columns: [2, 1, 1, 2].map((decimals) => ({ align: 'gap' as const, size: 3, decimals })),
  tail: '',
};
const SWAPPED: RawLayout = {
  lead: '',
  columns: [2, 2, 3].map((decimals) => ({ align: 'width' as const, size: 9, decimals })),
  tail: '\r\n',
};

/** What one reading of the batch does differently from a clean one-second reading. */
const quirk = fc.record({
  step: fc.oneof(fc.constant(1), fc.constant(1), fc.constant(1), fc.integer({ min: -3600, max: 3600 })),
  missing: fc.option(fc.nat(3), { nil: undefined }),
  decimals: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  noise: fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 4, maxLength: 4 }),
  sequenceStep: fc.oneof(fc.constant(1), fc.constant(1), fc.integer({ min: 2, max: 50 })),
  rawVerbatim: fc.boolean(),
  sampledAtShift: fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0), fc.integer({ min: -999, max: 999 })),
  flags: fc.option(fc.constantFrom<QualityFlag[]>(['suspect_clock'], ['out_of_water', 'out_of_range']), {
    nil: undefined,
  }),
  unit: fc.option(fc.constantFrom('F', 'mS/cm', ''), { nil: undefined }),
});

const pad = (n: number) => String(n).padStart(2, '0');
function stamp(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** A batch as a gateway sends it: one run of readings, the sonde swapped at `swapAt`, other messages around. */
export const sondeBatch: fc.Arbitrary<MessagesContainer> = fc
  .record({
    quirks: fc.array(quirk, { minLength: 1, maxLength: 80 }),
    swapAt: fc.option(fc.nat(80), { nil: undefined }),
    firstSequence: fc.integer({ min: 1, max: 1e9 }),
    start: fc.integer({ min: 946_684_800, max: 2_000_000_000 }),
    withOthers: fc.boolean(),
  })
  .map(({ quirks, swapAt, firstSequence, start, withOthers }) => {
    let seconds = start;
    let sequence = firstSequence;
    const base = [14.48, 155.4, 128.1, 7782.43];
    const readings: SondeReading[] = quirks.map((q, i) => {
      if (i > 0) {
        seconds += q.step;
        sequence += q.sequenceStep;
      }
      const swapped = swapAt !== undefined && i >= swapAt;
      const names = swapped ? ['Temp', 'pH', 'ODOConc'] : ['Temp', 'SpCond', 'Cond', 'Resist'];
      const layout = swapped ? SWAPPED : NETBEAMS;
      const values: Record<string, number | null> = {};
      const reading: SondeReading = { sequence, sondeTime: stamp(seconds), values };
      names.forEach((name, j) => {
        const decimals = q.decimals ?? layout.columns[j]!.decimals;
        values[name] = Number((base[j]! + q.noise[j]! / 100).toFixed(decimals));
      });
      if (q.missing !== undefined && q.missing < names.length) {
        values[names[q.missing]!] = null;
        reading.valueFlags = { [names[q.missing]!]: ['missing'] };
      }
      if (q.unit !== undefined) reading.units = { Temp: q.unit };
      if (q.unit === '') delete reading.units;
      if (q.flags) reading.flags = q.flags;
      reading.sampledAt = (seconds + 7 * 3600) * 1000 + q.sampledAtShift;
      const line = renderRawLine(layout, reading);
      reading.raw = q.rawVerbatim || line === undefined ? `${reading.sondeTime}   -99999` : line;
      return reading;
    });
    const measure: DspMessage = {
      kind: 'MeasureMessage',
      messageId: `sink-${firstSequence}..${sequence}`,
      contentType: 'org.netbeams.dsp.ysi.SondeDataContainer',
      sequence: firstSequence,
      header: { creationTime: start * 1000, producer: { componentType: 'org.netbeams.dsp.ysi' } },
      body: { type: 'SondeDataContainer', readings },
    };
    const gap: DspMessage = {
      kind: 'EventMessage',
      messageId: `sink-${sequence + 1}`,
      contentType: 'org.netbeams.dsp.event.GapReport',
      sequence: sequence + 1,
      header: { creationTime: start * 1000, producer: { componentType: 'org.netbeams.dsp.wiretransport.client' } },
      body: { type: 'GapReport', gap: { fromSequence: 3, toSequence: 9, readings: 7, reason: 'overflow' } },
    };
    return {
      id: `sink-${firstSequence}-${readings.length}`,
      creationTime: start * 1000,
      gatewayId: 'gw-sfbay-01',
      queueDepth: readings.length,
      messages: withOthers ? [gap, measure, { ...gap, sequence: sequence + 2, messageId: 'x' }] : [measure],
    };
  });
