// Changing a sink's URL or token remotely without losing the gateway: the new endpoint is only tried.
// An Update with SINK_URL and/or SINK_TOKEN switches the asking destination to the new endpoint at once and
// stays unanswered; the first successful exchange WITH THAT ENDPOINT confirms it (answer: applied). If none
// succeeds before commands.provisional_timeout_s, the agent goes back to the previous endpoint and answers
// rejected with the reason, through the old (working) endpoint. The trial is persisted in settings.json,
// so a restart in the middle continues it.
export const ENDPOINT_PROPERTIES = new Set(['SINK_URL', 'SINK_TOKEN']);
export class EndpointTrials {
    o;
    /** Set only while a trial is pending, for its deadline: no timer ticks while there is nothing to check. */
    timer;
    started = false;
    now;
    constructor(o) {
        this.o = o;
        this.now = o.now ?? Date.now;
    }
    /** Problems with the endpoint part of an Update, for the given destination. */
    validate(destination, changes) {
        const problems = [];
        if (this.o.settings.provisional(destination))
            problems.push(`another endpoint change for ${destination} is being tried`);
        for (const c of changes) {
            const value = c.value ?? '';
            if (c.name === 'SINK_URL' && !/^https?:\/\/[^\s]+$/.test(value))
                problems.push('SINK_URL: must be an http:// or https:// URL');
            if (c.name === 'SINK_TOKEN' && (value.length < 8 || /\s/.test(value)))
                problems.push('SINK_TOKEN: must be at least 8 characters without spaces');
        }
        return problems;
    }
    async begin(destination, commandId, changes) {
        const current = this.o.settings.endpoint(destination);
        const next = {
            url: changes.find((c) => c.name === 'SINK_URL')?.value ?? current.url,
            token: changes.find((c) => c.name === 'SINK_TOKEN')?.value ?? current.token,
        };
        await this.o.settings.tryEndpoint(destination, next, this.now() + this.o.timeoutMs, commandId);
        this.arm();
        this.o.logger.warn('trying a new sink endpoint', {
            destination,
            url: next.url,
            tokenChanged: next.token !== current.token,
            timeoutMs: this.o.timeoutMs,
        });
    }
    /** The values as the asking sink may read them; a token is never sent back. */
    read(destination, name) {
        const e = this.o.settings.endpoint(destination);
        return name === 'SINK_URL' ? e.url : e.token ? '(set)' : '(none)';
    }
    /** Sender outcome: a success with the provisional endpoint confirms it. */
    async exchanged(destination, used, ok) {
        const p = this.o.settings.provisional(destination);
        if (!ok || !p || p.url !== used.url || p.token !== used.token)
            return;
        await this.o.settings.confirmEndpoint(destination);
        this.arm();
        this.o.logger.info('new sink endpoint confirmed', { destination, url: p.url });
        await this.o.finish(p.commandId, 'applied');
    }
    async checkDeadlines() {
        for (const destination of this.o.destinations) {
            const p = this.o.settings.provisional(destination);
            if (!p || this.now() < p.deadline)
                continue;
            await this.o.settings.rollbackEndpoint(destination);
            const reason = `the sink could not be reached with the new endpoint within ${Math.round(this.o.timeoutMs / 1000)} s; rolled back to ${p.previous.url}`;
            this.o.logger.error('new sink endpoint failed; rolled back', {
                destination,
                tried: p.url,
                restored: p.previous.url,
            });
            await this.o.finish(p.commandId, 'rejected', reason);
        }
    }
    start() {
        this.started = true;
        this.arm(); // a trial a restart interrupted
    }
    stop() {
        this.started = false;
        this.arm();
    }
    /** One timer for the earliest pending deadline (checked again when it fires early, as a clock step may). */
    arm() {
        clearTimeout(this.timer);
        this.timer = undefined;
        const deadlines = this.o.destinations.flatMap((d) => this.o.settings.provisional(d)?.deadline ?? []);
        if (!this.started || deadlines.length === 0)
            return;
        const wait = Math.min(Math.max(0, Math.min(...deadlines) - this.now()), 2 ** 31 - 1);
        this.timer = setTimeout(() => {
            this.timer = undefined;
            void this.checkDeadlines()
                .catch((err) => this.o.logger.error('endpoint trial check failed', { err }))
                .finally(() => this.arm());
        }, wait);
        this.timer.unref();
    }
}
//# sourceMappingURL=endpoint-trial.js.map