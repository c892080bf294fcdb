// The protocol package: the message model and its XML codec, shared by agent and sink.
export * from './model.js';
export * from './errors.js';
export { encodeContainer, writeContainer } from './encode.js';
export { decodeContainer, ContainerDecoder, DEFAULT_LIMITS } from './decode.js';
export { encodeLegacyForm, decodeLegacyForm, LEGACY_FORM_FIELD, LEGACY_FORM_CONTENT_TYPE } from './legacy-form.js';
export { formatContainerTime, parseContainerTime } from './time-format.js';
export { renderRawLine, parseRawLayout } from './raw-layout.js';
export { sondeTimeToUtc } from './sonde-clock.js';
export { readingSequences, messageSequences, lastSequence, measureMessageId } from './sequences.js';
//# sourceMappingURL=index.js.map