// The shape of <data_dir>/settings.json: what remote commands changed, and a sink endpoint being tried.
// The agent writes it itself, but reads it back through this schema (a torn or hand-edited file must not
// stop the agent, nor crash it later when a value is used): anything else is moved aside, see
// common/checked-json-file.ts. The bounds are those the remote commands accept (agent-properties.ts).
import * as v from 'valibot';
import { LOG_LEVELS } from '../../common/log.js';
/** Bounds of the values a remote command may set; agent-properties.ts validates commands with them. */
export const SETTING_BOUNDS = {
    samplingIntervalS: { min: 0.1, max: 86400 },
    uploadIntervalS: { min: 0.1, max: 21600 },
    batchMaxMessages: { min: 1, max: 10000 },
    batchMaxBytes: { min: 4096, max: 64 * 1024 * 1024 },
};
/** settings.json is a few hundred bytes; anything much larger is not ours. */
export const MAX_SETTINGS_BYTES = 64 * 1024;
const between = (b) => v.pipe(v.number(), v.finite(), v.minValue(b.min), v.maxValue(b.max));
const wholeBetween = (b) => v.pipe(between(b), v.integer());
const Url = v.pipe(v.string(), v.maxLength(2048), v.check((s) => /^https?:\/\/\S+$/.test(s), 'an http:// or https:// URL'));
const Token = v.pipe(v.string(), v.minLength(1), v.maxLength(4096));
const DestinationName = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a destination name'));
export const EndpointSchema = v.strictObject({ url: Url, token: Token });
export const ProvisionalEndpointSchema = v.strictObject({
    url: Url,
    token: Token,
    previous: EndpointSchema,
    /** Epoch ms after which an endpoint that never worked is rolled back. */
    deadline: v.pipe(v.number(), v.integer(), v.minValue(0)),
    /** The Update command that asked for it: answered when the endpoint is confirmed or rolled back. */
    commandId: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
});
export const OverridesSchema = v.strictObject({
    samplingIntervalS: v.optional(between(SETTING_BOUNDS.samplingIntervalS)),
    uploadIntervalS: v.optional(between(SETTING_BOUNDS.uploadIntervalS)),
    batchMaxMessages: v.optional(wholeBetween(SETTING_BOUNDS.batchMaxMessages)),
    batchMaxBytes: v.optional(wholeBetween(SETTING_BOUNDS.batchMaxBytes)),
    logLevel: v.optional(v.picklist(LOG_LEVELS)),
    /** Confirmed endpoints per destination. */
    endpoints: v.optional(v.pipe(v.record(DestinationName, EndpointSchema), v.maxEntries(64))),
    provisional: v.optional(v.pipe(v.record(DestinationName, ProvisionalEndpointSchema), v.maxEntries(64))),
});
//# sourceMappingURL=settings-schema.js.map