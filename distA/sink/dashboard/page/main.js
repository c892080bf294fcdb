// The dashboard page: sign in, then the network, the map or one station, chosen by the URL's fragment
// (#/, #/map, #/station/ID) so the browser's back button and links work. No token ever goes in a URL.
import { ApiError, gatewayPath, getJson, session } from './api.js';
import { button, h, replaceChildren } from './dom.js';
import { MapView } from './map.js';
import { NetworkView } from './network.js';
import { StationView } from './station.js';
const main = document.getElementById('main');
const nav = document.getElementById('nav');
let current;
/** The operator token was accepted (commands allowed); false: reading an open data API without one. */
let operator = false;
/** Which way in: the stored token works, the data API is open, or the person must sign in. */
async function access() {
    const token = session.token();
    try {
        if (token === undefined) {
            await getJson('/api/gateways', token);
            return 'open';
        }
        await checkToken(token);
        return 'operator';
    }
    catch (error) {
        if (error instanceof ApiError && error.status === 401)
            return 'refused';
        throw error;
    }
}
/**
 * Throws a 401 ApiError when the sink refuses the token. With openDataApi any token passes a read, so the
 * token is also tried on an operator route (a gateway's command list) when there is a gateway to ask about.
 */
async function checkToken(token) {
    const { gateways } = await getJson('/api/gateways', token);
    const first = gateways[0];
    if (first)
        await getJson(gatewayPath(first.id, 'commands'), token);
}
function signInForm(message = '') {
    const input = h('input', { id: 'token', type: 'password', autocomplete: 'current-password', required: '' });
    const note = h('p', { class: 'error', role: 'alert', id: 'sign-in-message' }, message);
    const form = h('form', { 'data-testid': 'sign-in', class: 'sign-in', 'aria-describedby': 'sign-in-message' }, h('h2', {}, 'Sign in'), h('label', { for: 'token' }, 'Operator token'), input, h('button', { type: 'submit' }, 'Sign in'), note);
    form.addEventListener('submit', (e) => {
        e.preventDefault();
        void (async () => {
            const token = input.value.trim();
            try {
                await checkToken(token);
            }
            catch (error) {
                note.textContent =
                    error instanceof ApiError && error.status === 401
                        ? 'That token was refused. Check the operator token (DSP_OPERATOR_TOKEN of the sink).'
                        : `The sink did not answer: ${error.message}`;
                input.focus();
                return;
            }
            session.signIn(token);
            await route();
        })();
    });
    queueMicrotask(() => input.focus());
    return form;
}
function drawNav() {
    const links = [h('a', { href: '#/' }, 'Network'), h('a', { href: '#/map' }, 'Map')];
    const account = operator
        ? button('Sign out', () => {
            session.signOut();
            operator = false;
            void route();
        })
        : button('Sign in', () => show(undefined, signInForm()));
    replaceChildren(nav, ...links, account);
}
function show(view, element) {
    current?.stop();
    current = view;
    replaceChildren(main, view?.element ?? element ?? null);
    if (view)
        void Promise.resolve(view.start()).catch((error) => {
            main.append(h('p', { class: 'error', role: 'alert' }, `Could not load: ${error.message}`));
        });
}
async function route() {
    let way;
    try {
        way = await access();
    }
    catch (error) {
        show(undefined, h('p', { class: 'error', role: 'alert' }, `The sink did not answer: ${error.message}`));
        return;
    }
    if (way === 'refused') {
        const hadToken = session.token() !== undefined;
        session.signOut();
        operator = false;
        drawNav();
        show(undefined, signInForm(hadToken ? 'The stored token is no longer accepted; sign in again.' : ''));
        return;
    }
    operator = way === 'operator';
    drawNav();
    const hash = location.hash;
    const station = /^#\/station\/(.+)$/.exec(hash);
    if (station)
        show(new StationView(decodeURIComponent(station[1]), operator));
    else if (hash === '#/map')
        show(new MapView());
    else
        show(new NetworkView((id) => (location.hash = `#/station/${encodeURIComponent(id)}`)));
    document.getElementById('main')?.focus();
}
window.addEventListener('hashchange', () => void route());
// For tests and the benchmark: what the station's plots hold (read-only, no token).
window.dashboard = {
    plotPoints: () => (current instanceof StationView ? current.plotPoints() : {}),
};
void route();
