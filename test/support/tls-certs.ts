// Real X.509 certificates made by the tests (selfsigned: pure JS, offline): a CA, server and client
// certificates it signs, written as PEM files with the modes a real deployment uses.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface CertPair {
  cert: string;
  key: string;
}

const DAY_MS = 24 * 3600 * 1000;

export async function makeCa(name = 'dsp test CA'): Promise<CertPair> {
  const made = await generate([{ name: 'commonName', value: name }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: made.cert, key: made.private };
}

export interface LeafOptions {
  /** Subject CN (a gateway id for client certificates). */
  cn: string;
  /** DNS names and IPs the certificate is for (server certificates). */
  hosts?: string[];
  client?: boolean;
  notBefore?: Date;
  notAfter?: Date;
}

/** A certificate signed by `ca`. */
export async function makeLeaf(ca: CertPair, options: LeafOptions): Promise<CertPair> {
  const notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS);
  const hosts = options.hosts ?? [];
  const made = await generate([{ name: 'commonName', value: options.cn }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: options.notAfter ?? new Date(notBefore.getTime() + 30 * DAY_MS),
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: !options.client, clientAuth: options.client === true },
      ...(hosts.length === 0
        ? []
        : [
            {
              name: 'subjectAltName' as const,
              altNames: hosts.map((h) =>
                /^[\d.:]+$/.test(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h },
              ),
            },
          ]),
    ],
  });
  return { cert: made.cert, key: made.private };
}

/** Writes NAME.pem and NAME.key (0600) into dir; returns their paths. */
export function writePair(dir: string, name: string, pair: CertPair): { certFile: string; keyFile: string } {
  const certFile = path.join(dir, `${name}.pem`);
  const keyFile = path.join(dir, `${name}.key`);
  writeFileSync(certFile, pair.cert);
  writeFileSync(keyFile, pair.key, { mode: 0o600 });
  return { certFile, keyFile };
}
