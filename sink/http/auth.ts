// Who is calling: a gateway (its own token) or an operator (the operator token).
import type { IncomingMessage } from 'node:http';
import type { Store } from '../store/store.js';
import { hashToken, secretsEqual } from '../tokens.js';
import { HttpError } from './errors.js';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="dsp-sink"' };

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]{1,512})[ \t]*$/i.exec(header);
  return match?.[1];
}

function unauthorized(reason: string): HttpError {
  return new HttpError(401, 'unauthorized', reason, CHALLENGE);
}

/** The id of the gateway the token belongs to, or a 401. */
export async function authenticateGateway(store: Store, req: IncomingMessage): Promise<string> {
  const token = bearerToken(req);
  if (token === undefined) throw unauthorized('a gateway bearer token is required');
  const hash = hashToken(token);
  const found = await store.gatewayForTokenHash(hash);
  // The lookup is by hash (an attacker learns nothing about the token from its timing); compare anyway.
  if (!found || !secretsEqual(found.tokenHash, hash)) throw unauthorized('unknown or revoked gateway token');
  return found.id;
}

/** Passes only the operator token; `open` lets unauthenticated reads through (config openDataApi). */
export function authorizeOperator(req: IncomingMessage, operatorToken: string | undefined, open = false): void {
  if (open) return;
  const token = bearerToken(req);
  if (token === undefined) throw unauthorized('the operator bearer token is required');
  if (operatorToken === undefined || !secretsEqual(token, operatorToken)) throw unauthorized('wrong operator token');
}
