// The values the agent runs with: the config file, overlaid with what remote commands changed.
// Remote changes are kept in <data_dir>/settings.json (written atomically) so that they survive restarts;
// the config file is never rewritten behind the operator's back. `dsp-agent status` shows the overrides.
//
// A new sink URL or token is provisional: it is used at once, but if no exchange with the sink succeeds
// with it before its deadline, the agent goes back to the previous (last working) endpoint.
import { writeFileAtomic } from '../../common/atomic-file.js';
import { readCheckedJsonFile } from '../../common/checked-json-file.js';
import { MAX_SETTINGS_BYTES, OverridesSchema, } from './settings-schema.js';
export class RuntimeSettings {
    config;
    file;
    overrides;
    constructor(config, file, overrides) {
        this.config = config;
        this.file = file;
        this.overrides = overrides;
    }
    /**
     * Reads the overrides. A missing file means none; a file of the wrong shape (torn, hand-edited, another
     * version) is moved aside and reported in `problem`: the config file rules and the agent starts anyway.
     */
    static async load(config, file) {
        const read = await readCheckedJsonFile(file, OverridesSchema, { maxBytes: MAX_SETTINGS_BYTES });
        if (read.kind === 'ok')
            return { settings: new RuntimeSettings(config, file, read.value) };
        const settings = new RuntimeSettings(config, file, {});
        return read.kind === 'missing' ? { settings } : { settings, problem: read.problem, movedTo: read.movedTo };
    }
    get samplingIntervalS() {
        return this.overrides.samplingIntervalS ?? this.config.sonde.intervalS;
    }
    /** Set by the data plan near its budget (agent/transport/data-plan.ts): the interval is multiplied by it. */
    uploadIntervalFactor = 1;
    get uploadIntervalS() {
        return (this.overrides.uploadIntervalS ?? this.config.upload.intervalS) * this.uploadIntervalFactor;
    }
    get batchMaxMessages() {
        return this.overrides.batchMaxMessages ?? this.config.upload.maxMessages;
    }
    get batchMaxBytes() {
        return this.overrides.batchMaxBytes ?? this.config.upload.maxBytes;
    }
    get logLevel() {
        return this.overrides.logLevel ?? this.config.logLevel;
    }
    /** The endpoint in use for a destination: provisional if one is being tried. */
    endpoint(destination) {
        const p = this.overrides.provisional?.[destination];
        if (p)
            return { url: p.url, token: p.token };
        const confirmed = this.overrides.endpoints?.[destination];
        if (confirmed)
            return confirmed;
        const d = this.config.destinations.find((x) => x.name === destination);
        if (!d)
            throw new Error(`unknown destination ${destination}`);
        return { url: d.url, token: d.token };
    }
    provisional(destination) {
        return this.overrides.provisional?.[destination];
    }
    /** What remote commands changed, for status output: tokens are shown as "(set)", never in clear. */
    snapshot() {
        const copy = structuredClone(this.overrides);
        for (const e of [...Object.values(copy.endpoints ?? {}), ...Object.values(copy.provisional ?? {})]) {
            e.token = '(set)';
            if ('previous' in e)
                e.previous.token = '(set)';
        }
        return copy;
    }
    async set(patch) {
        await this.save({ ...this.overrides, ...patch });
    }
    async tryEndpoint(destination, next, deadline, commandId) {
        const previous = this.endpoint(destination);
        const provisional = { ...this.overrides.provisional, [destination]: { ...next, previous, deadline, commandId } };
        await this.save({ ...this.overrides, provisional });
    }
    /** The provisional endpoint worked: it becomes the confirmed one. */
    async confirmEndpoint(destination) {
        const p = this.overrides.provisional?.[destination];
        if (!p)
            return;
        const { [destination]: _, ...rest } = this.overrides.provisional ?? {};
        const endpoints = { ...this.overrides.endpoints, [destination]: { url: p.url, token: p.token } };
        await this.save({ ...this.overrides, endpoints, provisional: rest });
    }
    /** The provisional endpoint never worked: back to the previous one. */
    async rollbackEndpoint(destination) {
        const { [destination]: _, ...rest } = this.overrides.provisional ?? {};
        await this.save({ ...this.overrides, provisional: rest });
    }
    async save(next) {
        await writeFileAtomic(this.file, JSON.stringify(next, null, 2) + '\n');
        this.overrides = next;
    }
}
//# sourceMappingURL=runtime-settings.js.map