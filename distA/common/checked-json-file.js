// Reading back a small JSON file this program wrote (settings, binding state): through a schema, never a cast.
// A file that is not what it should be (torn by a power cut, edited by hand, from another version) is
// moved aside, kept for a person to look at, and the caller goes on with its defaults: the program always
// starts. The outcome says what was wrong so that the caller can log it with its own context.
import { readFile, rename } from 'node:fs/promises';
import * as v from 'valibot';
import { issuesText } from './schema-issues.js';
export async function readCheckedJsonFile(file, schema, o) {
    let text;
    try {
        text = await readFile(file, 'utf8');
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return { kind: 'missing' };
        return { kind: 'bad', problem: `cannot be read: ${err.message}`, movedTo: null };
    }
    const problem = problemWith(text, schema, o.maxBytes);
    if (problem.ok)
        return { kind: 'ok', value: problem.value };
    return { kind: 'bad', problem: problem.text, movedTo: await moveAside(file, (o.now ?? Date.now)()) };
}
function problemWith(text, schema, maxBytes) {
    if (Buffer.byteLength(text) > maxBytes)
        return { ok: false, text: `larger than ${maxBytes} bytes` };
    let data;
    try {
        data = JSON.parse(text);
    }
    catch (err) {
        return { ok: false, text: `not JSON (torn or damaged): ${err.message}` };
    }
    const result = v.safeParse(schema, data);
    return result.success ? { ok: true, value: result.output } : { ok: false, text: issuesText(result.issues) };
}
/** `<file>.bad-<epoch ms>`: never overwritten by the next bad file, sorted by time in a listing. */
async function moveAside(file, now) {
    const target = `${file}.bad-${now}`;
    try {
        await rename(file, target);
        return target;
    }
    catch {
        return null;
    }
}
//# sourceMappingURL=checked-json-file.js.map