// The resource path of a SensorThings request (STA 1.1 §9.2): `Things`, `Things('gw1')`, `Things('gw1')/Datastreams`,
// `Datastreams('gw1:sonde:Temp')/Observations`, `Things('gw1')/name`, `Things('gw1')/name/$value`.
import { QueryError } from './filter-parser.js';
const SEGMENT = /^(?<name>[A-Za-z]{1,40}|\$value)(?:\((?<id>'(?:[^']|'')*'|\d{1,20})\))?$/;
const MAX_SEGMENTS = 8;
/** The segments after the service root; an empty list is the service root itself. */
export function parseResourcePath(rawPath) {
    let path;
    try {
        path = decodeURIComponent(rawPath);
    }
    catch {
        throw new QueryError('malformed percent-encoding in the path');
    }
    const parts = splitOutsideQuotes(path.replace(/^\/+/, '').replace(/\/+$/, ''));
    if (parts.length === 1 && parts[0] === '')
        return [];
    if (parts.length > MAX_SEGMENTS)
        throw new QueryError(`a resource path has at most ${MAX_SEGMENTS} segments`);
    return parts.map((part, i) => {
        const match = SEGMENT.exec(part);
        if (!match?.groups)
            throw new QueryError(`path segment ${i + 1}: expected a name, optionally followed by ('id')`);
        const { name, id } = match.groups;
        const segment = { name: name };
        if (id !== undefined)
            segment.id = id.startsWith("'") ? id.slice(1, -1).replace(/''/g, "'") : id;
        return segment;
    });
}
function splitOutsideQuotes(path) {
    const parts = [];
    let quoted = false;
    let start = 0;
    for (let i = 0; i < path.length; i++) {
        if (path[i] === "'")
            quoted = !quoted;
        else if (path[i] === '/' && !quoted) {
            parts.push(path.slice(start, i));
            start = i + 1;
        }
    }
    parts.push(path.slice(start));
    return parts;
}
//# sourceMappingURL=resource-path.js.map