// The sink's own HTTPS: the certificate and key files, read at start and again on SIGHUP. Every problem an
// operator can cause (missing file, not PEM, key of another certificate, a key others can read) is named.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import * as v from 'valibot';
const FILE_TEXT = 'a file path of at most 4096 characters';
const FilePathSchema = v.pipe(v.string(FILE_TEXT), v.minLength(1, FILE_TEXT), v.maxLength(4096, FILE_TEXT));
export const SinkTlsSchema = v.strictObject({
    /** PEM: the server certificate, then its intermediates (the chain the clients need). */
    certFile: FilePathSchema,
    /** PEM private key of the first certificate; readable by its owner only. */
    keyFile: FilePathSchema,
    /**
     * PEM CA(s) of gateway client certificates: with it a gateway may authenticate by a certificate whose
     * subject CN is its gateway id, instead of the bearer token (sink/http/auth.ts).
     */
    clientCaFile: v.optional(FilePathSchema),
});
/** node:tls options for the material: a client certificate is asked for, not required (tokens still work). */
export function secureContextOptions(tls) {
    const client = tls.clientCa === undefined ? {} : { ca: tls.clientCa, requestCert: true, rejectUnauthorized: false };
    return { cert: tls.cert, key: tls.key, ...client };
}
export class TlsFileError extends Error {
    name = 'TlsFileError';
}
function readText(what, file) {
    try {
        return readFileSync(file, 'utf8');
    }
    catch (error) {
        const code = error.code ?? 'unreadable';
        throw new TlsFileError(`${what} ${file} cannot be read (${code})`);
    }
}
/**
 * A private key that the group or others may read is a key that may already be copied: refused, as ssh
 * refuses such a key. (Windows has no such mode bits: nothing to check there.)
 */
function checkKeyMode(file) {
    if (process.platform === 'win32')
        return;
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) === 0)
        return;
    const who = [(mode & 0o070) !== 0 ? 'its group' : '', (mode & 0o007) !== 0 ? 'other users' : '']
        .filter(Boolean)
        .join(' and ');
    throw new TlsFileError(`tls.keyFile ${file} is readable by ${who} (mode ${mode.toString(8).padStart(4, '0')}): a private key must be ` +
        'readable by its owner only (chmod 600), or anyone with a shell on this host can impersonate the sink');
}
/** Reads and checks the files; throws TlsFileError naming the file and the problem. */
export function loadTlsMaterial(config) {
    const cert = readText('tls.certFile', config.certFile);
    const key = readText('tls.keyFile', config.keyFile);
    checkKeyMode(config.keyFile);
    let x509;
    try {
        x509 = new X509Certificate(cert);
    }
    catch {
        throw new TlsFileError(`tls.certFile ${config.certFile} holds no PEM certificate`);
    }
    let privateKey;
    try {
        privateKey = createPrivateKey(key);
    }
    catch {
        throw new TlsFileError(`tls.keyFile ${config.keyFile} holds no PEM private key (or one with a passphrase)`);
    }
    if (!x509.checkPrivateKey(privateKey)) {
        throw new TlsFileError(`tls.keyFile ${config.keyFile} is not the key of the certificate in ${config.certFile}`);
    }
    let clientCa;
    if (config.clientCaFile !== undefined) {
        clientCa = readText('tls.clientCaFile', config.clientCaFile);
        try {
            new X509Certificate(clientCa);
        }
        catch {
            throw new TlsFileError(`tls.clientCaFile ${config.clientCaFile} holds no PEM certificate`);
        }
    }
    return { cert, key, clientCa, subject: x509.subject.replace(/\n/g, ', '), validTo: x509.validTo };
}
//# sourceMappingURL=tls.js.map