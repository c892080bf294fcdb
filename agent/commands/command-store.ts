// Commands the sink piggybacked, kept in LevelDB (<data_dir>/commands) from the moment they arrive until
// they are answered, and their ids afterwards: the done-set that makes execution at-most-once.
//
// Life of a command: received -> started (persisted BEFORE anything is applied) -> done (the answer is
// stored) -> answered (the answer is in a destination queue). After a crash: a `started` command is never
// applied again (it is answered as interrupted), a `done` one has its stored answer queued again (same
// message id, so the sink keeps one copy). Every state change is written with fsync.
//
// Receipts: the ids of commands in the store are listed in the next request's receivedCommands until a
// request carrying them succeeds. Those lists live in memory: after a restart the sink, not having seen
// them, piggybacks the commands again, receive() finds them known, and they are listed again.

import { mkdir } from 'node:fs/promises';
import { Level } from 'level';
import type { DspMessage } from '../../protocol/model.js';
import type { NewMessage } from '../queue/durable-queue.js';
import type { CommandInbox } from '../transport/sender.js';

export type CommandState = 'received' | 'started' | 'provisional' | 'done' | 'answered';

export interface CommandRecord {
  id: string;
  /** The destination (sink) that sent it: the answer goes back there. */
  destination: string;
  command: DspMessage;
  receivedAt: number;
  /** Arrival order, to execute in the order the sink queued them. */
  order: number;
  state: CommandState;
  answer?: NewMessage;
  finishedAt?: number;
}

/** Answered commands are remembered this long (the sink stops resending once it has our receipt). */
const DONE_RETENTION_MS = 90 * 24 * 3600 * 1000;

export class CommandStore implements CommandInbox {
  private readonly records = new Map<string, CommandRecord>();
  private readonly unreported = new Map<string, Set<string>>();
  private order = 0;

  private constructor(
    private readonly db: Level<string, string>,
    private readonly now: () => number,
  ) {}

  static async open(dir: string, now: () => number = Date.now): Promise<CommandStore> {
    await mkdir(dir, { recursive: true });
    const db = new Level<string, string>(dir, { valueEncoding: 'utf8' });
    await db.open();
    const store = new CommandStore(db, now);
    const expired: string[] = [];
    for await (const [key, value] of db.iterator()) {
      const r = JSON.parse(value) as CommandRecord;
      if (r.state === 'answered' && (r.finishedAt ?? 0) < now() - DONE_RETENTION_MS) expired.push(key);
      else store.records.set(r.id, r);
      store.order = Math.max(store.order, r.order);
    }
    if (expired.length) await db.batch(expired.map((key) => ({ type: 'del' as const, key })));
    return store;
  }

  async receive(destination: string, commands: DspMessage[]): Promise<void> {
    const fresh: CommandRecord[] = [];
    for (const command of commands) {
      if (!this.records.has(command.messageId) && !fresh.some((r) => r.id === command.messageId)) {
        fresh.push({
          id: command.messageId,
          destination,
          command,
          receivedAt: this.now(),
          order: ++this.order,
          state: 'received',
        });
      }
    }
    if (fresh.length > 0) {
      await this.db.batch(
        fresh.map((r) => ({ type: 'put' as const, key: r.id, value: JSON.stringify(r) })),
        { sync: true },
      );
      for (const r of fresh) this.records.set(r.id, r);
    }
    const ids = this.unreported.get(destination) ?? new Set<string>();
    for (const c of commands) ids.add(c.messageId);
    this.unreported.set(destination, ids);
  }

  receipts(destination: string): string[] {
    return [...(this.unreported.get(destination) ?? [])];
  }

  receiptsDelivered(destination: string, ids: string[]): void {
    const set = this.unreported.get(destination);
    for (const id of ids) set?.delete(id);
  }

  get(id: string): CommandRecord | undefined {
    return this.records.get(id);
  }

  /** Commands not yet answered, in arrival order. */
  unfinished(): CommandRecord[] {
    return [...this.records.values()].filter((r) => r.state !== 'answered').sort((a, b) => a.order - b.order);
  }

  async setState(id: string, state: CommandState, answer?: NewMessage): Promise<CommandRecord> {
    const r = this.records.get(id);
    if (!r) throw new Error(`unknown command ${id}`);
    const next: CommandRecord = {
      ...r,
      state,
      ...(answer ? { answer } : {}),
      ...(state === 'answered' ? { finishedAt: this.now() } : {}),
    };
    await this.db.put(id, JSON.stringify(next), { sync: true });
    this.records.set(id, next);
    return next;
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
