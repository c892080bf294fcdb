// The dashboard's command form checks values as the agent will (sink/dashboard/page/properties.ts, a copy:
// the sink may not import the agent). This holds the copy against the agent's own table.
import { expect, it } from 'vitest';
import { agentProperties } from '../../agent/commands/agent-properties.js';
import { KNOWN_PROPERTIES } from '../../sink/dashboard/page/properties.js';

const agent = agentProperties({} as never);
const SAMPLES = [
  '',
  ' ',
  'abc',
  '-1',
  '0',
  '0.05',
  '0.1',
  '0.5',
  '1',
  '2.5',
  '60',
  '4095',
  '4096',
  '10000',
  '10001',
  '21600',
  '21601',
  '86400',
  '86401',
  '60000',
  '67108864',
  '67108865',
  '1e3',
  'debug',
  'info',
  'warn',
  'error',
  'loud',
];

it('offers the properties the agent has, writable where the agent can apply them', () => {
  expect(KNOWN_PROPERTIES.map((p) => p.name).sort()).toEqual(agent.map((p) => p.name).sort());
  for (const p of agent) {
    expect(KNOWN_PROPERTIES.find((k) => k.name === p.name)?.validate !== undefined, p.name).toBe(p.apply !== undefined);
  }
});

it('accepts and refuses exactly the values the agent accepts and refuses', () => {
  for (const p of agent.filter((d) => d.validate)) {
    const page = KNOWN_PROPERTIES.find((k) => k.name === p.name)!;
    for (const value of SAMPLES) {
      expect(page.validate!(value) === undefined, `${p.name}=${JSON.stringify(value)}`).toBe(
        p.validate!(value) === undefined,
      );
    }
  }
});
