// Reads an HTTP answer's body whole, up to a size: a peer that sends more is not the one we meant to ask.
import type { IncomingMessage } from 'node:http';

/** The body; rejects with code `response_too_large` (and destroys the stream) past `limit` bytes. */
export async function readLimited(body: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw Object.assign(new Error('response too large'), { code: 'response_too_large' });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
