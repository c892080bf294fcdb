// The protocol package: the message model and its XML codec, shared by agent and sink.
export * from './model.js';
export * from './errors.js';
export { encodeContainer, writeContainer, type Dialect, type EncodeOptions } from './encode.js';
export { decodeContainer, ContainerDecoder, DEFAULT_LIMITS, type DecodeLimits } from './decode.js';
export { encodeLegacyForm, decodeLegacyForm, LEGACY_FORM_FIELD, LEGACY_FORM_CONTENT_TYPE } from './legacy-form.js';
export { formatContainerTime, parseContainerTime } from './time-format.js';
export { renderRawLine, parseRawLayout, type RawLayout } from './raw-layout.js';
export { sondeTimeToUtc, type SondeClock, type DateOrder } from './sonde-clock.js';
export { readingSequences, messageSequences, lastSequence, measureMessageId } from './sequences.js';
