function secondsIn(min, max) {
    return (value) => {
        const n = Number(value.trim());
        return value.trim() !== '' && Number.isFinite(n) && n >= min && n <= max
            ? undefined
            : `must be a number of seconds from ${min} to ${max}`;
    };
}
function integerIn(min, max) {
    return (value) => {
        const n = Number(value.trim());
        return value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max
            ? undefined
            : `must be a whole number from ${min} to ${max}`;
    };
}
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];
export const KNOWN_PROPERTIES = [
    { name: 'SAMPLING_FREQUENCY', unit: 's', validate: secondsIn(0.1, 86400), help: 'sonde sampling interval' },
    { name: 'WIRE_TRANSPORT_TRANSFER_DELAY', unit: 's', validate: secondsIn(0.1, 21600), help: 'upload interval' },
    { name: 'BATCH_MAX_MESSAGES', validate: integerIn(1, 10000), help: 'messages per upload at most' },
    { name: 'BATCH_MAX_BYTES', unit: 'B', validate: integerIn(4096, 64 * 1024 * 1024), help: 'bytes per upload at most' },
    {
        name: 'LOG_LEVEL',
        validate: (v) => (LOG_LEVELS.includes(v) ? undefined : 'must be debug, info, warn or error'),
        help: 'agent log level',
    },
    { name: 'GATEWAY_ID', help: 'read-only' },
    { name: 'QUEUE_DEPTH', help: 'read-only' },
    { name: 'SONDE_STATE', help: 'read-only' },
    { name: 'SONDE_SERIAL', help: 'read-only' },
];
/** The reason an Update of `name` to `value` would be rejected by the agent, or undefined. */
export function updateProblem(name, value) {
    const p = KNOWN_PROPERTIES.find((k) => k.name === name);
    if (!p)
        return `${name}: unknown property`;
    if (!p.validate)
        return `${name}: read-only`;
    const problem = p.validate(value);
    return problem === undefined ? undefined : `${name}: ${problem}`;
}
