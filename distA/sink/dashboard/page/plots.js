// One uPlot per parameter on one shared time range, cursors synchronised; dragging across a plot selects a
// range (the station view then loads it). Buckets draw as a band from min to max; flagged values are drawn
// again as red points on top.
import uPlot from './vendor/uplot.js';
import { h } from './dom.js';
const HEIGHT = 160;
const SYNC_KEY = 'dsp-station';
const LINE = '#1f6fb2';
export class PlotSet {
    onZoom;
    element = h('div', { class: 'plots' });
    plots = new Map();
    /** The x range every plot shows, epoch s. */
    range = [0, 1];
    constructor(onZoom) {
        this.onZoom = onZoom;
    }
    draw(data, from, to) {
        this.destroy();
        this.range = [from / 1000, to / 1000];
        for (const d of data) {
            const holder = h('figure', {
                class: 'plot',
                'data-testid': 'plot',
                'data-parameter': d.parameter,
                tabindex: '-1',
            });
            holder.append(h('figcaption', {}, `${d.parameter}${d.unit ? ` (${d.unit})` : ''}${d.mode === 'buckets' ? ', min–max per bucket' : ''}`));
            this.element.append(holder);
            this.plots.set(d.parameter, new uPlot(this.options(d, holder), columns(d), holder));
        }
    }
    /** Redraws with grown data (live readings), keeping each plot; the range's end follows the newest point. */
    update(data, to) {
        this.range[1] = Math.max(this.range[1], to / 1000);
        for (const d of data)
            this.plots.get(d.parameter)?.setData(columns(d));
    }
    /** What each plot holds (test hook, first-plot benchmark): name -> [time s, value or null at a gap][]. */
    points() {
        const out = {};
        for (const [name, plot] of this.plots) {
            const ys = plot.data[1] ?? [];
            out[name] = Array.from(plot.data[0], (x, i) => [x, ys[i] ?? null]);
        }
        return out;
    }
    resize() {
        for (const plot of this.plots.values())
            plot.setSize({ width: this.width(), height: HEIGHT });
    }
    /** Pixels a plot has for data (the series route's `width`). */
    width() {
        return Math.max(240, Math.min(4000, this.element.clientWidth - 8));
    }
    destroy() {
        for (const plot of this.plots.values())
            plot.destroy();
        this.plots.clear();
        this.element.replaceChildren();
    }
    options(d, holder) {
        return {
            width: this.width(),
            height: HEIGHT,
            tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
            cursor: { sync: { key: SYNC_KEY }, drag: { x: true, y: false, setScale: false } },
            legend: { show: true, live: true },
            scales: { x: { time: true, range: () => this.range } },
            axes: [{}, { label: d.unit ?? '', size: 60 }],
            series: [
                {},
                {
                    label: d.mode === 'raw' ? d.parameter : `${d.parameter} min`,
                    stroke: LINE,
                    width: 1.5,
                    spanGaps: false,
                    points: { show: false },
                },
                {
                    label: `${d.parameter} max`,
                    stroke: d.mode === 'raw' ? 'transparent' : LINE,
                    width: d.mode === 'raw' ? 0 : 1,
                    spanGaps: false,
                    points: { show: false },
                    show: d.mode === 'buckets',
                },
                {
                    label: 'flagged',
                    stroke: '#c0392b',
                    fill: '#c0392b',
                    paths: () => null,
                    points: { show: true, size: 7, stroke: '#c0392b', fill: '#c0392b' },
                },
            ],
            bands: d.mode === 'buckets' ? [{ series: [2, 1], fill: 'rgba(31, 111, 178, 0.25)' }] : [],
            hooks: {
                setSelect: [
                    (u) => {
                        if (u.select.width < 3)
                            return;
                        const from = u.posToVal(u.select.left, 'x') * 1000;
                        const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
                        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
                        holder.focus();
                        this.onZoom(Math.round(from), Math.round(to));
                    },
                ],
            },
        };
    }
}
function columns(d) {
    return [d.t, d.lo, d.hi, d.flagged];
}
