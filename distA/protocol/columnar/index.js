// The columnar container encoding (docs/protocol.md §11): negotiated between agents and sinks of this system.
export { COLUMNAR_CONTENT_TYPE } from './format.js';
export { encodeColumnar } from './encode.js';
export { decodeColumnar, DEFAULT_COLUMNAR_LIMITS } from './decode.js';
//# sourceMappingURL=index.js.map