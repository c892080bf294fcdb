// How the agent checks the sink's certificate and shows its own: a CA file (default: the system CAs), a pin
// of the sink's public key (SPKI sha256, base64, as HPKP and curl's --pinnedpubkey), a client certificate.
// And the words for what went wrong, for /status, `dsp-agent status` and the log.
import { createHash, X509Certificate } from 'node:crypto';
import { checkServerIdentity } from 'node:tls';
/** base64(sha256(SPKI DER)) of a PEM certificate or a public key: what `pinned_pubkey` holds. */
export function spkiSha256(source) {
    const key = typeof source === 'string' || Buffer.isBuffer(source) ? new X509Certificate(source).publicKey : source;
    return createHash('sha256')
        .update(key.export({ type: 'spki', format: 'der' }))
        .digest('base64');
}
export const PIN_MISMATCH = 'ERR_DSP_PIN_MISMATCH';
/** node:tls connect options: the usual host check, then the pin. */
export function tlsConnectOptions(tls) {
    if (tls === undefined)
        return {};
    const pins = tls.pinnedPubkeys;
    return {
        ...(tls.ca === undefined ? {} : { ca: tls.ca }),
        ...(tls.cert === undefined ? {} : { cert: tls.cert, key: tls.key }),
        ...(pins === undefined || pins.length === 0
            ? {}
            : {
                checkServerIdentity: (host, cert) => {
                    const hostError = checkServerIdentity(host, cert);
                    if (hostError)
                        return hostError;
                    // cert.pubkey is the bare key for EC: the pin is over the whole SPKI, taken from the DER.
                    const spki = spkiSha256(cert.raw);
                    if (pins.includes(spki))
                        return undefined;
                    return Object.assign(new Error(`sink public key ${spki} matches no pinned_pubkey`), { code: PIN_MISMATCH });
                },
            }),
    };
}
const NOT_TRUSTED = new Set([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'CERT_SIGNATURE_FAILURE',
    'CERT_UNTRUSTED',
    'CERT_REJECTED',
]);
/** A sentence for a TLS failure of the connection to the sink, or undefined when it was not one. */
export function describeTlsFailure(code) {
    if (code === undefined)
        return undefined;
    if (NOT_TRUSTED.has(code))
        return `sink certificate not trusted (${code})`;
    if (code === 'CERT_HAS_EXPIRED')
        return `sink certificate expired (${code})`;
    if (code === 'CERT_NOT_YET_VALID')
        return `sink certificate not yet valid (${code})`;
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
        return `sink certificate is for another host name (${code})`;
    if (code === PIN_MISMATCH)
        return `sink public key does not match pinned_pubkey (${code})`;
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
        return `TLS handshake with the sink failed (${code})`;
    return undefined;
}
//# sourceMappingURL=sink-tls.js.map