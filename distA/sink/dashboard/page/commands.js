// Commands to a station: an Update or a Query of a known property, checked as the agent checks it, then
// followed live (the history refreshes while any command is still under way).
import { ApiError, getJson, gatewayPath, sendJson } from './api.js';
import { h, isoMinute, replaceChildren } from './dom.js';
import { KNOWN_PROPERTIES, updateProblem } from './properties.js';
const FOLLOW_MS = 1000;
const IDLE_MS = 10_000;
const FINAL = new Set(['succeeded', 'failed', 'expired']);
export class CommandsPanel {
    gateway;
    canCommand;
    element = h('section', { class: 'commands', 'aria-labelledby': 'commands-title' });
    kind = h('select', { id: 'command-kind', name: 'kind' });
    property = h('select', { id: 'command-property', name: 'property' });
    value = h('input', { id: 'command-value', name: 'value', autocomplete: 'off' });
    message = h('p', { class: 'note', role: 'status', 'aria-live': 'polite', id: 'command-message' });
    history = h('tbody');
    timer;
    constructor(gateway, canCommand) {
        this.gateway = gateway;
        this.canCommand = canCommand;
        this.element.append(h('h3', { id: 'commands-title' }, 'Commands'));
        if (!canCommand) {
            this.element.append(h('p', { class: 'note' }, 'Sign in with the operator token to send and see commands.'));
            return;
        }
        this.kind.append(h('option', { value: 'update' }, 'Update'), h('option', { value: 'query' }, 'Query'));
        this.kind.addEventListener('change', () => this.fillProperties());
        this.fillProperties();
        const form = h('form', { 'data-testid': 'command-form', class: 'command-form', novalidate: '' }, h('label', { for: 'command-kind' }, 'Command'), this.kind, h('label', { for: 'command-property' }, 'Property'), this.property, h('label', { for: 'command-value' }, 'Value'), this.value, h('button', { type: 'submit' }, 'Queue command'));
        form.addEventListener('submit', (e) => {
            e.preventDefault();
            void this.submit();
        });
        this.element.append(form, this.message, h('h4', {}, 'History'), h('div', { class: 'table-wrap' }, h('table', { class: 'command-history' }, h('thead', {}, h('tr', {}, ...['Queued (UTC)', 'Command', 'State', 'Result'].map((t) => h('th', { scope: 'col' }, t)))), this.history)));
    }
    start() {
        if (this.canCommand)
            void this.refresh();
    }
    stop() {
        window.clearTimeout(this.timer);
    }
    fillProperties() {
        const update = this.kind.value === 'update';
        const choices = KNOWN_PROPERTIES.filter((p) => !update || p.validate);
        replaceChildren(this.property, ...(update ? [] : [h('option', { value: '' }, 'all properties')]), ...choices.map((p) => h('option', { value: p.name }, `${p.name}${p.unit ? ` (${p.unit})` : ''}: ${p.help}`)));
        this.value.disabled = !update;
    }
    async submit() {
        const name = this.property.value;
        let body;
        if (this.kind.value === 'update') {
            const value = this.value.value.trim();
            const problem = updateProblem(name, value);
            if (problem) {
                this.message.textContent = `Not sent: ${problem}.`;
                this.value.setAttribute('aria-invalid', 'true');
                this.value.focus();
                return;
            }
            this.value.removeAttribute('aria-invalid');
            // Numbers travel as numbers, the rest (LOG_LEVEL) as text; the agent reads both as text.
            const n = Number(value);
            body = { kind: 'update', properties: { [name]: Number.isFinite(n) && value !== '' ? n : value } };
        }
        else
            body = { kind: 'query', properties: name === '' ? [] : [name] };
        try {
            const command = await sendJson('POST', gatewayPath(this.gateway, 'commands'), body);
            this.message.textContent = `Queued ${describe(command)}; following it below.`;
            await this.refresh();
        }
        catch (error) {
            this.message.textContent = `Refused by the sink: ${error instanceof ApiError ? error.message : 'no answer'}.`;
        }
    }
    async refresh() {
        window.clearTimeout(this.timer);
        let busy = false;
        try {
            const { commands } = await getJson(gatewayPath(this.gateway, 'commands'));
            busy = commands.some((c) => !FINAL.has(c.state));
            const newest = [...commands].sort((a, b) => b.createdAt - a.createdAt);
            replaceChildren(this.history, ...newest.map((c) => h('tr', { 'data-testid': 'command-row', 'data-command': c.id, 'data-state': c.state }, h('td', {}, isoMinute(c.createdAt)), h('td', {}, describe(c)), h('td', {}, h('span', { class: `state state-${c.state}` }, c.state)), h('td', {}, resultText(c)))));
        }
        catch (error) {
            this.message.textContent = `Could not load the commands: ${error.message}`;
        }
        this.timer = window.setTimeout(() => void this.refresh(), busy ? FOLLOW_MS : IDLE_MS);
    }
}
function describe(c) {
    if (c.kind === 'query') {
        const names = Array.isArray(c.properties) ? c.properties : Object.keys(c.properties);
        return `Query ${names.length === 0 ? 'all' : names.join(', ')}`;
    }
    return `Update ${Object.entries(c.properties)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ')}`;
}
function resultText(c) {
    if (!c.result)
        return '';
    return Object.entries(c.result)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
}
