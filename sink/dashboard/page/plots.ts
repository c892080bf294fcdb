// One uPlot per parameter, cursors synchronised; dragging across a plot selects a time range (the station
// view then loads that range). Flagged values are drawn again as red points on top of the line.
import uPlot from './vendor/uplot.js';
import { h } from './dom.js';
import type { Columns } from './series.js';

const HEIGHT = 160;
const SYNC_KEY = 'dsp-station';

export class PlotSet {
  readonly element = h('div', { class: 'plots' });
  private plots = new Map<string, uPlot>();

  constructor(private readonly onZoom: (from: number, to: number) => void) {}

  /** Draws every parameter's plot afresh for these columns. */
  draw(c: Columns): void {
    this.destroy();
    for (const [name, values] of c.values) {
      const holder = h('figure', { class: 'plot', 'data-testid': 'plot', 'data-parameter': name });
      const unit = c.units.get(name);
      holder.append(h('figcaption', {}, unit ? `${name} (${unit})` : name));
      this.element.append(holder);
      const flagged = values.map((v, i) => (c.flags.get(name)?.[i] ? v : null));
      const plot = new uPlot(this.options(name, unit, holder), [c.times, values, flagged], holder);
      this.plots.set(name, plot);
    }
  }

  /** Redraws with grown columns (live readings), keeping each plot. */
  update(c: Columns): void {
    if ([...c.values.keys()].some((name) => !this.plots.has(name))) return this.draw(c);
    for (const [name, plot] of this.plots) {
      const values = c.values.get(name) ?? [];
      const flagged = values.map((v, i) => (c.flags.get(name)?.[i] ? v : null));
      plot.setData([c.times, values, flagged]);
    }
  }

  /** What each plot holds (test hook, first-plot benchmark): name -> [time s, value or null at a gap][]. */
  points(): Record<string, Array<[number, number | null]>> {
    const out: Record<string, Array<[number, number | null]>> = {};
    for (const [name, plot] of this.plots) {
      const ys = plot.data[1] ?? [];
      out[name] = Array.from(plot.data[0], (x, i): [number, number | null] => [x, ys[i] ?? null]);
    }
    return out;
  }

  resize(): void {
    for (const plot of this.plots.values()) plot.setSize({ width: this.width(), height: HEIGHT });
  }

  destroy(): void {
    for (const plot of this.plots.values()) plot.destroy();
    this.plots.clear();
    this.element.replaceChildren();
  }

  private width(): number {
    return Math.max(240, this.element.clientWidth - 8);
  }

  private options(name: string, unit: string | undefined, holder: HTMLElement): uPlot.Options {
    return {
      width: this.width(),
      height: HEIGHT,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
      cursor: { sync: { key: SYNC_KEY }, drag: { x: true, y: false, setScale: false } },
      legend: { show: true, live: true },
      scales: { x: { time: true } },
      axes: [{}, { label: unit ?? '', size: 60 }],
      series: [
        {},
        { label: name, stroke: '#1f6fb2', width: 1.5, spanGaps: false, points: { show: false } },
        {
          label: 'flagged',
          stroke: '#c0392b',
          fill: '#c0392b',
          paths: () => null,
          points: { show: true, size: 7, stroke: '#c0392b', fill: '#c0392b' },
        },
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 3) return;
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
