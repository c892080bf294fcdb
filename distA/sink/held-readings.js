export function heldAfterUpload(container) {
    if (container.queueDepth === undefined)
        return undefined;
    const carried = container.messages.reduce((n, m) => n + (m.body.type === 'SondeDataContainer' ? m.body.readings.length : 1), 0);
    return Math.max(0, container.queueDepth - carried);
}
//# sourceMappingURL=held-readings.js.map