// One simulated gateway of the fleet: the agent's delivery semantics without its disk, so that a thousand
// of them fit in one process. Each reading gets the next sequence of this gateway and stays queued until
// the sink acknowledges it (acknowledgeUntil, or acknowledgedContainer for the container that carried it);
// a failed exchange changes nothing, so the same readings go out again. A container carries the oldest
// queued readings coalesced into one MeasureMessage (docs/protocol.md §5.1), gzip'd as the agent sends it.
import { gzipSync } from 'node:zlib';
import { encodeContainer } from '../../protocol/encode.js';
import { UPLOAD_GZIP_OPTIONS } from '../../agent/transport/http-client.js';
import { measureContainer } from '../../protocol/fixtures/sonde-sample.js';
export class SimulatedGateway {
    identity;
    /** Oldest first; always consecutive sequences, since only the oldest readings are sent and acknowledged. */
    queue = [];
    nextSequence = 1;
    /** acknowledgeUntil is never applied beyond what was sent, as the agent does. */
    highestSent = 0;
    /** Encoded bodies by container id: a retry (or a prepared backlog) costs no encoding. */
    bodies = new Map();
    /** When each acknowledged sequence was acknowledged (ms): what the analyzer compares with sampledAt. */
    acknowledgedAt = new Map();
    /** sampledAt of every reading produced, by sequence. */
    sampledAt = new Map();
    constructor(identity) {
        this.identity = identity;
    }
    get id() {
        return this.identity.id;
    }
    get depth() {
        return this.queue.length;
    }
    get produced() {
        return this.nextSequence - 1;
    }
    /** Queues a reading with this gateway's next sequence. */
    produce(reading) {
        const sequence = this.nextSequence++;
        this.queue.push({ sequence, reading });
        this.sampledAt.set(sequence, reading.sampledAt ?? Date.now());
        return sequence;
    }
    /** The next request: the oldest `maxReadings` queued readings, or undefined when nothing is queued. */
    next(maxReadings) {
        const batch = this.queue.slice(0, maxReadings);
        const first = batch[0];
        if (!first)
            return undefined;
        const containerId = `${this.id}-${first.sequence}-${batch.length}`;
        let body = this.bodies.get(containerId);
        if (!body) {
            body = gzipSync(encodeContainer(this.container(batch, containerId)), UPLOAD_GZIP_OPTIONS);
            this.bodies.set(containerId, body);
        }
        const lastSequence = first.sequence + batch.length - 1;
        return { containerId, body, firstSequence: first.sequence, lastSequence };
    }
    /** Records that `sent` went out (a request was attempted with it). */
    sent(sent) {
        this.highestSent = Math.max(this.highestSent, sent.lastSequence);
    }
    /** Encodes every container the current queue will be sent as, ahead of a timed run. */
    prepare(maxReadings) {
        const saved = this.queue;
        for (let start = 0; start < saved.length; start += maxReadings) {
            this.queue = saved.slice(start);
            this.next(maxReadings);
        }
        this.queue = saved;
    }
    /** Applies a 200 response to the request `sent`; returns how many readings it acknowledged. */
    acknowledge(response, sent, now) {
        const until = Math.max(Math.min(response.acknowledgeUntil ?? 0, this.highestSent), response.acknowledgedContainer === sent.containerId ? sent.lastSequence : 0);
        let count = 0;
        while (this.queue[0] && this.queue[0].sequence <= until) {
            this.acknowledgedAt.set(this.queue.shift().sequence, now);
            count++;
        }
        if (count > 0)
            this.bodies.delete(sent.containerId);
        return count;
    }
    container(batch, containerId) {
        const container = measureContainer(batch.map((q) => q.reading), batch[0].sequence, batch.length);
        container.id = containerId;
        container.gatewayId = this.id;
        container.queueDepth = this.queue.length;
        return container;
    }
}
//# sourceMappingURL=gateway.js.map