// The headers every dashboard answer carries: a strict Content-Security-Policy (no inline script or style,
// nothing from another origin except map tiles), no MIME sniffing, no framing.
import { tileOrigin } from './settings.js';
export function contentSecurityPolicy(settings) {
    const tiles = tileOrigin(settings);
    return [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        `img-src 'self' blob: data:${tiles === undefined ? '' : ` ${tiles}`}`,
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ].join('; ');
}
export function securityHeaders(settings) {
    return {
        'Content-Security-Policy': contentSecurityPolicy(settings),
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'DENY',
        'Referrer-Policy': 'no-referrer',
    };
}
//# sourceMappingURL=headers.js.map