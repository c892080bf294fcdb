// The broker: components publish messages, the matcher picks targets, and the broker hands a copy to each
// one: into the destination's durable queue (remote), or to a local component's handler.
// publish() resolves when every copy is delivered (queued on disk), so a reading counts as taken only then.
import { targetKey } from './matcher.js';
function endpoint(c) {
    return c ? { type: c.componentType, address: c.locator?.nodeAddress } : undefined;
}
/**
 * Everything published here was produced on this gateway, so a producer named by its type alone (the
 * sonde: docs/protocol.md §5.4) is matched as LOCAL.
 */
function producerEndpoint(c) {
    return { type: c.componentType, address: c.locator?.nodeAddress ?? 'LOCAL' };
}
export class Broker {
    o;
    constructor(o) {
        this.o = o;
    }
    /** Delivers the message to every target; resolves with the targets, rejects if any delivery failed. */
    async publish(message) {
        const targets = this.route(message);
        await Promise.all(targets.map((t) => this.deliver(t, [withConsumer(message, t)])));
        return targets;
    }
    /**
     * Delivers messages that arrived together (the readings of one serial read): each destination queue
     * gets them as one group, in order, so a burst costs one queue write instead of one per message.
     * Resolves when every copy is delivered; rejects if any delivery failed.
     */
    async publishAll(messages) {
        const groups = new Map();
        // A burst comes from one producer: its messages share the producer object, so route it once.
        let last;
        for (const message of messages) {
            const { producer, consumer } = message.header;
            if (last?.producer !== producer || last.consumer !== consumer)
                last = { producer, consumer, targets: this.route(message) };
            else if (last.targets.length === 0)
                this.countUnrouted(message);
            for (const target of last.targets) {
                const key = targetKey(target);
                let group = groups.get(key);
                if (!group)
                    groups.set(key, (group = { target, messages: [] }));
                group.messages.push(withConsumer(message, target));
            }
        }
        await Promise.all([...groups.values()].map((g) => this.deliver(g.target, g.messages)));
    }
    route(message) {
        const targets = this.o.matcher.targets(producerEndpoint(message.header.producer), endpoint(message.header.consumer));
        if (targets.length === 0)
            this.countUnrouted(message);
        return targets;
    }
    countUnrouted(message) {
        this.o.metrics.unrouted.inc({ producer: message.header.producer.componentType });
        this.o.logger.debug('no rule matched; message dropped', {
            producer: message.header.producer,
            consumer: message.header.consumer,
        });
    }
    async deliver(target, messages) {
        if (target.destination !== undefined) {
            const queue = this.o.queues.get(target.destination);
            if (!queue)
                throw new Error(`rule ${target.ruleId}: no queue for destination ${target.destination}`);
            await queue.enqueueAll(messages);
            return;
        }
        const handler = this.o.locals?.get(target.consumer.type ?? '');
        if (handler)
            await Promise.all(messages.map((m) => handler(m)));
        else
            this.o.logger.debug('no local component of that type', { rule: target.ruleId, consumer: target.consumer });
    }
}
function withConsumer(message, target) {
    const { type, address } = target.consumer;
    if (type === undefined)
        return message;
    const consumer = {
        componentType: type,
        ...(address !== undefined ? { locator: { nodeAddress: address } } : {}),
    };
    return { ...message, header: { ...message.header, consumer } };
}
//# sourceMappingURL=broker.js.map