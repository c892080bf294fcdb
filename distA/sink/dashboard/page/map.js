// The stations that have coordinates, on a Web-Mercator projection drawn as SVG: with a tile server the tiles
// lie underneath, without one (no internet in the field office) the stations are drawn all the same.
import { getJson } from './api.js';
import { h } from './dom.js';
const SVG = 'http://www.w3.org/2000/svg';
const SIZE = { width: 800, height: 500 };
const TILE = 256;
function svg(tag, attributes) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attributes))
        e.setAttribute(k, String(v));
    return e;
}
/** Longitude and latitude to world pixels at zoom z (Web Mercator, as the tile servers cut their tiles). */
function project(lon, lat, z) {
    const scale = TILE * 2 ** z;
    const sin = Math.sin((Math.max(-85, Math.min(85, lat)) * Math.PI) / 180);
    return [((lon + 180) / 360) * scale, (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale];
}
export class MapView {
    element = h('section', { class: 'map', 'aria-labelledby': 'map-title' });
    async start() {
        const [{ gateways }, config] = await Promise.all([
            getJson('/api/network'),
            getJson('/dashboard/config.json'),
        ]);
        const placed = gateways.filter((g) => typeof g.station.latitude === 'number' && typeof g.station.longitude === 'number');
        this.element.append(h('h2', { id: 'map-title' }, 'Map'));
        if (placed.length === 0) {
            this.element.append(h('p', { class: 'note' }, 'No station has coordinates yet: set them with PATCH /api/gateways/ID (docs/dashboard.md).'));
            return;
        }
        const points = (z) => placed.map((g) => project(g.station.longitude, g.station.latitude, z));
        // The largest zoom at which every station fits, with a margin; one station alone gets zoom 12.
        let z = 12;
        for (; z > 1; z--) {
            const p = points(z);
            const xs = p.map((q) => q[0]);
            const ys = p.map((q) => q[1]);
            if (Math.max(...xs) - Math.min(...xs) < SIZE.width * 0.7 && Math.max(...ys) - Math.min(...ys) < SIZE.height * 0.7)
                break;
        }
        const p = points(z);
        const cx = (Math.min(...p.map((q) => q[0])) + Math.max(...p.map((q) => q[0]))) / 2;
        const cy = (Math.min(...p.map((q) => q[1])) + Math.max(...p.map((q) => q[1]))) / 2;
        const left = cx - SIZE.width / 2;
        const top = cy - SIZE.height / 2;
        const root = svg('svg', {
            viewBox: `0 0 ${SIZE.width} ${SIZE.height}`,
            role: 'img',
            'aria-label': 'Map of the stations',
        });
        root.append(svg('rect', { x: 0, y: 0, width: SIZE.width, height: SIZE.height, class: 'sea' }));
        if (config.tileUrl)
            this.drawTiles(root, config.tileUrl, z, left, top);
        placed.forEach((g, i) => {
            const [x, y] = [p[i][0] - left, p[i][1] - top];
            const status = g.status;
            const link = svg('a', { href: `#/station/${encodeURIComponent(g.id)}`, 'data-gateway': g.id });
            const title = svg('title', {});
            title.textContent = `${g.station?.name ?? g.id}: ${status}`;
            const label = svg('text', { x: x + 10, y: y + 4, class: 'label' });
            label.textContent = g.station?.name ?? g.id;
            link.append(title, svg('circle', { cx: x, cy: y, r: 7, class: `station status-${status}` }), label);
            root.append(link);
        });
        this.element.append(h('div', { class: 'map-frame' }, root));
        const list = h('ul', { class: 'map-list' });
        for (const g of placed) {
            list.append(h('li', {}, h('a', { href: `#/station/${encodeURIComponent(g.id)}` }, g.station?.name ?? g.id), ` ${g.station.latitude.toFixed(5)}, ${g.station.longitude.toFixed(5)}`, g.station?.description ? ` — ${g.station.description}` : ''));
        }
        this.element.append(list);
        if (config.tileUrl && config.tileAttribution)
            this.element.append(h('p', { class: 'note' }, config.tileAttribution));
    }
    stop() { }
    drawTiles(root, template, z, left, top) {
        const n = 2 ** z;
        for (let tx = Math.floor(left / TILE); tx <= Math.floor((left + SIZE.width) / TILE); tx++) {
            for (let ty = Math.floor(top / TILE); ty <= Math.floor((top + SIZE.height) / TILE); ty++) {
                if (ty < 0 || ty >= n)
                    continue;
                const url = template
                    .replace('{z}', String(z))
                    .replace('{x}', String(((tx % n) + n) % n))
                    .replace('{y}', String(ty));
                root.append(svg('image', { href: url, x: tx * TILE - left, y: ty * TILE - top, width: TILE, height: TILE }));
            }
        }
    }
}
