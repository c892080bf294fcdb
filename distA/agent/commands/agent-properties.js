// The properties of this agent that the sink may query and update (names as in the original DSP where it
// had them). Applied values go to RuntimeSettings, so they survive restarts.
//   SAMPLING_FREQUENCY              sonde sampling interval, s (applied through the driver first)
//   WIRE_TRANSPORT_TRANSFER_DELAY   upload interval, s (the original's property; seconds, not its 60000 ms)
//   BATCH_MAX_MESSAGES, BATCH_MAX_BYTES   container limits
//   LOG_LEVEL                       debug | info | warn | error
//   SINK_URL, SINK_TOKEN            the answering sink's endpoint: provisional, see endpoint-trial.ts
//   GATEWAY_ID, QUEUE_DEPTH, SONDE_STATE, SONDE_SERIAL   read-only (the serial is not in every upload)
import { isLogLevel } from '../../common/log.js';
import { SETTING_BOUNDS as B } from '../settings/settings-schema.js';
import { integerIn, secondsIn } from './properties.js';
export function agentProperties(c) {
    const { settings } = c;
    return [
        {
            name: 'SAMPLING_FREQUENCY',
            unit: 's',
            read: () => String(settings.samplingIntervalS),
            validate: secondsIn(B.samplingIntervalS.min, B.samplingIntervalS.max),
            apply: async (v) => {
                const result = await c.driver.setSamplingInterval(Number(v));
                if (result.outcome === 'rejected')
                    return result.reason ?? 'the sonde refused the interval';
                await settings.set({ samplingIntervalS: result.intervalS });
                return undefined;
            },
        },
        {
            name: 'WIRE_TRANSPORT_TRANSFER_DELAY',
            unit: 's',
            read: () => String(settings.uploadIntervalS),
            validate: uploadDelay,
            apply: async (v) => {
                await settings.set({ uploadIntervalS: Number(v) });
                c.uploadSettingsChanged();
                return undefined;
            },
        },
        {
            name: 'BATCH_MAX_MESSAGES',
            read: () => String(settings.batchMaxMessages),
            validate: integerIn(B.batchMaxMessages.min, B.batchMaxMessages.max),
            apply: async (v) => void (await settings.set({ batchMaxMessages: Number(v) })),
        },
        {
            name: 'BATCH_MAX_BYTES',
            unit: 'B',
            read: () => String(settings.batchMaxBytes),
            validate: integerIn(B.batchMaxBytes.min, B.batchMaxBytes.max),
            apply: async (v) => void (await settings.set({ batchMaxBytes: Number(v) })),
        },
        {
            name: 'LOG_LEVEL',
            read: () => settings.logLevel,
            validate: (v) => (isLogLevel(v) ? undefined : 'must be debug, info, warn or error'),
            apply: async (v) => {
                if (!isLogLevel(v))
                    return 'invalid level';
                await settings.set({ logLevel: v });
                c.logger.setLevel(v);
                return undefined;
            },
        },
        { name: 'GATEWAY_ID', read: () => c.gatewayId },
        { name: 'QUEUE_DEPTH', read: () => String(c.queueDepth()) },
        { name: 'SONDE_STATE', read: () => c.driver.status().state },
        { name: 'SONDE_SERIAL', read: () => c.driver.status().serialNumber ?? '' },
    ];
}
/** Seconds, at most 6 h. The original's bootstrap files wrote 60000 (ms): such a value gets a hint. */
function uploadDelay(value) {
    const problem = secondsIn(B.uploadIntervalS.min, B.uploadIntervalS.max)(value);
    const n = Number(value.trim());
    return problem && n % 1000 === 0 ? `${problem}; ${n} looks like milliseconds (${n / 1000} s?)` : problem;
}
//# sourceMappingURL=agent-properties.js.map