// Bearer tokens: random, shown once, stored only as a hash, compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
/** 32 random bytes, base64url: 256 bits, safe in a header and a shell. */
export function generateToken() {
    return randomBytes(32).toString('base64url');
}
/** sha256 hex. A plain hash suffices: tokens are random, not passwords, so there is nothing to brute-force. */
export function hashToken(token) {
    return createHash('sha256').update(token, 'utf8').digest('hex');
}
/** Constant-time equality of two secrets (hashing first makes the lengths equal). */
export function secretsEqual(a, b) {
    return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
//# sourceMappingURL=tokens.js.map