// Executes stored commands one at a time, at most once each, and queues their correlated answers:
//   UpdateMessage -> AcknowledgementMessage, DSProperties: RESULT = applied | rejected, REASON, values in force
//   QueryMessage  -> MeasureMessage, DSProperties: the queried values (all when the query names none)
// The answer's messageId is `<command id>-r`, so an answer queued twice (crash between queueing and
// recording it) is one message at the sink. See command-store.ts for the states and crash behaviour.
import { COMPONENT_TYPES, CONTENT_TYPES } from '../../protocol/model.js';
import { ENDPOINT_PROPERTIES } from './endpoint-trial.js';
const INTERRUPTED = 'interrupted by a restart before it completed; not applied again';
export class CommandExecutor {
    o;
    running = Promise.resolve();
    now;
    constructor(o) {
        this.o = o;
        this.now = o.now ?? Date.now;
    }
    /** Executes every unfinished command; calls made while running queue up behind it. */
    runPending() {
        this.running = this.running
            .then(() => this.runAll())
            .catch((err) => this.o.logger.error('command execution failed', { err }));
        return this.running;
    }
    async runAll() {
        for (const record of this.o.store.unfinished())
            await this.advance(record);
    }
    /** Completes an Update left provisional by an endpoint trial (see endpoint-trial.ts). */
    finishProvisional(commandId, outcome, reason) {
        const work = async () => {
            const r = this.o.store.get(commandId);
            if (r?.state !== 'provisional')
                return; // answered meanwhile (e.g. as interrupted by a restart)
            this.o.metrics.commands.inc({ kind: 'update', outcome });
            await this.advance(await this.o.store.setState(r.id, 'done', this.answerFor(r.command, outcome, reason, this.inForce(r.command, r.destination))));
        };
        this.running = this.running.then(work).catch((err) => this.o.logger.error('command completion failed', { err }));
        return this.running;
    }
    async advance(record) {
        const { store } = this.o;
        let r = record;
        if (r.state === 'received') {
            r = await store.setState(r.id, 'started');
            const answer = await this.execute(r);
            r = await store.setState(r.id, answer === 'provisional' ? 'provisional' : 'done', answer === 'provisional' ? undefined : answer);
        }
        else if (r.state === 'started') {
            r = await store.setState(r.id, 'done', this.answerFor(r.command, 'rejected', INTERRUPTED, this.inForce(r.command, r.destination)));
        }
        if (r.state === 'done' && r.answer) {
            await this.o.answer(r.destination, r.answer);
            await store.setState(r.id, 'answered');
        }
    }
    async execute(record) {
        const { properties, metrics, logger, endpoints } = this.o;
        const { command, destination } = record;
        const requested = command.body.type === 'DSProperties' ? command.body.properties : [];
        if (command.kind === 'QueryMessage') {
            const names = requested.length > 0
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
        const problems = endpointChanges.length > 0 ? endpoints.validate(destination, endpointChanges) : [];
        const result = problems.length > 0
            ? { outcome: 'rejected', reason: problems.join('; ') }
            : others.length > 0 || endpointChanges.length === 0
                ? await properties.update(others)
                : { outcome: 'applied' };
        if (result.outcome === 'applied' && endpointChanges.length > 0) {
            await endpoints.begin(destination, command.messageId, endpointChanges);
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
    read(names, destination) {
        const endpoints = this.o.endpoints;
        const tableNames = names.filter((n) => !(endpoints && ENDPOINT_PROPERTIES.has(n)));
        // An empty list means "all" to the table: ask it only when some of its properties are named.
        const table = tableNames.length > 0 ? this.o.properties.query(tableNames) : { properties: [], unknown: [] };
        const own = endpoints
            ? names.filter((n) => ENDPOINT_PROPERTIES.has(n)).map((n) => ({ name: n, value: endpoints.read(destination, n) }))
            : [];
        const order = (p) => names.indexOf(p.name);
        return { properties: [...table.properties, ...own].sort((a, b) => order(a) - order(b)), unknown: table.unknown };
    }
    inForce(command, destination) {
        const names = command.body.type === 'DSProperties' ? command.body.properties.map((p) => p.name) : [];
        return this.read(names, destination).properties;
    }
    answerFor(command, outcome, reason, inForce) {
        const head = [
            { name: 'RESULT', value: outcome },
            ...(reason ? [{ name: 'REASON', value: reason }] : []),
        ];
        return this.message('AcknowledgementMessage', command, [...head, ...inForce]);
    }
    message(kind, command, properties) {
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
//# sourceMappingURL=executor.js.map