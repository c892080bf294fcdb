// The sink's API from the page: the operator token (kept for this browser session only) travels in the
// Authorization header, never in a URL.
const TOKEN_KEY = 'dsp-operator-token';
export class ApiError extends Error {
    status;
    code;
    constructor(status, code, reason) {
        super(reason);
        this.status = status;
        this.code = code;
    }
}
export const session = {
    token: () => sessionStorage.getItem(TOKEN_KEY) ?? undefined,
    signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token),
    signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};
export function authHeaders(token = session.token()) {
    return token === undefined ? {} : { Authorization: `Bearer ${token}` };
}
async function request(method, path, body, token) {
    const headers = { Accept: 'application/json', ...authHeaders(token ?? session.token()) };
    if (body !== undefined)
        headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (!res.ok) {
        let code = 'http_error';
        let reason = `HTTP ${res.status}`;
        try {
            const problem = (await res.json());
            code = problem.error ?? code;
            reason = problem.reason ?? reason;
        }
        catch {
            // not JSON: the status says enough
        }
        throw new ApiError(res.status, code, reason);
    }
    return res;
}
export async function getJson(path, token) {
    return (await (await request('GET', path, undefined, token)).json());
}
export async function sendJson(method, path, body) {
    return (await (await request(method, path, body)).json());
}
export const gatewayPath = (id, leaf) => `/api/gateways/${encodeURIComponent(id)}/${leaf}`;
