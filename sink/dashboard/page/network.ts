// The network: one row per gateway, sortable, refreshed every few seconds while shown.
import { getJson, gatewayPath } from './api.js';
import { age, button, h, replaceChildren } from './dom.js';
import { gatewayStatus } from './status.js';
import type { Gateway, Reading, Status } from './types.js';

const REFRESH_MS = 2000;
const STATUS_ORDER: Record<Status, number> = { silent: 0, late: 1, ok: 2 };

interface Row {
  g: Gateway;
  status: Status | undefined;
  battery: number | undefined;
}

interface Column {
  key: string;
  label: string;
  value(r: Row, now: number): string | number | undefined;
  /** What the column sorts by (default: value). */
  sortBy?(r: Row): string | number | undefined;
}

const fixed = (n: number | undefined, digits: number, unit = ''): string | undefined =>
  n === undefined ? undefined : `${n.toFixed(digits)}${unit}`;

const COLUMNS: Column[] = [
  { key: 'station', label: 'Station', value: (r) => r.g.station?.name ?? r.g.id },
  {
    key: 'status',
    label: 'Status',
    value: (r) => r.status ?? 'no contact',
    sortBy: (r) => (r.status === undefined ? -1 : STATUS_ORDER[r.status]),
  },
  {
    key: 'lastContact',
    label: 'Last contact',
    value: (r, now) => (r.g.lastContact === undefined ? undefined : age(now - r.g.lastContact)),
    sortBy: (r) => r.g.lastContact,
  },
  {
    key: 'readings',
    label: 'Readings today',
    value: (r) => r.g.readingsToday ?? undefined,
  },
  {
    key: 'completeness',
    label: 'Complete 24 h',
    value: (r) => fixed(r.g.completeness24h === undefined ? undefined : r.g.completeness24h * 100, 1, ' %'),
    sortBy: (r) => r.g.completeness24h,
  },
  { key: 'openGaps', label: 'Open gaps', value: (r) => r.g.openGaps },
  { key: 'queue', label: 'Agent queue', value: (r) => r.g.queueDepth },
  {
    key: 'clock',
    label: 'Clock offset',
    value: (r) => fixed(r.g.clockOffsetMs === undefined ? undefined : r.g.clockOffsetMs / 1000, 1, ' s'),
    sortBy: (r) => (r.g.clockOffsetMs === undefined ? undefined : Math.abs(r.g.clockOffsetMs)),
  },
  { key: 'battery', label: 'Battery', value: (r) => fixed(r.battery, 2, ' V'), sortBy: (r) => r.battery },
];

export class NetworkView {
  readonly element = h('section', { 'aria-labelledby': 'network-title' });
  private readonly body = h('tbody');
  private readonly head = h('tr');
  private readonly note = h('p', { class: 'note', role: 'status' });
  private rows: Row[] = [];
  private sort = { key: 'station', ascending: true };
  private timer: number | undefined;

  constructor(private readonly open: (id: string) => void) {
    this.element.append(
      h('h2', { id: 'network-title' }, 'Network'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'network' }, h('thead', {}, this.head), this.body)),
      this.note,
    );
    this.drawHead();
  }

  start(): void {
    void this.refresh();
    this.timer = window.setInterval(() => void this.refresh(), REFRESH_MS);
  }

  stop(): void {
    window.clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    try {
      const { gateways } = await getJson<{ gateways: Gateway[] }>('/api/gateways');
      const now = Date.now();
      this.rows = await Promise.all(
        gateways.map(async (g) => ({ g, status: gatewayStatus(g, now), battery: g.batteryV ?? (await battery(g)) })),
      );
      this.note.textContent = gateways.length === 0 ? 'No gateway is registered yet (dsp-sink gateway add ID).' : '';
      this.drawBody(now);
    } catch (error) {
      this.note.textContent = `Could not load the network: ${(error as Error).message}`;
    }
  }

  private drawHead(): void {
    replaceChildren(
      this.head,
      ...COLUMNS.map((c) => {
        const active = this.sort.key === c.key;
        const th = h('th', {
          scope: 'col',
          'aria-sort': active ? (this.sort.ascending ? 'ascending' : 'descending') : 'none',
        });
        th.append(
          button(
            `${c.label}${active ? (this.sort.ascending ? ' ▲' : ' ▼') : ''}`,
            () => {
              this.sort = { key: c.key, ascending: active ? !this.sort.ascending : true };
              this.drawHead();
              this.drawBody(Date.now());
            },
            { class: 'sort', 'data-sort': c.key },
          ),
        );
        return th;
      }),
    );
  }

  private drawBody(now: number): void {
    const column = COLUMNS.find((c) => c.key === this.sort.key) ?? COLUMNS[0]!;
    const key = (r: Row): string | number | undefined => (column.sortBy ?? ((x: Row) => column.value(x, now)))(r);
    const sorted = [...this.rows].sort((a, b) => {
      const x = key(a);
      const y = key(b);
      if (x === y) return a.g.id.localeCompare(b.g.id);
      if (x === undefined) return 1; // unknown values last, whatever the direction
      if (y === undefined) return -1;
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return this.sort.ascending ? order : -order;
    });
    replaceChildren(
      this.body,
      ...sorted.map((r) => {
        const tr = h('tr', { 'data-testid': 'gateway-row', 'data-gateway': r.g.id, 'data-status': r.status ?? 'none' });
        for (const c of COLUMNS) {
          const text = c.value(r, now);
          const td = h('td', { 'data-label': c.label, 'data-column': c.key });
          if (c.key === 'station') {
            const link = h('a', { href: `#/station/${encodeURIComponent(r.g.id)}` }, String(text));
            link.addEventListener('click', (e) => {
              e.preventDefault();
              this.open(r.g.id);
            });
            td.append(link);
            if (r.g.station?.name) td.append(h('span', { class: 'id' }, r.g.id));
          } else if (c.key === 'status') {
            td.append(h('span', { class: `status status-${r.status ?? 'none'}` }, String(text)));
          } else td.append(text === undefined ? '—' : String(text));
          tr.append(td);
        }
        return tr;
      }),
    );
  }
}

/** The last battery voltage, from the latest reading (a gateway that sent none has none). */
async function battery(g: Gateway): Promise<number | undefined> {
  if (g.readingsStored === 0) return undefined;
  try {
    const latest = await getJson<Reading>(gatewayPath(g.id, 'latest'));
    return latest.values.Battery ?? undefined;
  } catch {
    return undefined;
  }
}
