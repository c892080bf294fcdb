import { ProtocolError } from './errors.js';
import { javaFloatText, nativeNumberText, wholeNumberText } from './number-text.js';
import { replayOpaque } from './opaque.js';
import { defaultsAttributes, planSondeDefaults, readingAttributes, unitAttribute, } from './sonde-wire.js';
import { sequenceAttribute } from './implicit-sequence.js';
import { lastSequence, readingSequences } from './sequences.js';
import { containerTimeText } from './time-format.js';
import { XmlWriter } from './xml-writer.js';
export function encodeContainer(container, options = {}) {
    const chunks = [];
    writeContainer(container, (chunk) => chunks.push(chunk), options);
    return chunks.join('');
}
/** Streams the document to `sink` chunk by chunk (for writing straight into a request or a file). */
export function writeContainer(container, sink, options = {}) {
    const encoder = options.dialect === 'legacy' ? new LegacyEncoder(container, sink) : new NativeEncoder(container, sink);
    encoder.writeDocument(container);
}
/** What both dialects write alike; the dialects differ in the hooks below. */
class Encoder {
    xml;
    constructor(sink, rootTagEnd) {
        this.xml = new XmlWriter(sink, { rootTagEnd });
    }
    writeDocument(container) {
        this.writeProlog();
        this.xml.open('MessagesContainer', this.containerAttributes(container));
        for (const message of container.messages)
            this.writeMessage(message);
        this.xml.close().end(this.trailer());
    }
    /** What precedes the root element. */
    writeProlog() {
        this.xml.declaration();
    }
    /** What follows the root element. */
    trailer() {
        return '';
    }
    baseContainerAttributes(container) {
        return {
            uudi: container.id,
            creationTime: containerTimeText(container.creationTime, container.creationTimeText),
            destinationHost: container.destinationHost,
            windowSize: integerText(container.windowSize),
            acknowledgeUntil: integerText(container.acknowledgeUntil),
        };
    }
    writeMessage(message) {
        this.xml.open(message.kind, this.messageAttributes(message));
        this.xml.open('Header').leaf('CreationTime', integerText(message.header.creationTime));
        this.xml.leaf('CorrelationID', message.header.correlationId);
        this.writeComponent('Producer', message.header.producer);
        if (message.header.consumer)
            this.writeComponent('Consumer', message.header.consumer);
        this.xml.close();
        this.writeBody(message);
        this.xml.close();
    }
    writeComponent(name, component) {
        this.xml.open(name).leaf('ComponentType', component.componentType);
        if (component.locator) {
            this.xml.open('ComponentLocator');
            this.xml.leaf('ComponentNodeId', component.locator.componentNodeId);
            this.xml.leaf('NodeAddress', component.locator.nodeAddress).close();
        }
        this.xml.close();
    }
    writeBody(message) {
        const body = message.body;
        this.xml.open('Body');
        switch (body.type) {
            case 'SondeDataContainer':
                this.xml.open('SondeDataContainer');
                this.writeReadings(message, body.readings);
                this.xml.close();
                break;
            case 'DSProperties':
                this.xml.open('DSProperties');
                for (const property of body.properties)
                    this.writeProperty(property);
                this.xml.close();
                break;
            case 'GapReport':
                this.xml.open('GapReport', gapAttributes(body.gap)).close();
                break;
            case 'Opaque':
                replayOpaque(body.xml, this.xml);
                break;
            case 'Empty':
                break;
        }
        this.xml.close();
    }
    writeProperty(property) {
        const { name, type, format, unit, instruction } = property;
        this.xml.open('Property', { name, type, format, unit, instruction });
        this.xml.leaf('Value', property.value);
        if (property.values) {
            this.xml.open('Values');
            for (const value of property.values)
                this.xml.leaf('Value', value);
            this.xml.close();
        }
        this.xml.close();
    }
}
class NativeEncoder extends Encoder {
    defaults;
    previousSequence;
    constructor(container, sink) {
        super(sink);
        this.defaults = planSondeDefaults(container.messages.flatMap(readingsOf));
    }
    /**
     * No XML declaration: it is optional (XML 1.0 §2.8), UTF-8 is the default it would state, and it costs
     * about 0.6 compressed bytes per reading in a 60-reading upload (docs/protocol.md §9).
     */
    writeProlog() { }
    containerAttributes(container) {
        return {
            ...this.baseContainerAttributes(container),
            acknowledgedContainer: container.acknowledgedContainer,
            gatewayId: container.gatewayId,
            serverTime: integerText(container.serverTime),
            queueDepth: integerText(container.queueDepth),
            clockOffsetMs: container.clockOffsetMs === undefined ? undefined : nativeNumberText(container.clockOffsetMs),
            receivedCommands: idListText(container.receivedCommands),
            ...defaultsAttributes(this.defaults),
        };
    }
    messageAttributes(message) {
        const sequence = sequenceAttribute(message.sequence, this.previousSequence);
        this.previousSequence = lastSequence(message);
        return { ContentType: message.contentType, messageID: message.messageId, sequence };
    }
    /** A reading's sequence is written only where the run breaks (never on the first: it is the message's). */
    writeReadings(message, readings) {
        const sequences = readingSequences(message);
        readings.forEach((reading, index) => {
            const sequence = index === 0 ? undefined : sequences[index];
            this.writeReading(reading, sequence === undefined ? undefined : sequenceAttribute(sequence, sequences[index - 1]));
        });
    }
    writeReading(reading, sequence) {
        this.xml.open('sondeData', {
            samplingTimeStamp: reading.sondeTime,
            sequence,
            flags: flagsText(reading.flags),
            ...readingAttributes(reading, this.defaults),
        });
        for (const [key, value] of Object.entries(reading.values)) {
            const attributes = {
                unit: unitAttribute(reading, key, this.defaults),
                flags: flagsText(reading.valueFlags?.[key]),
            };
            this.xml
                .open(key, attributes)
                .text(value === null ? '' : nativeNumberText(value))
                .close();
        }
        this.xml.close();
    }
}
/**
 * The original peers' writers, reproduced byte for byte (reference documents in test/fixtures/netbeams/):
 * the gateway's request ends the root start tag with " >" and no final newline; the server's response
 * (the container carries acknowledgeUntil) ends it with ">" and ends the document with a newline.
 */
class LegacyEncoder extends Encoder {
    isResponse;
    constructor(container, sink) {
        const isResponse = container.acknowledgeUntil !== undefined;
        super(sink, isResponse ? '>' : ' >');
        this.isResponse = isResponse;
    }
    trailer() {
        return this.isResponse ? '\n' : '';
    }
    containerAttributes(container) {
        return this.baseContainerAttributes(container);
    }
    messageAttributes(message) {
        return { ContentType: message.contentType, messageID: message.messageId };
    }
    /** Java floats; a value without a number is left out, as the original had no way to say "missing". */
    writeReadings(_message, readings) {
        for (const reading of readings) {
            this.xml.open('sondeData', { samplingTimeStamp: reading.sondeTime });
            for (const [key, value] of Object.entries(reading.values)) {
                if (value !== null)
                    this.xml.leaf(key, javaFloatText(value));
            }
            this.xml.close();
        }
    }
}
function readingsOf(message) {
    return message.body.type === 'SondeDataContainer' ? message.body.readings : [];
}
function gapAttributes(gap) {
    return {
        fromSequence: integerText(gap.fromSequence),
        toSequence: integerText(gap.toSequence),
        readings: integerText(gap.readings),
        firstSampledAt: integerText(gap.firstSampledAt),
        lastSampledAt: integerText(gap.lastSampledAt),
        reason: gap.reason,
    };
}
/** Space-separated ids; an id that is empty or holds whitespace would come back as something else. */
function idListText(ids) {
    if (ids?.some((id) => id === '' || /[ \t\r\n]/.test(id))) {
        throw new ProtocolError('invalid_value', 'a received command id that is empty or holds whitespace');
    }
    return ids?.join(' ');
}
function flagsText(flags) {
    return flags && flags.length > 0 ? flags.join(' ') : undefined;
}
function integerText(value) {
    return value === undefined ? undefined : wholeNumberText(value);
}
//# sourceMappingURL=encode.js.map