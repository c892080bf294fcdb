// Builds the model straight from parser events, without a document tree: each open element pushes a frame
// that says what it is (a message, a header, a value...), and each leaf frame knows where its text goes.
// Only the message being read is incomplete at any time; finished messages are model objects already.
import { ProtocolError } from './errors.js';
import { MESSAGE_KINDS, } from './model.js';
import { assignDefined, integerValue, optionalFlags, optionalInteger, optionalNumber, required, } from './attribute-values.js';
import { parseNumberText } from './number-text.js';
import { OpaqueRecorder } from './opaque.js';
import { resolveSequence } from './implicit-sequence.js';
import { nextReadingSequence } from './sequences.js';
import { parseDefaults, resolveReadingExtras, resolveUnit, setOwn, } from './sonde-wire.js';
import { nonCanonicalTimeText, parseContainerTime } from './time-format.js';
const MESSAGE_KIND_SET = new Set(MESSAGE_KINDS);
/** Float.toString of Java's non-finite floats. */
const JAVA_NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);
export class ModelBuilder {
    limits;
    frames = [];
    container;
    defaults = { units: {} };
    message;
    previousSequence;
    component;
    reading;
    property;
    opaque;
    leafText = '';
    constructor(limits) {
        this.limits = limits;
    }
    get depth() {
        return this.frames.length;
    }
    open(name, attributes) {
        const parent = this.frames.at(-1);
        if (parent?.kind === 'opaque' || (parent?.kind === 'body' && this.opaque)) {
            this.opaque?.open(name, attributes);
            this.frames.push({ kind: 'opaque', name });
            return;
        }
        this.frames.push(this.frameFor(parent, name, attributes));
        this.leafText = '';
    }
    text(text) {
        const frame = this.frames.at(-1);
        if (frame?.kind === 'opaque' || (frame?.kind === 'body' && this.opaque)) {
            this.opaque?.text(text);
        }
        else if (frame?.kind === 'leaf') {
            if (this.leafText.length + text.length > this.limits.maxTextLength) {
                throw new ProtocolError('text_too_long', 'a text longer than the limit');
            }
            this.leafText += text;
        }
        else if (!isXmlWhitespace(text)) {
            throw new ProtocolError('malformed', 'text where only elements belong');
        }
    }
    close() {
        const frame = this.frames.pop();
        switch (frame?.kind) {
            case 'leaf':
                frame.assign(trimXmlWhitespace(this.leafText));
                this.leafText = '';
                break;
            case 'opaque':
                this.opaque?.close(frame.name);
                break;
            case 'message':
                this.finishMessage();
                break;
            case 'body':
                if (this.opaque && this.message)
                    this.message.body = { type: 'Opaque', xml: this.opaque.toString() };
                this.opaque = undefined;
                break;
            case 'reading':
                this.finishReading();
                break;
            case 'property':
                if (this.property && this.message?.body?.type === 'DSProperties')
                    this.message.body.properties.push(this.property);
                this.property = undefined;
                break;
            default:
                break;
        }
    }
    /** The finished container; throws when the document ended before its root element did. */
    result() {
        if (!this.container || this.frames.length > 0)
            throw new ProtocolError('malformed', 'the document is incomplete');
        return this.container;
    }
    frameFor(parent, name, attributes) {
        switch (parent?.kind) {
            case undefined:
                if (name !== 'MessagesContainer')
                    break;
                this.startContainer(attributes);
                return { kind: 'container' };
            case 'container':
                if (!MESSAGE_KIND_SET.has(name))
                    break;
                this.startMessage(name, attributes);
                return { kind: 'message' };
            case 'message':
                if (name === 'Header')
                    return { kind: 'header' };
                if (name === 'Body')
                    return { kind: 'body' };
                break;
            case 'header':
                return this.headerChild(name);
            case 'component':
                if (name === 'ComponentType')
                    return this.leaf((text) => (this.requireComponent().componentType = text));
                if (name === 'ComponentLocator') {
                    this.requireComponent().locator = {};
                    return { kind: 'locator' };
                }
                break;
            case 'locator':
                if (name === 'ComponentNodeId')
                    return this.leaf((text) => (this.requireLocator().componentNodeId = text));
                if (name === 'NodeAddress')
                    return this.leaf((text) => (this.requireLocator().nodeAddress = text));
                break;
            case 'body':
                return this.bodyChild(name, attributes);
            case 'sondeContainer':
                if (name !== 'sondeData')
                    break;
                this.startReading(attributes);
                return { kind: 'reading' };
            case 'reading':
                return this.valueFrame(name, attributes);
            case 'properties':
                if (name !== 'Property')
                    break;
                this.startProperty(attributes);
                return { kind: 'property' };
            case 'property':
                if (name === 'Value')
                    return this.leaf((text) => (this.requireProperty().value = text));
                if (name === 'Values') {
                    this.requireProperty().values = [];
                    return { kind: 'values' };
                }
                break;
            case 'values':
                if (name === 'Value')
                    return this.leaf((text) => this.requireProperty().values?.push(text));
                break;
            default:
                break;
        }
        throw new ProtocolError('unknown_element', `unexpected element <${name.slice(0, 40)}>`);
    }
    leaf(assign) {
        return { kind: 'leaf', assign };
    }
    startContainer(attributes) {
        const creationText = required(attributes, 'creationTime', 'MessagesContainer');
        const creationTime = parseContainerTime(creationText);
        if (creationTime === undefined)
            throw new ProtocolError('invalid_value', 'creationTime is not a time');
        const container = {
            id: required(attributes, 'uudi', 'MessagesContainer'),
            creationTime,
            messages: [],
        };
        const creationTimeText = nonCanonicalTimeText(creationTime, creationText);
        if (creationTimeText !== undefined)
            container.creationTimeText = creationTimeText;
        assignDefined(container, {
            destinationHost: attributes.destinationHost,
            windowSize: optionalInteger(attributes, 'windowSize'),
            acknowledgeUntil: optionalInteger(attributes, 'acknowledgeUntil'),
            acknowledgedContainer: attributes.acknowledgedContainer,
            gatewayId: attributes.gatewayId,
            serverTime: optionalInteger(attributes, 'serverTime'),
            queueDepth: optionalInteger(attributes, 'queueDepth'),
            clockOffsetMs: optionalNumber(attributes, 'clockOffsetMs'),
            receivedCommands: attributes.receivedCommands?.split(/[ \t\r\n]+/).filter((id) => id !== ''),
        });
        this.defaults = parseDefaults(attributes);
        this.container = container;
    }
    startMessage(kind, attributes) {
        if ((this.container?.messages.length ?? 0) >= this.limits.maxMessages) {
            throw new ProtocolError('too_many_messages', 'more messages than the limit');
        }
        const sequence = resolveSequence(attributes.sequence, this.previousSequence);
        this.message = { kind, attributes, sequence };
    }
    finishMessage() {
        const draft = this.message;
        if (!draft || !this.container)
            return;
        const messageId = required(draft.attributes, 'messageID', draft.kind);
        if (draft.creationTime === undefined)
            throw new ProtocolError('invalid_value', 'a message without Header/CreationTime');
        if (!draft.producer)
            throw new ProtocolError('invalid_value', 'a message without Header/Producer');
        const message = {
            kind: draft.kind,
            messageId,
            header: { creationTime: draft.creationTime, producer: draft.producer },
            body: draft.body ?? { type: 'Empty' },
        };
        const { sequence } = draft;
        this.previousSequence = draft.lastReadingSequence ?? sequence;
        assignDefined(message, { contentType: draft.attributes.ContentType, sequence });
        assignDefined(message.header, { correlationId: draft.correlationId, consumer: draft.consumer });
        this.container.messages.push(message);
        this.message = undefined;
    }
    headerChild(name) {
        const draft = this.requireMessage();
        switch (name) {
            case 'CreationTime':
                return this.leaf((text) => (draft.creationTime = integerValue(text, 'CreationTime')));
            case 'CorrelationID':
                return this.leaf((text) => (draft.correlationId = text));
            case 'Producer':
            case 'Consumer':
                this.component = { componentType: '' };
                if (name === 'Producer')
                    draft.producer = this.component;
                else
                    draft.consumer = this.component;
                return { kind: 'component' };
            default:
                throw new ProtocolError('unknown_element', `unexpected element <${name.slice(0, 40)}>`);
        }
    }
    bodyChild(name, attributes) {
        const draft = this.requireMessage();
        if (draft.body)
            throw new ProtocolError('malformed', 'a Body with more than one payload');
        switch (name) {
            case 'SondeDataContainer':
                draft.body = { type: 'SondeDataContainer', readings: [] };
                return { kind: 'sondeContainer' };
            case 'DSProperties':
                draft.body = { type: 'DSProperties', properties: [] };
                return { kind: 'properties' };
            case 'GapReport':
                draft.body = { type: 'GapReport', gap: gapReport(attributes) };
                return { kind: 'gap' };
            default:
                this.opaque = new OpaqueRecorder();
                this.opaque.open(name, attributes);
                return { kind: 'opaque', name };
        }
    }
    startReading(attributes) {
        const draft = this.requireMessage();
        const reading = { sondeTime: required(attributes, 'samplingTimeStamp', 'sondeData'), values: {} };
        const sequence = nextReadingSequence(optionalInteger(attributes, 'sequence'), draft.lastReadingSequence, draft.sequence);
        if (sequence !== undefined)
            draft.lastReadingSequence = sequence;
        assignDefined(reading, { sequence, flags: optionalFlags(attributes.flags) });
        const { sampledAt, raw, rawLine } = attributes;
        this.reading = { reading, wire: { sampledAt, raw, rawLine } };
    }
    valueFrame(key, attributes) {
        const { reading } = this.requireReading();
        if (Object.hasOwn(reading.values, key))
            throw new ProtocolError('invalid_value', `${key.slice(0, 40)} twice in one reading`);
        const unit = resolveUnit(key, attributes.unit, this.defaults);
        if (unit !== undefined)
            setOwn((reading.units ??= {}), key, unit);
        const flags = optionalFlags(attributes.flags);
        if (flags)
            setOwn((reading.valueFlags ??= {}), key, flags);
        setOwn(reading.values, key, null);
        return this.leaf((text) => {
            if (text === '')
                return;
            if (JAVA_NON_FINITE.has(text)) {
                // An original gateway prints a failed float as Java does; refusing the document would block its
                // queue for good, so the value is kept as unusable instead.
                const valueFlags = (reading.valueFlags ??= {});
                const flags = valueFlags[key] ?? [];
                if (!flags.includes('parse_error'))
                    setOwn(valueFlags, key, [...flags, 'parse_error']);
                return;
            }
            const value = parseNumberText(text);
            if (value === undefined)
                throw new ProtocolError('invalid_value', `${key.slice(0, 40)} is not a number`);
            reading.values[key] = value;
        });
    }
    finishReading() {
        const draft = this.reading;
        const body = this.message?.body;
        if (!draft || body?.type !== 'SondeDataContainer')
            return;
        const { sampledAt, raw } = resolveReadingExtras(draft.reading, draft.wire, this.defaults);
        assignDefined(draft.reading, { sampledAt, raw });
        body.readings.push(draft.reading);
        this.reading = undefined;
    }
    startProperty(attributes) {
        this.property = { name: required(attributes, 'name', 'Property') };
        const { type, format, unit, instruction } = attributes;
        assignDefined(this.property, { type, format, unit, instruction });
    }
    requireMessage() {
        return present(this.message, 'an element outside a message');
    }
    requireComponent() {
        return present(this.component, 'an element outside a component');
    }
    requireLocator() {
        return (this.requireComponent().locator ??= {});
    }
    requireReading() {
        return present(this.reading, 'a value outside sondeData');
    }
    requireProperty() {
        return present(this.property, 'a value outside Property');
    }
}
/** The frames make these impossible; the check keeps a broken invariant from turning into a TypeError. */
function present(value, what) {
    if (value === undefined)
        throw new ProtocolError('malformed', what);
    return value;
}
function gapReport(attributes) {
    const gap = {
        fromSequence: integerValue(required(attributes, 'fromSequence', 'GapReport'), 'fromSequence'),
        toSequence: integerValue(required(attributes, 'toSequence', 'GapReport'), 'toSequence'),
        readings: integerValue(required(attributes, 'readings', 'GapReport'), 'readings'),
        reason: required(attributes, 'reason', 'GapReport'),
    };
    assignDefined(gap, {
        firstSampledAt: optionalInteger(attributes, 'firstSampledAt'),
        lastSampledAt: optionalInteger(attributes, 'lastSampledAt'),
    });
    return gap;
}
function isXmlWhitespace(text) {
    return /^[ \t\r\n]*$/.test(text);
}
function trimXmlWhitespace(text) {
    return text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}
//# sourceMappingURL=model-builder.js.map