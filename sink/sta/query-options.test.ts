// Hostile query options: whatever text a client sends, parsing and evaluating it either works or is a
// QueryError (a 400), never another exception (a 500).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { QueryError } from './filter-parser.js';
import { TimeInterval, type Entity } from './model.js';
import { parseQueryOptions } from './query-options.js';

/** Pieces of the language, so that random text often gets deep into the parser. */
const PIECES = [
  ' ',
  '(',
  ')',
  ',',
  '/',
  "'",
  "''",
  '-',
  ';',
  '=',
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'and',
  'or',
  'not',
  'add',
  'sub',
  'mul',
  'div',
  'mod',
  'result',
  'phenomenonTime',
  'Datastream',
  'ObservedProperty',
  'name',
  '@iot.id',
  'parameters',
  'sequence',
  'substring',
  'length',
  'year',
  'round',
  'now',
  'concat',
  'maxdatetime',
  'null',
  'true',
  '1',
  '2.5',
  '1e3',
  '2026-11-20',
  '2026-11-20T00:00:00Z',
  '2026-11-20T00:00:00+02:00',
  '$top',
  '$filter',
  '$select',
  '$expand',
  '$orderby',
  'asc',
  'desc',
  'Things',
  'Datastreams',
  'Observations',
];
const text = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 })), { maxLength: 30 })
  .map((p) => p.join(''));

const observation: Entity = {
  set: 'Observations',
  id: 'gw1:1:Temp',
  ref: { gateway: 'gw1', key: 'Temp' },
  props: {
    phenomenonTime: new Date(0),
    result: 14.5,
    resultTime: new Date(0),
    resultQuality: [],
    validTime: new TimeInterval(new Date(0), new Date(1000)),
    parameters: { sequence: 1 },
  },
};

describe('query options against hostile text', () => {
  it('parse (and a filter evaluates) or refuse with a QueryError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('$filter', '$orderby', '$select', '$expand', '$top', '$skiptoken'),
        text,
        (name, value) => {
          try {
            const options = parseQueryOptions(new URLSearchParams([[name, value]]), 'Observations');
            if (options.filter) evaluate(options.filter, observation, () => []);
          } catch (error) {
            expect(error).toBeInstanceOf(QueryError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
