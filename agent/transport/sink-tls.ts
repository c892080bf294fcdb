// How the agent checks the sink's certificate and shows its own: a CA file (default: the system CAs), a pin
// of the sink's public key (SPKI sha256, base64, as HPKP and curl's --pinnedpubkey), a client certificate.
// Loaded with node:https for the first https:// upload only (http-client.ts): node:crypto and node:tls cost a
// small board about 2 MiB resident (docs/benchmarks.md). The words for what went wrong: tls-failure.ts.

import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { PIN_MISMATCH } from './tls-failure.js';

/** Read from the destination's files at config load (agent/config/schema.ts). */
export interface SinkTlsOptions {
  /** PEM CA certificates that replace the system CAs for this sink. */
  ca?: string;
  /** base64 sha256 of the sink certificate's SubjectPublicKeyInfo (DER); any of them matches. */
  pinnedPubkeys?: string[];
  /** PEM client certificate (chain) and key for mutual TLS. */
  cert?: string;
  key?: string;
}

/** base64(sha256(SPKI DER)) of a PEM certificate or a public key: what `pinned_pubkey` holds. */
export function spkiSha256(source: string | Buffer | KeyObject): string {
  const key = typeof source === 'string' || Buffer.isBuffer(source) ? new X509Certificate(source).publicKey : source;
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('base64');
}

/** node:tls connect options: the usual host check, then the pin. */
export function tlsConnectOptions(tls: SinkTlsOptions | undefined): Record<string, unknown> {
  if (tls === undefined) return {};
  const pins = tls.pinnedPubkeys;
  return {
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert, key: tls.key }),
    ...(pins === undefined || pins.length === 0
      ? {}
      : {
          checkServerIdentity: (host: string, cert: PeerCertificate): Error | undefined => {
            const hostError = checkServerIdentity(host, cert);
            if (hostError) return hostError;
            // cert.pubkey is the bare key for EC: the pin is over the whole SPKI, taken from the DER.
            const spki = spkiSha256(cert.raw);
            if (pins.includes(spki)) return undefined;
            return Object.assign(new Error(`sink public key ${spki} matches no pinned_pubkey`), { code: PIN_MISMATCH });
          },
        }),
  };
}
