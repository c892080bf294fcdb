export class LiveReadings {
    latestByGateway = new Map();
    listeners = new Set();
    /** Fills the cache from the store once at start-up; afterwards only publish() changes it. */
    async load(store) {
        for (const gateway of await store.listGateways()) {
            const latest = await store.latestReading(gateway.id);
            if (latest)
                this.latestByGateway.set(gateway.id, latest);
        }
    }
    latest(gateway) {
        return this.latestByGateway.get(gateway);
    }
    /** Called after the readings are durably committed, never before. */
    publish(readings) {
        for (const reading of readings) {
            const current = this.latestByGateway.get(reading.gateway);
            if (!current || reading.time >= current.time)
                this.latestByGateway.set(reading.gateway, reading);
            for (const { gateway, listener } of this.listeners) {
                if (gateway === undefined || gateway === reading.gateway)
                    listener(reading);
            }
        }
    }
    /** Returns the function that unsubscribes. */
    subscribe(gateway, listener) {
        const entry = gateway === undefined ? { listener } : { gateway, listener };
        this.listeners.add(entry);
        return () => void this.listeners.delete(entry);
    }
    get subscribers() {
        return this.listeners.size;
    }
}
//# sourceMappingURL=live.js.map