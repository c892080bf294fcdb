// The sonde driver's public surface (docs/sonde-driver.md).
export { SondeDriver } from './sonde-driver.js';
export { startInProcessSimulator } from './simulator/in-process.js';
export { SondeSimulator, } from './simulator/sonde-simulator.js';
export { SondeParser } from './parser.js';
export { LineFramer } from './framer.js';
export { MIN_INTERVAL_S, MAX_INTERVAL_S } from './session.js';
export { registerSondeMetrics } from './metrics.js';
export { isSondeFile, readSondeFile, SondeFileError, } from './sonde-file-reader.js';
export { writeSondeFile } from './sonde-file-writer.js';
export { readSondeInput } from './sonde-input.js';
//# sourceMappingURL=index.js.map