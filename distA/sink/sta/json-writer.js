import { BufferedWriter } from '../http/readings-export.js';
import { page } from './collections.js';
import { ENTITY_TYPES } from './model.js';
/** An id as it appears in a URL: quoted, quotes doubled, percent-encoded except the characters ids use. */
export function idInUrl(id) {
    return `('${encodeURIComponent(id.replace(/'/g, "''")).replace(/%3A/gi, ':').replace(/%40/gi, '@')}')`;
}
export function selfLink(ctx, entity) {
    return `${ctx.base}/${entity.set}${idInUrl(entity.id)}`;
}
/** The source a navigation property of `entity` leads to. */
export function navigationSource(ctx, entity, nav) {
    const related = ctx.catalog.related(entity, nav);
    if (!Array.isArray(related))
        return { kind: 'observations', scope: related };
    const target = ENTITY_TYPES[entity.set].navigation[nav].target;
    return { kind: 'entities', set: target, entities: related };
}
export async function entityJson(ctx, entity, options) {
    const select = options.select;
    const shown = (name) => select === undefined || select.includes(name);
    const out = {};
    const link = selfLink(ctx, entity);
    if (shown('@iot.id'))
        out['@iot.id'] = entity.id;
    if (select === undefined)
        out['@iot.selfLink'] = link;
    for (const name of ENTITY_TYPES[entity.set].properties)
        if (shown(name))
            out[name] = entity.props[name] ?? null;
    for (const [nav, { many }] of Object.entries(ENTITY_TYPES[entity.set].navigation)) {
        const expanded = options.expand.find((e) => e.nav === nav);
        if (!expanded) {
            if (shown(nav))
                out[`${nav}@iot.navigationLink`] = `${link}/${nav}`;
            continue;
        }
        const related = await page(ctx, navigationSource(ctx, entity, nav), expanded.options);
        const items = [];
        for await (const item of related.items)
            items.push(await entityJson(ctx, item, expanded.options));
        if (many) {
            if (related.count !== undefined)
                out[`${nav}@iot.count`] = related.count;
            out[nav] = items;
            if (related.next() !== undefined)
                out[`${nav}@iot.navigationLink`] = `${link}/${nav}`;
        }
        else {
            out[nav] = items[0] ?? null;
        }
    }
    return out;
}
/** Streams one page of a collection as the client reads it. */
export async function writeCollection(res, request) {
    const { ctx, source, options } = request;
    const result = await page(ctx, source, options);
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    const out = new BufferedWriter(res);
    await out.write(result.count === undefined ? '{' : `{"@iot.count":${result.count},`);
    if (options.resultFormat === 'dataArray') {
        await out.write(`"value":${JSON.stringify(await dataArrays(ctx, result, options))}`);
    }
    else {
        await out.write('"value":[');
        let first = true;
        for await (const entity of result.items) {
            if (res.destroyed)
                return;
            await out.write((first ? '' : ',') + JSON.stringify(await entityJson(ctx, entity, options)));
            first = false;
        }
        await out.write(']');
    }
    const next = result.next();
    await out.write(next === undefined ? '}' : `,"@iot.nextLink":${JSON.stringify(request.linkTo(next))}}`);
    await out.end();
}
/** Components of a dataArray when $select names none (STA 1.1 §14.3.2). */
const DATA_ARRAY_COMPONENTS = [
    'id',
    'phenomenonTime',
    'resultTime',
    'result',
    'resultQuality',
    'validTime',
    'parameters',
];
/** A page of Observations grouped by Datastream, each row the values of the components in order. */
async function dataArrays(ctx, result, options) {
    const components = options.select?.map((s) => (s === '@iot.id' ? 'id' : s)) ?? DATA_ARRAY_COMPONENTS;
    const groups = new Map();
    for await (const o of result.items) {
        const [datastream] = ctx.catalog.related(o, 'Datastream');
        const key = datastream?.id ?? '';
        let group = groups.get(key);
        if (!group) {
            group = { link: datastream ? selfLink(ctx, datastream) : '', rows: [] };
            groups.set(key, group);
        }
        group.rows.push(components.map((c) => (c === 'id' ? o.id : (o.props[c] ?? null))));
    }
    return [...groups.values()].map((g) => ({
        'Datastream@iot.navigationLink': g.link,
        components,
        'dataArray@iot.count': g.rows.length,
        dataArray: g.rows,
    }));
}
//# sourceMappingURL=json-writer.js.map