// Field schemas the sink's inputs share (settings, query parameters, command bodies). Their message is the
// expectation, so that a refusal reads `retryAfterS: expected an integer 1-3600, got -3` (common/schema-issues.ts).
import * as v from 'valibot';
/** A whole number in [min, max]; the message says so. */
export function integerIn(min, max) {
    const text = `an integer ${min}-${max}`;
    return v.pipe(v.number(text), v.integer(text), v.minValue(min, text), v.maxValue(max, text));
}
/** A text of 1..max characters matching `pattern`; `text` describes it. */
export function textMatching(pattern, max, text) {
    return v.pipe(v.string(text), v.minLength(1, text), v.maxLength(max, text), v.regex(pattern, text));
}
const GATEWAY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const GatewayIdSchema = textMatching(GATEWAY_ID, 64, 'a gateway id (1-64 letters, digits, ".", "_", "-")');
export function isGatewayId(value) {
    return GATEWAY_ID.test(value);
}
//# sourceMappingURL=field-schemas.js.map