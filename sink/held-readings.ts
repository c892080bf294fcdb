// What a gateway still holds after an upload. Its reported queueDepth counts the queue entries (a reading or
// another message each) not yet acknowledged when it prepared the upload, the upload's own included; once
// the upload is stored those are no longer held.
import type { MessagesContainer } from '../protocol/model.js';

export function heldAfterUpload(container: MessagesContainer): number | undefined {
  if (container.queueDepth === undefined) return undefined;
  const carried = container.messages.reduce(
    (n, m) => n + (m.body.type === 'SondeDataContainer' ? m.body.readings.length : 1),
    0,
  );
  return Math.max(0, container.queueDepth - carried);
}
