// Executes stored commands one at a time, at most once each, and queues their correlated answers:
//   UpdateMessage -> AcknowledgementMessage, DSProperties: RESULT = applied | rejected, REASON, values in force
//   QueryMessage  -> MeasureMessage, DSProperties: the queried values (all when the query names none)
// The answer's messageId is `<command id>-r`, so an answer queued twice (crash between queueing and
// recording it) is one message at the sink. See command-store.ts for the states and crash behaviour.

import type { Logger } from '../../common/log.js';
import { COMPONENT_TYPES, CONTENT_TYPES, type DspMessage, type Property } from '../../protocol/model.js';
import type { NewMessage } from '../queue/durable-queue.js';
import type { AgentMetrics } from '../status/agent-metrics.js';
import type { CommandRecord, CommandStore } from './command-store.js';
import { ENDPOINT_PROPERTIES, type EndpointTrials } from './endpoint-trial.js';
import type { PropertyTable } from './properties.js';

export interface ExecutorOptions {
  store: CommandStore;
  properties: PropertyTable;
  /** SINK_URL / SINK_TOKEN; without it those names are unknown properties. */
  endpoints?: EndpointTrials;
  /** Queues an answer durably for the destination the command came from. */
  answer(destination: string, message: NewMessage): Promise<void>;
  logger: Logger;
  metrics: AgentMetrics;
  now?: () => number;
}

const INTERRUPTED = 'interrupted by a restart before it completed; not applied again';

export class CommandExecutor {
  private running: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly o: ExecutorOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Executes every unfinished command; calls made while running queue up behind it. */
  runPending(): Promise<void> {
    this.running = this.running
      .then(() => this.runAll())
      .catch((err) => this.o.logger.error('command execution failed', { err }));
    return this.running;
  }

  private async runAll(): Promise<void> {
    for (const record of this.o.store.unfinished()) await this.advance(record);
  }

  /** Completes an Update left provisional by an endpoint trial (see endpoint-trial.ts). */
  finishProvisional(commandId: string, outcome: 'applied' | 'rejected', reason?: string): Promise<void> {
    const work = async (): Promise<void> => {
      const r = this.o.store.get(commandId);
      if (r?.state !== 'provisional') return; // answered meanwhile (e.g. as interrupted by a restart)
      this.o.metrics.commands.inc({ kind: 'update', outcome });
      await this.advance(
        await this.o.store.setState(
          r.id,
          'done',
          this.answerFor(r.command, outcome, reason, this.inForce(r.command, r.destination)),
        ),
      );
    };
    this.running = this.running.then(work).catch((err) => this.o.logger.error('command completion failed', { err }));
    return this.running;
  }

  private async advance(record: CommandRecord): Promise<void> {
    const { store } = this.o;
    let r = record;
    if (r.state === 'received') {
      r = await store.setState(r.id, 'started');
      const answer = await this.execute(r);
      r = await store.setState(
        r.id,
        answer === 'provisional' ? 'provisional' : 'done',
        answer === 'provisional' ? undefined : answer,
      );
    } else if (r.state === 'started') {
      r = await store.setState(
        r.id,
        'done',
        this.answerFor(r.command, 'rejected', INTERRUPTED, this.inForce(r.command, r.destination)),
      );
    }
    if (r.state === 'done' && r.answer) {
      await this.o.answer(r.destination, r.answer);
      await store.setState(r.id, 'answered');
    }
  }

  private async execute(record: CommandRecord): Promise<NewMessage | 'provisional'> {
    const { properties, metrics, logger, endpoints } = this.o;
    const { command, destination } = record;
    const requested = command.body.type === 'DSProperties' ? command.body.properties : [];
    if (command.kind === 'QueryMessage') {
      const names =
        requested.length > 0
          ? requested.map((p) => p.name)
          : [...properties.names(), ...(endpoints ? ENDPOINT_PROPERTIES : [])];
      const { properties: values, unknown } = this.read(names, destination);
      const extra = unknown.length ? [{ name: 'REASON', value: `unknown properties: ${unknown.join(', ')}` }] : [];
      metrics.commands.inc({ kind: 'query', outcome: 'answered' });
      logger.info('query answered', { commandId: command.messageId, properties: values.map((p) => p.name) });
      return this.message('MeasureMessage', command, [...values, ...extra]);
    }
    const endpointChanges = endpoints ? requested.filter((p) => ENDPOINT_PROPERTIES.has(p.name)) : [];
    const others = requested.filter((p) => !endpointChanges.includes(p));
    const problems = endpointChanges.length > 0 ? endpoints!.validate(destination, endpointChanges) : [];
    const result =
      problems.length > 0
        ? { outcome: 'rejected' as const, reason: problems.join('; ') }
        : others.length > 0 || endpointChanges.length === 0
          ? await properties.update(others)
          : { outcome: 'applied' as const };
    if (result.outcome === 'applied' && endpointChanges.length > 0) {
      await endpoints!.begin(destination, command.messageId, endpointChanges);
      logger.info('update waits for the new endpoint to work', { commandId: command.messageId });
      return 'provisional';
    }
    metrics.commands.inc({ kind: 'update', outcome: result.outcome });
    const inForce = this.inForce(command, destination);
    logger.info('update executed', {
      commandId: command.messageId,
      outcome: result.outcome,
      reason: result.reason,
      properties: inForce,
    });
    return this.answerFor(command, result.outcome, result.reason, inForce);
  }

  /** Values of the named properties, endpoint ones included, as seen by the asking destination. */
  private read(names: string[], destination: string): { properties: Property[]; unknown: string[] } {
    const endpoints = this.o.endpoints;
    const tableNames = names.filter((n) => !(endpoints && ENDPOINT_PROPERTIES.has(n)));
    // An empty list means "all" to the table: ask it only when some of its properties are named.
    const table = tableNames.length > 0 ? this.o.properties.query(tableNames) : { properties: [], unknown: [] };
    const own = endpoints
      ? names.filter((n) => ENDPOINT_PROPERTIES.has(n)).map((n) => ({ name: n, value: endpoints.read(destination, n) }))
      : [];
    const order = (p: Property): number => names.indexOf(p.name);
    return { properties: [...table.properties, ...own].sort((a, b) => order(a) - order(b)), unknown: table.unknown };
  }

  private inForce(command: DspMessage, destination: string): Property[] {
    const names = command.body.type === 'DSProperties' ? command.body.properties.map((p) => p.name) : [];
    return this.read(names, destination).properties;
  }

  answerFor(
    command: DspMessage,
    outcome: 'applied' | 'rejected',
    reason: string | undefined,
    inForce: Property[],
  ): NewMessage {
    const head: Property[] = [
      { name: 'RESULT', value: outcome },
      ...(reason ? [{ name: 'REASON', value: reason }] : []),
    ];
    return this.message('AcknowledgementMessage', command, [...head, ...inForce]);
  }

  private message(
    kind: 'AcknowledgementMessage' | 'MeasureMessage',
    command: DspMessage,
    properties: Property[],
  ): NewMessage {
    return {
      kind,
      messageId: `${command.messageId}-r`,
      contentType: CONTENT_TYPES.properties,
      header: {
        creationTime: this.now(),
        correlationId: command.messageId,
        producer: { componentType: COMPONENT_TYPES.management, locator: { nodeAddress: 'LOCAL' } },
        ...(command.header.producer ? { consumer: command.header.producer } : {}),
      },
      body: { type: 'DSProperties', properties },
    };
  }
}
