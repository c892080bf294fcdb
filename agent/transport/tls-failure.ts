// The words for a failed TLS connection to the sink, for /status, `dsp-agent status` and the log. Apart from
// sink-tls.ts so that an agent with an http:// sink never loads node:tls and node:crypto.

/** The error code of a sink certificate whose public key matches no pinned_pubkey (sink-tls.ts). */
export const PIN_MISMATCH = 'ERR_DSP_PIN_MISMATCH';

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
export function describeTlsFailure(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  if (NOT_TRUSTED.has(code)) return `sink certificate not trusted (${code})`;
  if (code === 'CERT_HAS_EXPIRED') return `sink certificate expired (${code})`;
  if (code === 'CERT_NOT_YET_VALID') return `sink certificate not yet valid (${code})`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `sink certificate is for another host name (${code})`;
  if (code === PIN_MISMATCH) return `sink public key does not match pinned_pubkey (${code})`;
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return `TLS handshake with the sink failed (${code})`;
  return undefined;
}
