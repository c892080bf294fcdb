// Attack 8 (issue 10): files the agent reads back from disk, of the wrong shape. Each is moved aside (kept,
// byte for byte), a warning names the problem, defaults are used, and the real agent process starts and
// answers /status: never a refusal to start (a systemd restart loop) nor a crash on the first request.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SONDE_STATE_FILE } from '../../agent/sources/create-driver.js';
import { SINK_ENCODINGS_FILE } from '../../agent/transport/sink-encodings.js';
import { startAgent, writeAgentConfig, type RunningAgent } from '../../lab/agent-process.js';

const dir = mkdtempSync(path.join(tmpdir(), 'agent-bad-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Nothing listens there: these tests need no sink. */
const NO_SINK = 'http://127.0.0.1:9/transportDspMessages';

async function startWith(name: string, file: string, content: string): Promise<{ agent: RunningAgent; data: string }> {
  const data = path.join(dir, name);
  mkdirSync(data, { recursive: true });
  writeFileSync(path.join(data, file), content);
  const config = path.join(dir, `${name}.toml`);
  writeAgentConfig(config, { dataDir: data, sinkUrl: NO_SINK, gatewayId: 'gw-bad', token: 'tok' });
  return { agent: await startAgent(config), data };
}

async function getStatus(agent: RunningAgent): Promise<{ code: number; body: Record<string, unknown> }> {
  const res = await fetch(new URL('/status', agent.statusUrl));
  return { code: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function stop(agent: RunningAgent): Promise<number | null> {
  agent.child.kill('SIGTERM');
  return agent.exited;
}

function keptAside(data: string, file: string): string[] {
  return readdirSync(data).filter((f) => f.startsWith(`${file}.bad-`));
}

describe('a bad settings.json', () => {
  it.each([
    ['null', 'null', /expected Object, got null/],
    ['negative interval', '{"samplingIntervalS": -1}', /^samplingIntervalS: expected >=0.1, got -1$/],
    ['a string', '"abc"', /expected Object, got "abc"/],
    ['an endpoint of the wrong shape', '{"endpoints":{"sink":"x"}}', /^endpoints\.sink: expected Object, got "x"$/],
    ['torn JSON', '{"samplingIntervalS": 0.5, "uploadInt', /not JSON/],
  ])(
    '%s: moved aside with a warning, defaults used, the agent starts and answers /status',
    async (_, content, problem) => {
      const name = `settings-${content.length}-${Math.random().toString(36).slice(2, 8)}`;
      const { agent, data } = await startWith(name, 'settings.json', content);
      try {
        const warning = agent.logs.find((l) => l.msg === 'settings.json unusable; moved aside, using the config file');
        expect(warning?.level).toBe('warn');
        expect(warning?.problem).toMatch(problem);
        const kept = keptAside(data, 'settings.json');
        expect(kept).toHaveLength(1);
        expect(warning?.movedTo).toBe(path.join(data, kept[0]!));
        expect(readFileSync(path.join(data, kept[0]!), 'utf8')).toBe(content);

        const status = await getStatus(agent);
        expect(status.code).toBe(200);
        expect(status.body.remoteOverrides).toEqual({}); // the defaults: the config file's values
        expect((await getStatus(agent)).code).toBe(200); // and it stays up
      } finally {
        expect(await stop(agent)).toBe(0);
      }
    },
  );
});

describe('a bad sonde state file', () => {
  it('is moved aside with a warning; the agent starts and reads the sonde as on a first start', async () => {
    const { agent, data } = await startWith('state', SONDE_STATE_FILE, '{"version":1,"serialNumber":');
    try {
      const warning = agent.logs.find((l) => l.msg === 'sonde state file is not a remembered binding; moved aside');
      expect(warning?.problem).toMatch(/not JSON/);
      expect(keptAside(data, SONDE_STATE_FILE)).toHaveLength(1);
      expect((await getStatus(agent)).code).toBe(200);
    } finally {
      expect(await stop(agent)).toBe(0);
    }
  });
});

describe('a bad sink encodings file', () => {
  it('is moved aside with a warning; the agent starts (and sends XML until a sink says more)', async () => {
    const { agent, data } = await startWith(
      'encodings',
      SINK_ENCODINGS_FILE,
      '{"version":1,"sinks":{"sink":"columnar"}}',
    );
    try {
      const warning = agent.logs.find((l) => l.msg === 'sink encodings unusable; moved aside, starting with XML');
      expect(warning?.level).toBe('warn');
      expect(warning?.problem).toMatch(/^sinks\.sink: expected Object, got "columnar"$/);
      expect(keptAside(data, SINK_ENCODINGS_FILE)).toHaveLength(1);
      expect((await getStatus(agent)).code).toBe(200);
    } finally {
      expect(await stop(agent)).toBe(0);
    }
  });
});
