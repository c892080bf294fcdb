// The agent assembled, in the order data flows: sonde driver -> sonde source -> broker (matcher rules)
// -> one durable queue per destination -> one sender per destination -> sink; and back: piggybacked
// commands -> command store -> executor -> answers into the queue of the sink that asked.
// start() opens everything and reports problems it repaired (moved-aside stores); stop() drains in the
// reverse order so that every reading the driver emitted is on disk before the process exits.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../common/log.js';
import { Broker } from './broker/broker.js';
import { Matcher } from './broker/matcher.js';
import { agentProperties } from './commands/agent-properties.js';
import { CommandStore } from './commands/command-store.js';
import { EndpointTrials } from './commands/endpoint-trial.js';
import { CommandExecutor } from './commands/executor.js';
import { PropertyTable } from './commands/properties.js';
import type { AgentConfig } from './config/schema.js';
import { DurableQueue } from './queue/durable-queue.js';
import { RuntimeSettings } from './settings/runtime-settings.js';
import { createBackfill } from './sources/create-backfill.js';
import { SondeSource, type SondeDriverLike } from './sources/sonde-source.js';
import { AgentMetrics } from './status/agent-metrics.js';
import { SinkContact } from './status/sink-contact.js';
import { buildStatus, collectGauges, type AgentStatus } from './status/agent-status.js';
import { StatusServer } from './status/status-server.js';
import { NegotiatedCodec } from './transport/codec.js';
import { DataPlan } from './transport/data-plan.js';
import { HttpClient } from './transport/http-client.js';
import { SINK_ENCODINGS_FILE, SinkEncodings } from './transport/sink-encodings.js';
import { Sender, type ExchangeEvent } from './transport/sender.js';

export interface AgentDeps {
  logger: Logger;
  /** Builds the sonde driver (drivers/SondeDriver, or its in-process simulator when sonde.simulate). */
  createDriver(
    config: AgentConfig,
    samplingIntervalS: number,
    logger: Logger,
  ): Promise<{ driver: SondeDriverLike; close(): Promise<void> }>;
}

export class Agent {
  readonly metrics = new AgentMetrics();
  private readonly contact = new SinkContact();
  private readonly queues = new Map<string, DurableQueue>();
  private readonly senders = new Map<string, Sender>();
  private settings!: RuntimeSettings;
  private commands!: CommandStore;
  /** One client per destination: each sink has its own CA, pin and client certificate (and connections). */
  private readonly http: HttpClient[] = [];
  private source!: SondeSource;
  private closeDriver: () => Promise<void> = async () => undefined;
  private statusServer: StatusServer | undefined;
  private trials: EndpointTrials | undefined;
  private dataPlan: DataPlan | undefined;
  /** What each sink last said it accepts, kept across restarts (transport/sink-encodings.ts). */
  private encodings: SinkEncodings | undefined;
  private readonly log: Logger;

  private constructor(
    readonly config: AgentConfig,
    private readonly deps: AgentDeps,
  ) {
    this.log = deps.logger.child({ gateway: config.gatewayId });
  }

  static async start(config: AgentConfig, deps: AgentDeps): Promise<Agent> {
    const agent = new Agent(config, deps);
    try {
      await agent.open();
    } catch (err) {
      await agent.stop().catch(() => undefined); // what was opened (stores, listener) is closed again
      throw err;
    }
    return agent;
  }

  get statusAddress(): string | undefined {
    return this.statusServer?.address;
  }

  private async open(): Promise<void> {
    const { config, log } = this;
    await mkdir(config.dataDir, { recursive: true });
    // The stores first: if another agent holds them (StoreLockedError), nothing in the data directory
    // has been touched yet, and nothing is.
    for (const d of config.destinations) {
      const queue = await DurableQueue.open({
        dir: path.join(config.dataDir, 'queues', d.name),
        name: d.name,
        limits: config.queue,
        groupCommitMs: config.queue.groupCommitMs,
        logger: log,
      });
      this.queues.set(d.name, queue);
    }
    this.commands = await CommandStore.open(path.join(config.dataDir, 'commands'), log);
    const loaded = await RuntimeSettings.load(config, path.join(config.dataDir, 'settings.json'));
    if (loaded.problem)
      log.warn('settings.json unusable; moved aside, using the config file', {
        problem: loaded.problem,
        movedTo: loaded.movedTo,
      });
    this.settings = loaded.settings;
    this.deps.logger.setLevel(this.settings.logLevel);

    const { driver, close } = await this.deps.createDriver(
      config,
      this.settings.samplingIntervalS,
      log.child({ component: 'sonde' }),
    );
    this.closeDriver = close;
    const broker = new Broker({
      matcher: new Matcher(config.rules, [config.gatewayId]),
      queues: this.queues,
      metrics: this.metrics,
      logger: log,
    });
    const backfill = createBackfill(driver, config, this.metrics, log, (r) => this.source.queueBackfilled(r));
    this.source = new SondeSource(driver, broker, this.metrics, log, backfill);
    collectGauges(this.metrics, this.queues.values(), () => driver.status());

    const executor = this.commandHandling(driver);
    this.encodings = await SinkEncodings.load(path.join(config.dataDir, SINK_ENCODINGS_FILE), log);
    this.openSenders(executor, this.encodings);
    if (config.status.listen)
      this.statusServer = await StatusServer.start(
        config.status.listen,
        { registry: this.metrics.registry, status: () => this.status() },
        (err) => log.error('status request failed', { err }),
      );

    await executor.runPending(); // commands a crash left unfinished
    this.trials!.start();
    await this.source.backfill?.start(this.queues.values());
    await this.source.start();
    this.senders.forEach((s) => s.start());
    log.info('agent started', {
      destinations: config.destinations.map((d) => d.name),
      status: this.statusAddress,
      dataDir: config.dataDir,
    });
  }

  /** Properties, endpoint trials and the executor that answers into the asking sink's queue. */
  private commandHandling(driver: SondeDriverLike): CommandExecutor {
    const { config, log } = this;
    const properties = new PropertyTable(
      agentProperties({
        gatewayId: config.gatewayId,
        settings: this.settings,
        driver,
        logger: this.deps.logger,
        queueDepth: () => [...this.queues.values()].reduce((n, q) => n + q.stats().depth, 0),
        uploadSettingsChanged: () => this.senders.forEach((s) => s.poke()),
      }),
    );
    this.trials = new EndpointTrials({
      settings: this.settings,
      destinations: config.destinations.map((d) => d.name),
      timeoutMs: config.commands.provisionalTimeoutS * 1000,
      logger: log.child({ component: 'commands' }),
      finish: (id, outcome, reason) => executor.finishProvisional(id, outcome, reason),
    });
    const executor: CommandExecutor = new CommandExecutor({
      store: this.commands,
      properties,
      endpoints: this.trials,
      answer: async (destination, message) => void (await this.queueFor(destination).enqueue(message)),
      logger: log.child({ component: 'commands' }),
      metrics: this.metrics,
    });
    return executor;
  }

  /** One sender per destination; new commands go to the executor, exchanges to the endpoint trials. */
  private openSenders(executor: CommandExecutor, encodings: SinkEncodings): void {
    const { config, log } = this;
    const trials = this.trials!;
    const plan = config.upload.dataPlan;
    if (plan) this.dataPlan = new DataPlan({ ...plan, file: path.join(config.dataDir, 'data-plan.json') });
    this.applyDataPlan();
    for (const d of config.destinations) {
      const http = new HttpClient({
        connectTimeoutMs: config.upload.connectTimeoutS * 1000,
        requestTimeoutMs: config.upload.requestTimeoutS * 1000,
        tls: d.tls,
      });
      this.http.push(http);
      const sender = new Sender({
        destination: d.name,
        gatewayId: config.gatewayId,
        queue: this.queueFor(d.name),
        settings: this.settings,
        http,
        codec: new NegotiatedCodec({
          memory: encodings.for(d.name),
          sinkUrl: this.settings.endpoint(d.name).url,
        }),
        inbox: this.commands,
        gzip: config.upload.gzip,
        maxInFlight: config.upload.maxInFlight,
        onLinkBytes: (bytes) => void this.countLinkBytes(bytes),
        backoff: { baseMs: config.upload.backoffBaseS * 1000, capMs: config.upload.backoffCapS * 1000 },
        metrics: this.metrics,
        logger: log.child({ component: 'sender' }),
      });
      sender.on('commands', () => void executor.runPending());
      sender.on('exchange', (e: ExchangeEvent) => {
        this.contact.record(d.name, e);
        void trials
          .exchanged(d.name, e.endpoint, e.ok)
          .catch((err) => log.error('endpoint confirmation failed', { err }));
      });
      this.senders.set(d.name, sender);
    }
  }

  /** Stops intake first, then sending, then closes the stores: every emitted reading is queued before exit. */
  async stop(): Promise<void> {
    this.trials?.stop();
    await this.source?.stop();
    await this.closeDriver();
    await Promise.all([...this.senders.values()].map((s) => s.stop()));
    await Promise.all(this.http.splice(0).map((h) => h.close()));
    await this.encodings?.flush();
    for (const q of this.queues.values()) await q.close();
    await this.commands?.close();
    await this.statusServer?.close();
    this.log.info('agent stopped');
  }

  status(): AgentStatus {
    return buildStatus({
      gatewayId: this.config.gatewayId,
      driver: this.source.driver.status(),
      queues: this.queues.values(),
      settings: this.settings,
      metrics: this.metrics,
      clockOffsetMs: (d) => this.senders.get(d)?.lastClockOffsetMs,
      tokenRefused: (d) => this.contact.tokenRefused(d),
      tlsProblem: (d) => this.contact.tlsProblem(d),
      dataPlan: () => this.dataPlan?.usage(),
      now: Date.now(),
    });
  }

  /** Counts an exchange against the data plan; near the budget the upload interval widens (and says so). */
  private async countLinkBytes(bytes: number): Promise<void> {
    if (!this.dataPlan) return;
    // record() counts at once and then saves: the interval follows the count without waiting for the disk.
    const saving = this.dataPlan.record(bytes);
    this.applyDataPlan();
    try {
      await saving;
    } catch (err) {
      this.log.error('data plan usage not saved', { err });
    }
  }

  private applyDataPlan(): void {
    const plan = this.dataPlan;
    if (!plan) return;
    const usage = plan.usage();
    this.metrics.dataPlanUsed.set({}, usage.usedBytes);
    this.metrics.dataPlanBudget.set({}, usage.budgetBytes);
    this.metrics.uploadIntervalFactor.set({}, usage.uploadIntervalFactor);
    if (usage.uploadIntervalFactor === this.settings.uploadIntervalFactor) return;
    this.settings.uploadIntervalFactor = usage.uploadIntervalFactor;
    const fields = { usedBytes: usage.usedBytes, budgetBytes: usage.budgetBytes, factor: usage.uploadIntervalFactor };
    if (usage.uploadIntervalFactor > 1) {
      this.log.warn('data plan near its budget: upload interval widened, readings wait in the queue', {
        ...fields,
        uploadIntervalS: this.settings.uploadIntervalS,
      });
    } else {
      this.log.info('new data plan period: upload interval back to normal', fields);
    }
  }

  private queueFor(destination: string): DurableQueue {
    const q = this.queues.get(destination);
    if (!q) throw new Error(`no destination named ${destination}`);
    return q;
  }
}
