// Errors a route throws to answer a client: a status, a short machine code and a reason safe to show.
import type { ServerResponse } from 'node:http';

export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    /** Short snake_case code, also the `reason` label of the rejected-requests metric. */
    readonly code: string,
    /** One line for the client; never input text echoed back, never a stack. */
    readonly reason: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${code}: ${reason}`);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, { error: error.code, reason: error.reason }, error.headers);
}
