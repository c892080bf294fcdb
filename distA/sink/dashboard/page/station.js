// A station: latest values, one plot per parameter over a chosen range (live while the range ends now),
// completeness per day, the gap list, a CSV of what is shown, and the commands.
import { ApiError, getJson, gatewayPath } from './api.js';
import { CommandsPanel } from './commands.js';
import { age, button, h, isoMinute, replaceChildren } from './dom.js';
import { followReadings } from './live.js';
import { PlotSet } from './plots.js';
import { appendReading, fromSeries, plotsCsv } from './series.js';
const PRESETS = [
    { label: '1 h', ms: 3_600_000 },
    { label: '24 h', ms: 86_400_000 },
    { label: '7 d', ms: 7 * 86_400_000 },
    { label: '30 d', ms: 30 * 86_400_000 },
];
const DAY_MS = 86_400_000;
export class StationView {
    gateway;
    element = h('section', { class: 'station', 'aria-labelledby': 'station-title' });
    title = h('h2', { id: 'station-title' });
    description = h('p', { class: 'description' });
    latest = h('div', { class: 'latest', 'aria-live': 'polite' });
    rangeNote = h('p', { class: 'note', role: 'status' });
    plots = new PlotSet((from, to) => this.setRange({ kind: 'fixed', from, to }));
    completenessBody = h('tbody');
    gapList = h('ul', { class: 'gaps' });
    presetButtons = [];
    customFrom = h('input', { type: 'datetime-local', id: 'range-from', step: '1' });
    customTo = h('input', { type: 'datetime-local', id: 'range-to', step: '1' });
    range = { kind: 'preset', ms: PRESETS[0].ms };
    shown = { from: 0, to: 0 };
    data = [];
    samplingS;
    latestReading;
    stopLive;
    ageTimer;
    commands;
    loadCount = 0;
    constructor(gateway, canCommand) {
        this.gateway = gateway;
        this.commands = new CommandsPanel(gateway, canCommand);
        const presets = h('div', { class: 'presets', role: 'group', 'aria-label': 'Time range' });
        for (const p of PRESETS) {
            const b = button(p.label, () => this.setRange({ kind: 'preset', ms: p.ms }), { 'data-range': p.label });
            this.presetButtons.push(b);
            presets.append(b);
        }
        const custom = h('form', { class: 'custom-range', 'aria-label': 'Custom range (UTC)' }, h('label', { for: 'range-from' }, 'From (UTC)'), this.customFrom, h('label', { for: 'range-to' }, 'To (UTC)'), this.customTo, h('button', { type: 'submit' }, 'Show'));
        custom.addEventListener('submit', (e) => {
            e.preventDefault();
            const from = Date.parse(`${this.customFrom.value}Z`);
            const to = Date.parse(`${this.customTo.value}Z`);
            if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
                this.rangeNote.textContent = 'Give a start before the end.';
                return;
            }
            this.setRange({ kind: 'fixed', from, to });
        });
        const csv = button('Download CSV of what is shown', () => this.downloadCsv(), { 'data-action': 'csv' });
        this.element.append(h('p', {}, h('a', { href: '#/' }, '← Network')), this.title, this.description, h('h3', {}, 'Latest values'), this.latest, h('h3', {}, 'Time series'), h('div', { class: 'range-bar' }, presets, custom, csv), this.rangeNote, this.plots.element, h('h3', {}, 'Completeness per day'), h('div', { class: 'table-wrap' }, h('table', { class: 'completeness' }, h('thead', {}, h('tr', {}, ...['Day (UTC)', 'Received', 'Expected', 'Complete'].map((t) => h('th', { scope: 'col' }, t)))), this.completenessBody)), h('h3', {}, 'Gaps'), this.gapList, this.commands.element);
    }
    async start() {
        window.addEventListener('resize', this.onResize);
        this.ageTimer = window.setInterval(() => this.drawLatest(), 1000);
        this.commands.start();
        this.stopLive = followReadings(this.gateway, (r) => this.onLive(r));
        // The latest reading first: it gives the plots their order.
        await Promise.all([this.loadHeader(), this.loadLatest()]);
        await this.load();
    }
    stop() {
        window.removeEventListener('resize', this.onResize);
        window.clearInterval(this.ageTimer);
        this.stopLive?.();
        this.commands.stop();
        this.plots.destroy();
    }
    /** For tests and the benchmark: what the plots hold. */
    plotPoints() {
        return this.plots.points();
    }
    onResize = () => this.plots.resize();
    async loadHeader() {
        const { gateways } = await getJson('/api/gateways');
        const g = gateways.find((x) => x.id === this.gateway);
        if (g?.samplingIntervalMs)
            this.samplingS = g.samplingIntervalMs / 1000;
        this.title.textContent = g?.station?.name ? `${g.station.name} (${this.gateway})` : this.gateway;
        this.description.textContent = g?.station?.description ?? '';
    }
    async loadLatest() {
        try {
            this.latestReading = await getJson(gatewayPath(this.gateway, 'latest'));
        }
        catch (error) {
            if (!(error instanceof ApiError && error.status === 404))
                throw error;
        }
        this.drawLatest();
    }
    drawLatest() {
        const r = this.latestReading;
        if (!r) {
            replaceChildren(this.latest, h('p', { class: 'note' }, 'No reading yet.'));
            return;
        }
        const ageText = age(Date.now() - r.time);
        replaceChildren(this.latest, ...Object.entries(r.values).map(([name, value]) => {
            const flags = [...(r.valueFlags?.[name] ?? []), ...(r.flags ?? [])];
            return h('div', {
                class: `value${flags.length > 0 ? ' flagged' : ''}`,
                'data-testid': 'latest-value',
                'data-parameter': name,
            }, h('span', { class: 'name' }, name), h('span', { class: 'number' }, value === null ? '—' : String(value)), h('span', { class: 'unit' }, r.units?.[name] ?? ''), flags.length > 0 ? h('span', { class: 'flags' }, `flag: ${flags.join(', ')}`) : null, h('span', { class: 'age' }, ageText));
        }));
    }
    setRange(range) {
        this.range = range;
        void this.load();
    }
    async load() {
        const load = ++this.loadCount;
        const now = Date.now();
        const from = this.range.kind === 'preset' ? now - this.range.ms : this.range.from;
        const to = this.range.kind === 'preset' ? now + 1 : this.range.to;
        this.presetButtons.forEach((b, i) => b.setAttribute('aria-pressed', String(this.range.kind === 'preset' && PRESETS[i].ms === this.range.ms)));
        this.customFrom.value = new Date(from).toISOString().slice(0, 19);
        this.customTo.value = new Date(to).toISOString().slice(0, 19);
        this.rangeNote.textContent = 'Loading…';
        const gateway = encodeURIComponent(this.gateway);
        const [{ parameters }] = await Promise.all([
            getJson(gatewayPath(this.gateway, 'parameters')),
            this.loadCompleteness(from, to),
            this.loadGaps(),
        ]);
        // In the sonde's own column order when a reading is known (Temp first), else by name.
        const order = Object.keys(this.latestReading?.values ?? {});
        const rank = (name) => (order.includes(name) ? order.indexOf(name) : order.length);
        parameters.sort((a, b) => rank(a.parameter) - rank(b.parameter) || a.parameter.localeCompare(b.parameter));
        const width = this.plots.width();
        const data = await Promise.all(parameters.map(async (p) => fromSeries(p.parameter, await getJson(`/api/gateways/${gateway}/series?parameter=${encodeURIComponent(p.parameter)}&from=${from}&to=${to}&width=${width}`))));
        if (load !== this.loadCount)
            return; // a newer range was chosen meanwhile
        this.shown = { from, to };
        this.data = data;
        this.plots.draw(data, from, to);
        this.element.dataset.loaded = String(load);
        const buckets = data.some((d) => d.mode === 'buckets');
        this.rangeNote.textContent = `${isoMinute(from)} – ${isoMinute(to)}${buckets ? ', min and max per bucket' : ', every reading'}${this.range.kind === 'preset' ? ', live' : ''}`;
    }
    onLive(r) {
        if (!this.latestReading || r.time >= this.latestReading.time) {
            this.latestReading = r;
            this.drawLatest();
        }
        if (this.range.kind !== 'preset' || this.shown.to === 0)
            return;
        let grown = false;
        for (const d of this.data)
            grown = appendReading(d, r, this.samplingS) || grown;
        if (!grown)
            return;
        this.shown.to = Math.max(this.shown.to, r.time + 1);
        this.plots.update(this.data, this.shown.to);
    }
    async loadCompleteness(from, to) {
        const clampedFrom = Math.max(from, to - 92 * DAY_MS);
        const { days } = await getJson(`${gatewayPath(this.gateway, 'completeness')}?from=${clampedFrom}&to=${to}`);
        replaceChildren(this.completenessBody, ...days.map((d) => h('tr', {}, h('td', {}, d.day), h('td', {}, d.received), h('td', {}, d.expected), h('td', {}, `${(d.ratio * 100).toFixed(1)} %`))));
    }
    async loadGaps() {
        const { gaps } = await getJson(gatewayPath(this.gateway, 'gaps'));
        if (gaps.length === 0) {
            replaceChildren(this.gapList, h('li', {}, 'No gap recorded.'));
            return;
        }
        replaceChildren(this.gapList, ...gaps.map((g) => h('li', { 'data-open': String(g.filledAt === undefined && g.kind === 'discontinuity') }, `#${g.fromSequence}–#${g.toSequence} (${g.kind}${g.reason ? `: ${g.reason}` : ''}), detected ${isoMinute(g.detectedAt)}, `, g.kind === 'reported'
            ? 'lost at the gateway'
            : g.filledAt === undefined
                ? 'open'
                : `filled ${isoMinute(g.filledAt)}`)));
    }
    downloadCsv() {
        const text = plotsCsv(this.data, this.shown.from, this.shown.to);
        const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
        const a = h('a', {
            href: url,
            download: `${this.gateway}_${new Date(this.shown.from).toISOString()}_${new Date(this.shown.to).toISOString()}.csv`,
        });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }
}
