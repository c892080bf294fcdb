import { hashToken, secretsEqual } from '../tokens.js';
import { isGatewayId } from '../field-schemas.js';
import { HttpError } from './errors.js';
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="dsp-sink"' };
export function bearerToken(req) {
    const header = req.headers.authorization;
    if (!header)
        return undefined;
    const match = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]{1,512})[ \t]*$/i.exec(header);
    return match?.[1];
}
function unauthorized(reason) {
    return new HttpError(401, 'unauthorized', reason, CHALLENGE);
}
/**
 * A gateway's client certificate, verified against the sink's tls.clientCaFile: its subject CN is the gateway
 * id (the operator's CA issues one per gateway; no fingerprint registry to keep in step). The gateway must be
 * registered with `gateway add` and not revoked, as with a token.
 */
async function gatewayByCertificate(store, req) {
    const socket = req.socket;
    if (socket.authorized !== true || socket.getPeerCertificate === undefined)
        return undefined;
    const cn = socket.getPeerCertificate().subject?.CN;
    if (typeof cn !== 'string' || !isGatewayId(cn))
        throw unauthorized('the client certificate names no gateway id');
    const gateway = await store.getGateway(cn);
    if (!gateway || !gateway.hasToken || gateway.revokedAt !== undefined) {
        throw unauthorized('unknown or revoked gateway certificate');
    }
    return gateway.id;
}
/** The id of the gateway the token (or else the verified client certificate) belongs to, or a 401. */
export async function authenticateGateway(store, req) {
    const token = bearerToken(req);
    if (token === undefined) {
        const byCertificate = await gatewayByCertificate(store, req);
        if (byCertificate !== undefined)
            return byCertificate;
        throw unauthorized('a gateway bearer token (or client certificate) is required');
    }
    const hash = hashToken(token);
    const found = await store.gatewayForTokenHash(hash);
    // The lookup is by hash (an attacker learns nothing about the token from its timing); compare anyway.
    if (!found || !secretsEqual(found.tokenHash, hash))
        throw unauthorized('unknown or revoked gateway token');
    return found.id;
}
/** Passes only the operator token; `open` lets unauthenticated reads through (config openDataApi). */
export function authorizeOperator(req, operatorToken, open = false) {
    if (open)
        return;
    const token = bearerToken(req);
    if (token === undefined)
        throw unauthorized('the operator bearer token is required');
    if (operatorToken === undefined || !secretsEqual(token, operatorToken))
        throw unauthorized('wrong operator token');
}
//# sourceMappingURL=auth.js.map