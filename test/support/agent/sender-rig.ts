// A transport sender wired to real parts (LevelDB queue, command store, HTTP client, codec) and a
// TestSink, for sender tests.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger, memoryLogger } from '../../../common/log.js';
import { CommandStore } from '../../../agent/commands/command-store.js';
import { parseConfigText } from '../../../agent/config/load.js';
import { DurableQueue } from '../../../agent/queue/durable-queue.js';
import { RuntimeSettings } from '../../../agent/settings/runtime-settings.js';
import { AgentMetrics } from '../../../agent/status/agent-metrics.js';
import { nativeCodec, type ContainerCodec } from '../../../agent/transport/codec.js';
import { HttpClient } from '../../../agent/transport/http-client.js';
import { Sender } from '../../../agent/transport/sender.js';
import { TestSink } from './test-sink.js';

export interface Rig {
  /** The data directory (queue, command store, settings). */
  dir: string;
  sink: TestSink;
  queue: DurableQueue;
  commands: CommandStore;
  /** The sender now: restart() replaces it. */
  sender: Sender;
  metrics: AgentMetrics;
  http: HttpClient;
  /** Stops the sender and starts a new one with `codec` on the same queue, as a restarted agent does. */
  restart(codec: ContainerCodec): Promise<Sender>;
}

export interface RigOptions {
  intervalS?: number;
  maxMessages?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  requestTimeoutMs?: number;
  /** The sender's maxInFlight (default: the sender's default, DEFAULT_MAX_IN_FLIGHT). */
  maxInFlight?: number;
  /** The sender's codec (default: native XML only). */
  codec?: ContainerCodec;
  /** Where the sender posts; default the TestSink itself (tests put a fault proxy in between). */
  url?: (sink: TestSink) => Promise<string>;
  /** A TestSink the test started (and closes); default a new one. */
  sink?: TestSink;
}

/** A sender on a real queue, command store and HTTP client, posting to a TestSink; `cleanups` undo it. */
export async function senderRig(opts: RigOptions, cleanups: (() => Promise<void>)[]): Promise<Rig> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sender-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const sink = opts.sink ?? (await TestSink.start('tok', 'gw-test'));
  if (!opts.sink) cleanups.push(() => sink.close());
  const parsed = parseConfigText(`
[gateway]
id = "gw-test"
token = "tok"
data_dir = "${dir}"
[[destinations]]
name = "sink"
url = "${opts.url ? await opts.url(sink) : sink.url}"
[upload]
interval_s = ${opts.intervalS ?? 0.05}
max_messages = ${opts.maxMessages ?? 100}
`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const { settings } = await RuntimeSettings.load(parsed.config, path.join(dir, 'settings.json'));
  const logger = process.env.DBG ? new Logger({}, process.stdout, { level: 'debug' }) : memoryLogger().logger;
  const queue = await DurableQueue.open({
    dir: path.join(dir, 'queues', 'sink'),
    name: 'sink',
    limits: parsed.config.queue,
    groupCommitMs: 1,
    logger,
  });
  const commands = await CommandStore.open(path.join(dir, 'commands'), logger);
  const http = new HttpClient({ connectTimeoutMs: 2000, requestTimeoutMs: opts.requestTimeoutMs ?? 2000 });
  const metrics = new AgentMetrics();
  const newSender = (codec: ContainerCodec): Sender =>
    new Sender({
      destination: 'sink',
      gatewayId: 'gw-test',
      queue,
      settings,
      http,
      codec,
      inbox: commands,
      gzip: true,
      backoff: { baseMs: opts.backoffBaseMs ?? 10, capMs: opts.backoffCapMs ?? 50 },
      metrics,
      logger,
      ...(opts.maxInFlight === undefined ? {} : { maxInFlight: opts.maxInFlight }),
    });
  const rig: Rig = {
    dir,
    sink,
    queue,
    commands,
    sender: newSender(opts.codec ?? nativeCodec),
    metrics,
    http,
    restart: async (codec) => {
      await rig.sender.stop();
      rig.sender = newSender(codec);
      rig.sender.start();
      return rig.sender;
    },
  };
  cleanups.push(async () => {
    await rig.sender.stop();
    await http.close();
    await queue.close();
    await commands.close();
  });
  return rig;
}
