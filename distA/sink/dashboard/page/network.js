// The network: one row per gateway from the sink's overview (GET /api/network; the sink judges the status
// against each gateway's own upload interval), sortable, refreshed every few seconds while shown.
import { getJson } from './api.js';
import { age, button, h, replaceChildren } from './dom.js';
const REFRESH_MS = 2000;
const STATUS_ORDER = { silent: 0, late: 1, ok: 2 };
const fixed = (n, digits, unit = '') => n === null || n === undefined ? undefined : `${n.toFixed(digits)}${unit}`;
const COLUMNS = [
    { key: 'station', label: 'Station', value: (r) => r.station.name ?? r.id },
    { key: 'status', label: 'Status', value: (r) => r.status, sortBy: (r) => STATUS_ORDER[r.status] },
    {
        key: 'lastContact',
        label: 'Last contact',
        value: (r, now) => (r.lastContact === null ? 'never' : age(now - r.lastContact)),
        sortBy: (r) => r.lastContact ?? undefined,
    },
    { key: 'readings', label: 'Readings today', value: (r) => r.readingsToday },
    {
        key: 'completeness',
        label: 'Complete 24 h',
        value: (r) => fixed(r.completeness24h.ratio === null ? null : r.completeness24h.ratio * 100, 1, ' %'),
        sortBy: (r) => r.completeness24h.ratio ?? undefined,
    },
    { key: 'openGaps', label: 'Open gaps', value: (r) => r.openGaps },
    { key: 'queue', label: 'Agent queue', value: (r) => r.queueDepth ?? undefined },
    {
        key: 'clock',
        label: 'Clock offset',
        value: (r) => fixed(r.clockOffsetMs === null ? null : r.clockOffsetMs / 1000, 1, ' s'),
        sortBy: (r) => (r.clockOffsetMs === null ? undefined : Math.abs(r.clockOffsetMs)),
    },
    {
        key: 'battery',
        label: 'Battery',
        value: (r) => fixed(r.battery?.value, 2, ` ${r.battery?.unit ?? 'V'}`),
        sortBy: (r) => r.battery?.value ?? undefined,
    },
];
export class NetworkView {
    open;
    element = h('section', { 'aria-labelledby': 'network-title' });
    body = h('tbody');
    head = h('tr');
    note = h('p', { class: 'note', role: 'status' });
    rows = [];
    sort = { key: 'station', ascending: true };
    timer;
    clockSkew = 0;
    constructor(open) {
        this.open = open;
        this.element.append(h('h2', { id: 'network-title' }, 'Network'), h('div', { class: 'table-wrap' }, h('table', { class: 'network' }, h('thead', {}, this.head), this.body)), this.note);
        this.drawHead();
    }
    start() {
        void this.refresh();
        this.timer = window.setInterval(() => void this.refresh(), REFRESH_MS);
    }
    stop() {
        window.clearInterval(this.timer);
    }
    async refresh() {
        try {
            const overview = await getJson('/api/network');
            // Ages are counted on the sink's clock (the browser's may be off).
            this.clockSkew = overview.now - Date.now();
            this.rows = overview.gateways;
            this.note.textContent = this.rows.length === 0 ? 'No gateway is registered yet (dsp-sink gateway add ID).' : '';
            this.drawBody();
        }
        catch (error) {
            this.note.textContent = `Could not load the network: ${error.message}`;
        }
    }
    drawHead() {
        replaceChildren(this.head, ...COLUMNS.map((c) => {
            const active = this.sort.key === c.key;
            const th = h('th', {
                scope: 'col',
                'aria-sort': active ? (this.sort.ascending ? 'ascending' : 'descending') : 'none',
            });
            th.append(button(`${c.label}${active ? (this.sort.ascending ? ' ▲' : ' ▼') : ''}`, () => {
                this.sort = { key: c.key, ascending: active ? !this.sort.ascending : true };
                this.drawHead();
                this.drawBody();
            }, { class: 'sort', 'data-sort': c.key }));
            return th;
        }));
    }
    drawBody() {
        const now = Date.now() + this.clockSkew;
        const column = COLUMNS.find((c) => c.key === this.sort.key) ?? COLUMNS[0];
        const key = (r) => (column.sortBy ?? ((x) => column.value(x, now)))(r);
        const sorted = [...this.rows].sort((a, b) => {
            const x = key(a);
            const y = key(b);
            if (x === y)
                return a.id.localeCompare(b.id);
            if (x === undefined)
                return 1; // unknown values last, whatever the direction
            if (y === undefined)
                return -1;
            const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
            return this.sort.ascending ? order : -order;
        });
        replaceChildren(this.body, ...sorted.map((r) => {
            const tr = h('tr', { 'data-testid': 'gateway-row', 'data-gateway': r.id, 'data-status': r.status });
            for (const c of COLUMNS) {
                const text = c.value(r, now);
                const td = h('td', { 'data-label': c.label, 'data-column': c.key });
                if (c.key === 'station') {
                    const link = h('a', { href: `#/station/${encodeURIComponent(r.id)}` }, String(text));
                    link.addEventListener('click', (e) => {
                        e.preventDefault();
                        this.open(r.id);
                    });
                    td.append(link);
                    if (r.station.name)
                        td.append(h('span', { class: 'id' }, r.id));
                }
                else if (c.key === 'status') {
                    td.append(h('span', { class: `status status-${r.status}` }, r.status));
                }
                else
                    td.append(text === undefined ? '—' : String(text));
                tr.append(td);
            }
            return tr;
        }));
    }
}
