// Operator commands: what POST /api/gateways/:id/commands accepts, and the message piggybacked to the gateway.
import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { COMPONENT_TYPES, CONTENT_TYPES } from '../protocol/model.js';
import { textMatching } from './field-schemas.js';
const MAX_PROPERTIES = 64;
const MAX_VALUE = 1024;
const MAX_TTL_S = 366 * 24 * 3600;
const PropertyName = textMatching(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 128, 'a property name (letter or "_", then letters, digits, "_", ".", "-"; at most 128)');
const PropertyValue = v.union([v.pipe(v.string(), v.maxLength(MAX_VALUE)), v.pipe(v.number(), v.finite()), v.boolean()], `a string (at most ${MAX_VALUE} characters), a number or a boolean`);
const Common = {
    consumer: v.optional(textMatching(/^[\x21-\x7e]+$/, 128, 'a component type (1-128 printable ASCII characters)')),
    ttlS: v.optional(v.pipe(v.number(`seconds, more than 0 and at most ${MAX_TTL_S}`), v.gtValue(0, `seconds, more than 0 and at most ${MAX_TTL_S}`), v.maxValue(MAX_TTL_S, `seconds, more than 0 and at most ${MAX_TTL_S}`))),
};
/**
 * The body of POST /api/gateways/:id/commands:
 *   {"kind": "update", "properties": {"SAMPLING_INTERVAL": 2}, "consumer"?: "...", "ttlS"?: 3600}
 *   {"kind": "query", "properties": ["SAMPLING_INTERVAL"]}   (no properties: ask for all)
 */
export const CommandRequestSchema = v.variant('kind', [
    v.strictObject({
        kind: v.literal('update'),
        properties: v.pipe(v.record(PropertyName, PropertyValue, 'an object {"NAME": value, ...}'), v.minEntries(1, `1-${MAX_PROPERTIES} properties`), v.maxEntries(MAX_PROPERTIES, `1-${MAX_PROPERTIES} properties`)),
        ...Common,
    }),
    v.strictObject({
        kind: v.literal('query'),
        properties: v.optional(v.pipe(v.array(PropertyName, 'an array of property names'), v.maxLength(MAX_PROPERTIES, `at most ${MAX_PROPERTIES} names`))),
        ...Common,
    }),
], '"update" or "query"');
/** A checked request made into a command; `defaults.ttlS` applies when the request has no ttlS. */
export function newCommand(request, gateway, now, defaults) {
    const properties = request.kind === 'update'
        ? Object.fromEntries(Object.entries(request.properties).map(([name, value]) => [name, String(value)]))
        : Object.fromEntries((request.properties ?? []).map((name) => [name, '']));
    return {
        id: randomUUID(),
        gateway,
        kind: request.kind,
        consumer: request.consumer ?? COMPONENT_TYPES.sonde,
        properties,
        createdAt: now,
        expiresAt: now + Math.round((request.ttlS ?? defaults.ttlS) * 1000),
    };
}
const KIND_ELEMENT = { update: 'UpdateMessage', query: 'QueryMessage' };
/** The Update or Query message piggybacked on a response; its messageId is the command id. */
export function commandMessage(command) {
    return {
        kind: KIND_ELEMENT[command.kind],
        messageId: command.id,
        contentType: CONTENT_TYPES.properties,
        header: {
            creationTime: command.createdAt,
            producer: { componentType: COMPONENT_TYPES.management, locator: { componentNodeId: 'DSPManager' } },
            consumer: { componentType: command.consumer },
        },
        body: {
            type: 'DSProperties',
            properties: Object.entries(command.properties).map(([name, value]) => 
            // A query names what it asks for; its Property elements carry no Value.
            command.kind === 'update' ? { name, value } : { name }),
        },
    };
}
//# sourceMappingURL=commands.js.map