// The sonde producer: every reading the driver emits becomes one MeasureMessage published to the broker,
// so that it gets a queue entry and a sequence of its own (the sender coalesces runs of them at send time).
// The producer is named by its type alone (docs/protocol.md §5.4): the gateway has one sonde, a locator
// would repeat in every upload, and the serial number is there for a Query (SONDE_SERIAL).
// A reading counts as taken once every queue it was routed to has it on disk; if that fails (disk full,
// store error) it counts as rejected with reason `enqueue_failed` and is logged: never silently lost.
// Rows the sonde printed that never arrived (the sonde's sampled time jumps, line-gap.ts) are published as
// a GapReport with reason `line`, in front of the reading that showed the jump.
// The sonde's serial number is reported (sensor-description.ts) in front of the first reading after the
// driver learned it, and again when it changes (a sonde swapped in the field); every agent start reports it
// once more (no state kept: one small message per start, the sink keeps the first time it saw a serial).
import { CONTENT_TYPES } from '../../protocol/model.js';
import { SONDE_COMPONENT } from '../config/schema.js';
import { LineGapDetector } from './line-gap.js';
import { SONDE_MODEL, sensorDescriptionMessage } from './sensor-description.js';
/** One producer object for every reading: the broker routes a burst from one producer once. */
const SONDE_PRODUCER = Object.freeze({ componentType: SONDE_COMPONENT });
/**
 * A line gap's readings never had sequence numbers (they never reached the agent): the report covers no
 * sequence (0..0, which no message has), and sits in the queue where the loss happened (docs/protocol.md).
 */
export const LINE_GAP_SEQUENCE = 0;
export class SondeSource {
    driver;
    broker;
    metrics;
    logger;
    backfill;
    inFlight = new Set();
    /** Readings emitted in the current turn of the event loop (one serial read), published together. */
    batch = [];
    lineGaps = new LineGapDetector();
    /** The interval the detector assumes; re-read from the driver before a jump is called a loss. */
    intervalS = 0;
    /** The serial number last reported to the sink by this run of the agent. */
    reportedSerial = null;
    constructor(driver, broker, metrics, logger, 
    /** Reads back what the sonde logged while the agent missed it (null: the sonde does not log). */
    backfill = null) {
        this.driver = driver;
        this.broker = broker;
        this.metrics = metrics;
        this.logger = logger;
        this.backfill = backfill;
        driver.on('reading', (r) => this.take(r));
        driver.on('state', (state) => backfill?.state(state));
        driver.on('rejected', (r) => metrics.readingsRejected.inc({ reason: r.reason }));
        // A break-in (configuring) stops the sonde's sampling: the jump after it is not a loss.
        driver.on('state', (state) => {
            if (state === 'configuring')
                this.restartLineWatch();
            this.describeSensor(Date.now());
        });
    }
    async start() {
        this.restartLineWatch();
        await this.driver.start();
    }
    restartLineWatch() {
        this.intervalS = this.driver.status().intervalS;
        this.lineGaps.reset(this.intervalS);
    }
    /** Stops the driver, then waits until every reading already emitted is queued (or has failed). */
    async stop() {
        await this.backfill?.stop();
        await this.driver.stop();
        this.publishBatch();
        await Promise.allSettled([...this.inFlight]);
    }
    take(r) {
        const { receivedAt, ...reading } = r;
        if (this.reportedSerial === null)
            this.describeSensor(receivedAt);
        if (this.batch.length === 0)
            queueMicrotask(() => this.publishBatch());
        const gap = this.lineGaps.observe(reading.sampledAt);
        if (gap)
            this.lineGap(gap, receivedAt, reading);
        this.backfill?.note(reading);
        this.batch.push(measure(reading, receivedAt));
    }
    /** Queues the sonde's description when the driver knows a serial number not reported yet. */
    describeSensor(now) {
        const serialNumber = this.driver.status().serialNumber ?? null;
        if (serialNumber === null || serialNumber === this.reportedSerial)
            return;
        this.reportedSerial = serialNumber;
        this.logger.info('reporting the sonde to the sink', { serialNumber, model: SONDE_MODEL });
        if (this.batch.length === 0)
            queueMicrotask(() => this.publishBatch());
        this.batch.push(sensorDescriptionMessage({ serialNumber, model: SONDE_MODEL }, SONDE_PRODUCER, now));
    }
    /** Queues readings read back from the sonde's memory (already flagged), in one burst. */
    async queueBackfilled(readings) {
        const now = Date.now();
        await this.broker.publishAll(readings.map((r) => measure(r, now)));
        this.metrics.readingsTaken.inc({}, readings.length);
    }
    /** Queues the report in front of the reading that showed the jump, unless the interval changed meanwhile. */
    lineGap(gap, receivedAt, after) {
        const intervalS = this.driver.status().intervalS;
        if (intervalS !== this.intervalS) {
            this.intervalS = intervalS;
            this.lineGaps.reset(intervalS);
            this.lineGaps.observe(after.sampledAt);
            return;
        }
        this.metrics.lineGapReadings.inc({}, gap.missed);
        // Half an interval around the estimated times: the sonde's clock prints whole seconds.
        const margin = (intervalS * 1000) / 2 + 1000;
        this.backfill?.lineGap(gap.firstSampledAt - margin, gap.lastSampledAt + margin);
        this.logger.warn('readings lost on the serial line (the sonde clock jumped)', {
            readings: gap.missed,
            firstSampledAt: new Date(gap.firstSampledAt).toISOString(),
            lastSampledAt: new Date(gap.lastSampledAt).toISOString(),
            nextSondeTime: after.sondeTime,
        });
        this.batch.push({
            kind: 'EventMessage',
            contentType: CONTENT_TYPES.gap,
            header: { creationTime: receivedAt, producer: SONDE_PRODUCER },
            body: {
                type: 'GapReport',
                gap: {
                    fromSequence: LINE_GAP_SEQUENCE,
                    toSequence: LINE_GAP_SEQUENCE,
                    readings: gap.missed,
                    firstSampledAt: gap.firstSampledAt,
                    lastSampledAt: gap.lastSampledAt,
                    reason: 'line',
                },
            },
        });
    }
    publishBatch() {
        const messages = this.batch;
        if (messages.length === 0)
            return;
        this.batch = [];
        const readings = messages.filter(isReading);
        const p = this.broker
            .publishAll(messages)
            .then(() => {
            this.metrics.readingsTaken.inc({}, readings.length);
            this.backfill?.queued(readings.flatMap(readingsOf));
        })
            .catch((err) => {
            this.metrics.readingsRejected.inc({ reason: 'enqueue_failed' }, readings.length);
            this.logger.error('readings could not be queued', {
                err,
                readings: readings.length,
                firstSondeTime: readings[0] && sondeTimeOf(readings[0]),
            });
        })
            .finally(() => this.inFlight.delete(p));
        this.inFlight.add(p);
    }
}
function measure(reading, receivedAt) {
    return {
        kind: 'MeasureMessage',
        contentType: CONTENT_TYPES.sondeData,
        header: { creationTime: receivedAt, producer: SONDE_PRODUCER },
        body: { type: 'SondeDataContainer', readings: [reading] },
    };
}
function readingsOf(message) {
    return message.body.type === 'SondeDataContainer' ? message.body.readings : [];
}
function isReading(message) {
    return message.body.type === 'SondeDataContainer';
}
function sondeTimeOf(message) {
    return message.body.type === 'SondeDataContainer' ? message.body.readings[0]?.sondeTime : undefined;
}
//# sourceMappingURL=sonde-source.js.map