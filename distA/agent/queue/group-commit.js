// Group commit: calls that arrive within a short window share one write (and its fsync). A group that
// reaches `maxItems` is committed at once, so that a burst (a replayed backlog) is written while the rest
// of it is still being parsed. Each call resolves with its own items' results, in call order.
export class GroupCommit {
    o;
    pending = [];
    pendingItems = 0;
    flushQueued = false;
    timer;
    constructor(o) {
        this.o = o;
    }
    add(items) {
        return new Promise((resolve, reject) => {
            this.pending.push({ items, resolve, reject });
            this.pendingItems += items.length;
            if (this.pendingItems >= this.o.maxItems) {
                // Full group: commit now (after any write in progress; later arrivals join the next group).
                this.cancelTimer();
                this.queueFlush();
                return;
            }
            this.timer ??= setTimeout(() => {
                this.timer = undefined;
                this.queueFlush();
            }, this.o.windowMs);
        });
    }
    /** Commits what is pending now (close()); call inside the exclusive section. */
    async flushNow() {
        this.cancelTimer();
        await this.flush();
    }
    cancelTimer() {
        clearTimeout(this.timer);
        this.timer = undefined;
    }
    /**
     * Queues one commit of what is pending. One is enough: it takes everything pending when its turn comes,
     * so the arrivals behind a full group while a write is in progress add nothing more to the chain.
     */
    queueFlush() {
        if (this.flushQueued)
            return;
        this.flushQueued = true;
        void this.o.exclusive(() => this.flush());
    }
    async flush() {
        this.flushQueued = false;
        const group = this.pending.splice(0);
        this.pendingItems = 0;
        if (group.length === 0)
            return;
        try {
            const results = await this.o.commit(group.length === 1 ? group[0].items : group.flatMap((g) => g.items));
            let offset = 0;
            for (const g of group) {
                g.resolve(results.slice(offset, offset + g.items.length));
                offset += g.items.length;
            }
        }
        catch (err) {
            group.forEach((g) => g.reject(err));
        }
    }
}
//# sourceMappingURL=group-commit.js.map