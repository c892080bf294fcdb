// Operator commands: what POST /api/gateways/:id/commands accepts, and the message piggybacked to the gateway.
import { randomUUID } from 'node:crypto';
import { COMPONENT_TYPES, CONTENT_TYPES, type DspMessage } from '../protocol/model.js';
import type { CommandKind, NewCommand, StoredCommand } from './store/store.js';

const MAX_PROPERTIES = 64;
const MAX_NAME = 128;
const MAX_VALUE = 1024;
const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export class CommandRequestError extends Error {
  override readonly name = 'CommandRequestError';
}

/**
 * Accepts
 *   {"kind": "update", "properties": {"SAMPLING_INTERVAL": 2}, "consumer"?: "...", "ttlS"?: 3600}
 *   {"kind": "query", "properties": ["SAMPLING_INTERVAL"]}   (no properties: ask for all)
 */
export function parseCommandRequest(
  body: unknown,
  gateway: string,
  now: number,
  defaults: { ttlS: number },
): NewCommand {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new CommandRequestError('expected a JSON object');
  const { kind, properties, consumer, ttlS } = body as Record<string, unknown>;
  if (kind !== 'update' && kind !== 'query') throw new CommandRequestError('kind must be "update" or "query"');
  const ttl = ttlS ?? defaults.ttlS;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0)
    throw new CommandRequestError('ttlS must be a positive number');
  if (consumer !== undefined && (typeof consumer !== 'string' || consumer.length === 0 || consumer.length > MAX_NAME)) {
    throw new CommandRequestError('consumer must be a component type string');
  }
  return {
    id: randomUUID(),
    gateway,
    kind,
    consumer: consumer ?? COMPONENT_TYPES.sonde,
    properties: kind === 'update' ? updateProperties(properties) : queryProperties(properties),
    createdAt: now,
    expiresAt: now + Math.round(ttl * 1000),
  };
}

function updateProperties(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CommandRequestError('an update needs properties: {"NAME": value, ...}');
  }
  const entries = Object.entries(value);
  if (entries.length === 0) throw new CommandRequestError('an update needs at least one property');
  checkCount(entries.length);
  return Object.fromEntries(
    entries.map(([name, v]) => {
      checkName(name);
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw new CommandRequestError(`property ${name}: value must be a string, number or boolean`);
      }
      const text = String(v);
      if (text.length > MAX_VALUE) throw new CommandRequestError(`property ${name}: value too long`);
      return [name, text];
    }),
  );
}

function queryProperties(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!Array.isArray(value)) throw new CommandRequestError('a query takes properties: ["NAME", ...]');
  checkCount(value.length);
  return Object.fromEntries(
    value.map((name: unknown) => {
      if (typeof name !== 'string') throw new CommandRequestError('property names must be strings');
      checkName(name);
      return [name, ''];
    }),
  );
}

function checkCount(n: number): void {
  if (n > MAX_PROPERTIES) throw new CommandRequestError(`at most ${MAX_PROPERTIES} properties`);
}

function checkName(name: string): void {
  if (name.length > MAX_NAME || !PROPERTY_NAME.test(name)) throw new CommandRequestError(`invalid property name`);
}

const KIND_ELEMENT: Record<CommandKind, DspMessage['kind']> = { update: 'UpdateMessage', query: 'QueryMessage' };

/** The Update or Query message piggybacked on a response; its messageId is the command id. */
export function commandMessage(command: StoredCommand): DspMessage {
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
        command.kind === 'update' ? { name, value } : { name },
      ),
    },
  };
}
