// Reading the config file: TOML (comments allowed, so operators can say why a value is what it is),
// then validation. Errors name the field (or the file's line) and the problem.
import { readFileSync } from 'node:fs';
import { parse, TomlError } from 'smol-toml';
import { validateConfig } from './validate.js';
/** A config file is a few kilobytes; a larger one is a mistake (a log, a binary) and is not parsed. */
const MAX_CONFIG_BYTES = 256 * 1024;
export function parseConfigText(text) {
    if (text.length > MAX_CONFIG_BYTES)
        return { ok: false, errors: [{ field: '(the whole file)', problem: `larger than ${MAX_CONFIG_BYTES} bytes` }] };
    let doc;
    try {
        doc = parse(text);
    }
    catch (err) {
        if (err instanceof TomlError) {
            const reason = err.message.split('\n')[0] ?? 'syntax error';
            return { ok: false, errors: [{ field: `line ${err.line}, column ${err.column}`, problem: reason }] };
        }
        throw err;
    }
    return validateConfig(doc);
}
export function loadConfigFile(file) {
    let text;
    try {
        text = readFileSync(file, 'utf8');
    }
    catch (err) {
        return { ok: false, errors: [{ field: file, problem: `cannot be read: ${err.message}` }] };
    }
    return parseConfigText(text);
}
export function formatConfigErrors(errors) {
    return errors.map((e) => `${e.field}: ${e.problem}`).join('\n');
}
//# sourceMappingURL=load.js.map