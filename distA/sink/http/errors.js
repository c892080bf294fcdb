export class HttpError extends Error {
    status;
    code;
    reason;
    headers;
    name = 'HttpError';
    constructor(status, 
    /** Short snake_case code, also the `reason` label of the rejected-requests metric. */
    code, 
    /** One line for the client; never input text echoed back, never a stack. */
    reason, headers = {}) {
        super(`${status} ${code}: ${reason}`);
        this.status = status;
        this.code = code;
        this.reason = reason;
        this.headers = headers;
    }
}
export function sendJson(res, status, body, headers = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
        'Cache-Control': 'no-store',
        ...headers,
    });
    res.end(text);
}
export function sendError(res, error) {
    if (res.headersSent) {
        res.destroy();
        return;
    }
    sendJson(res, error.status, { error: error.code, reason: error.reason }, error.headers);
}
//# sourceMappingURL=errors.js.map