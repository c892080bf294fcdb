// Readings as they are stored: the latest per gateway (kept in memory for /latest) and subscribers (SSE).
import type { Store, StoredReading } from './store/store.js';

type Listener = (reading: StoredReading) => void;

export class LiveReadings {
  private readonly latestByGateway = new Map<string, StoredReading>();
  private readonly listeners = new Set<{ gateway?: string; listener: Listener }>();

  /** Fills the cache from the store once at start-up; afterwards only publish() changes it. */
  async load(store: Store): Promise<void> {
    for (const gateway of await store.listGateways()) {
      const latest = await store.latestReading(gateway.id);
      if (latest) this.latestByGateway.set(gateway.id, latest);
    }
  }

  latest(gateway: string): StoredReading | undefined {
    return this.latestByGateway.get(gateway);
  }

  /** Called after the readings are durably committed, never before. */
  publish(readings: readonly StoredReading[]): void {
    for (const reading of readings) {
      const current = this.latestByGateway.get(reading.gateway);
      if (!current || reading.time >= current.time) this.latestByGateway.set(reading.gateway, reading);
      for (const { gateway, listener } of this.listeners) {
        if (gateway === undefined || gateway === reading.gateway) listener(reading);
      }
    }
  }

  /** Returns the function that unsubscribes. */
  subscribe(gateway: string | undefined, listener: Listener): () => void {
    const entry = gateway === undefined ? { listener } : { gateway, listener };
    this.listeners.add(entry);
    return () => void this.listeners.delete(entry);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
