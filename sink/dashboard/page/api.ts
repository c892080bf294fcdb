// The sink's API from the page: the operator token (kept for this browser session only) travels in the
// Authorization header, never in a URL.
const TOKEN_KEY = 'dsp-operator-token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    reason: string,
  ) {
    super(reason);
  }
}

export const session = {
  token: (): string | undefined => sessionStorage.getItem(TOKEN_KEY) ?? undefined,
  signIn: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

export function authHeaders(token = session.token()): Record<string, string> {
  return token === undefined ? {} : { Authorization: `Bearer ${token}` };
}

async function request(method: string, path: string, body?: unknown, token?: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders(token ?? session.token()) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!res.ok) {
    let code = 'http_error';
    let reason = `HTTP ${res.status}`;
    try {
      const problem = (await res.json()) as { error?: string; reason?: string };
      code = problem.error ?? code;
      reason = problem.reason ?? reason;
    } catch {
      // not JSON: the status says enough
    }
    throw new ApiError(res.status, code, reason);
  }
  return res;
}

export async function getJson<T>(path: string, token?: string): Promise<T> {
  return (await (await request('GET', path, undefined, token)).json()) as T;
}

export async function sendJson<T>(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<T> {
  return (await (await request(method, path, body)).json()) as T;
}

export const gatewayPath = (id: string, leaf: string): string => `/api/gateways/${encodeURIComponent(id)}/${leaf}`;
