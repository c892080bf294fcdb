// The wire codec as the sender uses it: native dialect out, limits on what comes back.

import { decodeContainer, encodeContainer } from '../../protocol/index.js';
import type { ContainerCodec } from './sender.js';

/** A response carries acks and a handful of commands: a few hundred kilobytes is already generous. */
const RESPONSE_LIMITS = { maxBytes: 4 * 1024 * 1024, maxMessages: 1000 };

export const nativeCodec: ContainerCodec = {
  encode: (container) => encodeContainer(container),
  decode: (body) => decodeContainer(body, RESPONSE_LIMITS),
};
