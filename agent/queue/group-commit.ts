// Group commit: calls that arrive within a short window share one write (and its fsync). A group that
// reaches `maxItems` is committed at once, so that a burst (a replayed backlog) is written while the rest
// of it is still being parsed. Each call resolves with its own items' results, in call order.
// A call that finds the store quiet (no commit began within the window before it) is committed at the end
// of the event loop's turn instead, with the calls of that same turn: at 1 reading a second no timer wakes
// the gateway's CPU 5 ms after each reading (issue 17). A burst still groups by the window from its
// second commit on, and calls that arrive while a commit is being written wait for it and go together.

export interface GroupCommitOptions<T, R> {
  windowMs: number;
  maxItems: number;
  /** Runs a commit after any other mutation of the store (the queue's exclusive section). */
  exclusive: (fn: () => Promise<void>) => Promise<void>;
  /** Writes the items; resolves with one result per item. */
  commit: (items: readonly T[]) => Promise<R[]>;
}

interface Waiting<T, R> {
  items: readonly T[];
  resolve: (r: R[]) => void;
  reject: (e: unknown) => void;
}

export class GroupCommit<T, R> {
  private pending: Waiting<T, R>[] = [];
  private pendingItems = 0;
  private flushQueued = false;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** performance.now() when the last commit began (-Infinity: none yet). */
  private lastCommitAt = -Infinity;

  constructor(private readonly o: GroupCommitOptions<T, R>) {}

  add(items: readonly T[]): Promise<R[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      this.pendingItems += items.length;
      if (this.pendingItems >= this.o.maxItems) {
        // Full group: commit now (after any write in progress; later arrivals join the next group).
        this.cancelTimer();
        this.queueFlush();
        return;
      }
      if (this.timer !== undefined || this.immediate !== undefined) return; // joins the group waiting
      if (performance.now() - this.lastCommitAt >= this.o.windowMs) {
        this.immediate = setImmediate(() => {
          this.immediate = undefined;
          this.queueFlush();
        });
        return;
      }
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.queueFlush();
      }, this.o.windowMs);
    });
  }

  /** Commits what is pending now (close()); call inside the exclusive section. */
  async flushNow(): Promise<void> {
    this.cancelTimer();
    await this.flush();
  }

  private cancelTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    clearImmediate(this.immediate);
    this.immediate = undefined;
  }

  /**
   * Queues one commit of what is pending. One is enough: it takes everything pending when its turn comes,
   * so the arrivals behind a full group while a write is in progress add nothing more to the chain.
   */
  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    void this.o.exclusive(() => this.flush());
  }

  private async flush(): Promise<void> {
    this.flushQueued = false;
    const group = this.pending.splice(0);
    this.pendingItems = 0;
    if (group.length === 0) return;
    this.lastCommitAt = performance.now();
    try {
      const results = await this.o.commit(group.length === 1 ? group[0]!.items : group.flatMap((g) => g.items));
      let offset = 0;
      for (const g of group) {
        g.resolve(results.slice(offset, offset + g.items.length));
        offset += g.items.length;
      }
    } catch (err) {
      group.forEach((g) => g.reject(err));
    }
  }
}
