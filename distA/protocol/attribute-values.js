// Reading typed values out of attribute and element texts. Every failure is an `invalid_value`
// ProtocolError that names the attribute, never the (possibly hostile) text at length.
import { ProtocolError } from './errors.js';
import { QUALITY_FLAGS } from './model.js';
import { parseIntegerText, parseNumberText } from './number-text.js';
const QUALITY_FLAG_SET = new Set(QUALITY_FLAGS);
export function required(attributes, name, element) {
    const value = attributes[name];
    if (value === undefined)
        throw new ProtocolError('invalid_value', `${element} without ${name}`);
    return value;
}
export function integerValue(text, name) {
    const value = parseIntegerText(text);
    if (value === undefined)
        throw new ProtocolError('invalid_value', `${name} is not a whole number`);
    return value;
}
export function optionalInteger(attributes, name) {
    const text = attributes[name];
    return text === undefined ? undefined : integerValue(text, name);
}
export function optionalNumber(attributes, name) {
    const text = attributes[name];
    if (text === undefined)
        return undefined;
    const value = parseNumberText(text);
    if (value === undefined)
        throw new ProtocolError('invalid_value', `${name} is not a number`);
    return value;
}
export function optionalFlags(text) {
    if (text === undefined)
        return undefined;
    const flags = text.split(' ').filter((flag) => flag !== '');
    for (const flag of flags) {
        if (!QUALITY_FLAG_SET.has(flag))
            throw new ProtocolError('invalid_value', `unknown quality flag ${flag.slice(0, 40)}`);
    }
    return flags.length > 0 ? flags : undefined;
}
/** Copies the fields whose value is defined, so that decoded objects carry no `key: undefined`. */
export function assignDefined(target, fields) {
    for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined)
            target[key] = value;
    }
}
//# sourceMappingURL=attribute-values.js.map