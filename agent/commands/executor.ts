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
import type { PropertyTable } from './properties.js';

export interface ExecutorOptions {
  store: CommandStore;
  properties: PropertyTable;
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
    this.running = this.running.then(() => this.runAll()).catch((err) => this.o.logger.error('command execution failed', { err }));
    return this.running;
  }

  private async runAll(): Promise<void> {
    for (const record of this.o.store.unfinished()) await this.advance(record);
  }

  private async advance(record: CommandRecord): Promise<void> {
    const { store } = this.o;
    let r = record;
    if (r.state === 'received') {
      r = await store.setState(r.id, 'started');
      r = await store.setState(r.id, 'done', await this.execute(r.command));
    } else if (r.state === 'started') {
      r = await store.setState(r.id, 'done', this.answerFor(r.command, 'rejected', INTERRUPTED, this.inForce(r.command)));
    }
    if (r.state === 'done' && r.answer) {
      await this.o.answer(r.destination, r.answer);
      await store.setState(r.id, 'answered');
    }
  }

  private async execute(command: DspMessage): Promise<NewMessage> {
    const { properties, metrics, logger } = this.o;
    const requested = command.body.type === 'DSProperties' ? command.body.properties : [];
    if (command.kind === 'QueryMessage') {
      const { properties: values, unknown } = properties.query(requested.map((p) => p.name));
      const extra = unknown.length ? [{ name: 'REASON', value: `unknown properties: ${unknown.join(', ')}` }] : [];
      metrics.commands.inc({ kind: 'query', outcome: 'answered' });
      logger.info('query answered', { commandId: command.messageId, properties: values.map((p) => p.name) });
      return this.message('MeasureMessage', command, [...values, ...extra]);
    }
    const result = await properties.update(requested);
    metrics.commands.inc({ kind: 'update', outcome: result.outcome });
    logger.info('update executed', { commandId: command.messageId, outcome: result.outcome, reason: result.reason, properties: result.inForce });
    return this.answerFor(command, result.outcome, result.reason, result.inForce);
  }

  private inForce(command: DspMessage): Property[] {
    const names = command.body.type === 'DSProperties' ? command.body.properties.map((p) => p.name) : [];
    return this.o.properties.query(names).properties;
  }

  answerFor(command: DspMessage, outcome: 'applied' | 'rejected', reason: string | undefined, inForce: Property[]): NewMessage {
    const head: Property[] = [{ name: 'RESULT', value: outcome }, ...(reason ? [{ name: 'REASON', value: reason }] : [])];
    return this.message('AcknowledgementMessage', command, [...head, ...inForce]);
  }

  private message(kind: 'AcknowledgementMessage' | 'MeasureMessage', command: DspMessage, properties: Property[]): NewMessage {
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
