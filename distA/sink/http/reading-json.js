export function readingJson(reading) {
    const json = {
        ...reading,
        timeIso: new Date(reading.time).toISOString(),
        receivedAtIso: new Date(reading.receivedAt).toISOString(),
    };
    if (reading.sampledAt !== undefined)
        json.sampledAtIso = new Date(reading.sampledAt).toISOString();
    return json;
}
//# sourceMappingURL=reading-json.js.map