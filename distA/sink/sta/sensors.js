// The sondes of each station, from the SensorDescription events the agents sent (docs/protocol.md §3.4):
// a Sensor per sonde and span of time. A station's first reported sonde also owns the readings before its
// report; each later one owns the readings from its report on, until the next different sonde was reported.
import * as v from 'valibot';
import { CONTENT_TYPES } from '../../protocol/model.js';
const Text = v.pipe(v.string(), v.maxLength(64));
const DescriptionBody = v.object({
    type: v.literal('DSProperties'),
    properties: v.pipe(v.array(v.object({ name: Text, value: v.optional(Text) })), v.maxLength(32)),
});
/** Serial number and model of a stored description; undefined when the body is not one. */
function describe(message) {
    const body = v.safeParse(DescriptionBody, message.body);
    if (!body.success)
        return undefined;
    const value = (name) => body.output.properties.find((p) => p.name === name)?.value;
    const serialNumber = value('serialNumber');
    if (!serialNumber)
        return undefined;
    return { serialNumber, model: value('model') ?? 'unknown' };
}
/** The spans of every station's sondes, from its stored descriptions (ordered by gateway and time). */
export function sensorSpans(messages) {
    const byGateway = new Map();
    for (const message of messages) {
        const description = describe(message);
        if (!description)
            continue;
        const reportedAt = message.createdAt ?? message.receivedAt;
        const spans = byGateway.get(message.gateway) ?? [];
        byGateway.set(message.gateway, spans);
        const last = spans.at(-1);
        if (last?.serialNumber === description.serialNumber)
            continue; // reported again (agent restart)
        if (last)
            last.to = reportedAt;
        let id = `${message.gateway}:${description.serialNumber}`;
        if (spans.some((s) => s.id === id))
            id = `${id}~${reportedAt}`;
        spans.push({ id, gateway: message.gateway, ...description, reportedAt, ...(last ? { from: reportedAt } : {}) });
    }
    return byGateway;
}
export async function loadSensorSpans(store) {
    return sensorSpans(await store.messagesOfContentType(CONTENT_TYPES.sensorDescription));
}
//# sourceMappingURL=sensors.js.map