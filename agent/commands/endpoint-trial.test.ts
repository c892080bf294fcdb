// Remote change of the sink URL and token, through a whole agent (in-process, simulated sonde):
// confirmed by a successful exchange with the new endpoint, or rolled back after the trial time.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../common/log.js';
import { COMPONENT_TYPES, CONTENT_TYPES, type DspMessage, type Property } from '../../protocol/model.js';
import { TestSink } from '../../test/support/agent/test-sink.js';
import { Agent } from '../agent.js';
import { parseConfigText } from '../config/load.js';
import { createSondeDriver } from '../sources/create-driver.js';
import { until } from '../../lab/poll.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function update(id: string, properties: Property[]): DspMessage {
  return {
    kind: 'UpdateMessage',
    messageId: id,
    contentType: CONTENT_TYPES.properties,
    header: {
      creationTime: Date.now(),
      producer: { componentType: COMPONENT_TYPES.management, locator: { nodeAddress: 'sink' } },
    },
    body: { type: 'DSProperties', properties },
  };
}

function answerTo(sink: TestSink, id: string): Record<string, string> | undefined {
  const m = [...sink.messages.values()].find((x) => x.header.correlationId === id);
  return m && m.body.type === 'DSProperties'
    ? Object.fromEntries(m.body.properties.map((p) => [p.name, p.value ?? '']))
    : undefined;
}

async function startAgent(sinkUrl: string, trialS: number): Promise<{ agent: Agent; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trial-'));
  const parsed = parseConfigText(`
[gateway]
id = "gw-test"
token = "tok"
data_dir = "${dataDir}"
[sonde]
simulate = true
interval_s = 0.2
[[destinations]]
name = "sink"
url = "${sinkUrl}"
[upload]
interval_s = 0.1
backoff_base_s = 0.05
backoff_cap_s = 0.2
[commands]
provisional_timeout_s = ${trialS}
[status]
listen = ""
`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const agent = await Agent.start(parsed.config, { logger: memoryLogger().logger, createDriver: createSondeDriver });
  cleanups.push(async () => {
    await agent.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { agent, dataDir };
}

describe('remote change of the sink endpoint', () => {
  it('switches to the new URL and token, answers applied through it once it works, and keeps it', async () => {
    const oldSink = await TestSink.start('tok', 'gw-test');
    const newSink = await TestSink.start('new-token-123', 'gw-test');
    cleanups.push(
      () => oldSink.close(),
      () => newSink.close(),
    );
    const { agent, dataDir } = await startAgent(oldSink.url, 30);
    oldSink.pendingCommands.push(
      update('move-1', [
        { name: 'SINK_URL', value: newSink.url },
        { name: 'SINK_TOKEN', value: 'new-token-123' },
      ]),
    );
    await until(() => answerTo(newSink, 'move-1') !== undefined);
    expect(answerTo(newSink, 'move-1')).toEqual({ RESULT: 'applied', SINK_URL: newSink.url, SINK_TOKEN: '(set)' });
    await until(() => newSink.readingSequences().length > 0);
    const saved = JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8'));
    expect(saved.endpoints.sink).toEqual({ url: newSink.url, token: 'new-token-123' });
    expect(saved.provisional).toEqual({});
    // The status document shows the change, never the token.
    const shown = JSON.stringify(agent.status());
    expect(shown).toContain(newSink.url);
    expect(shown).not.toContain('new-token-123');
  });

  it('rolls back to the last working endpoint when the new one fails for the trial time, and says so', async () => {
    const sink = await TestSink.start('tok', 'gw-test');
    cleanups.push(() => sink.close());
    await startAgent(sink.url, 0.5);
    sink.pendingCommands.push(
      update('bad-move', [{ name: 'SINK_URL', value: 'http://127.0.0.1:9/transportDspMessages' }]),
    );
    await until(() => answerTo(sink, 'bad-move') !== undefined);
    const answer = answerTo(sink, 'bad-move')!;
    expect(answer.RESULT).toBe('rejected');
    expect(answer.REASON).toMatch(/could not be reached with the new endpoint within 1 s; rolled back/);
    expect(answer.SINK_URL).toBe(sink.url);
    // Readings taken during the failed trial were not lost: they reached the old sink afterwards.
    const before = sink.readingSequences().length;
    await until(() => sink.readingSequences().length > before + 2);
    expect(sink.conflicts).toBe(0);
  });

  it('rejects an invalid endpoint without switching', async () => {
    const sink = await TestSink.start('tok', 'gw-test');
    cleanups.push(() => sink.close());
    await startAgent(sink.url, 30);
    sink.pendingCommands.push(
      update('junk', [
        { name: 'SINK_URL', value: 'ftp://nowhere' },
        { name: 'SAMPLING_FREQUENCY', value: '5' },
      ]),
    );
    await until(() => answerTo(sink, 'junk') !== undefined);
    expect(answerTo(sink, 'junk')).toMatchObject({
      RESULT: 'rejected',
      REASON: 'SINK_URL: must be an http:// or https:// URL',
      SINK_URL: sink.url,
      SAMPLING_FREQUENCY: '0.2',
    });
  });
});
