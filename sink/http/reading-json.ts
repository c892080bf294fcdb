// A reading as the data API shows it in JSON: the stored fields (times as epoch ms) and the same times as
// ISO 8601 UTC text beside them, for people and for tools that do not read epoch numbers.
import type { StoredReading } from '../store/store.js';

export type ReadingJson = StoredReading & { timeIso: string; receivedAtIso: string; sampledAtIso?: string };

export function readingJson(reading: StoredReading): ReadingJson {
  const json: ReadingJson = {
    ...reading,
    timeIso: new Date(reading.time).toISOString(),
    receivedAtIso: new Date(reading.receivedAt).toISOString(),
  };
  if (reading.sampledAt !== undefined) json.sampledAtIso = new Date(reading.sampledAt).toISOString();
  return json;
}
