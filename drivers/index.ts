// The sonde driver's public surface (docs/sonde-driver.md).
export { SondeDriver, type SondeDriverEvents } from './sonde-driver.js';
export type {
  BindingInterface,
  DateFormat,
  DriverMode,
  DriverReading,
  DriverState,
  DriverStatus,
  IntervalOutcome,
  LayoutName,
  RejectedLine,
  RejectReason,
  SondeDriverOptions,
  UploadFormat,
} from './types.js';
export { startInProcessSimulator, type InProcessSimulator } from './simulator/in-process.js';
export {
  SondeSimulator,
  type SimulatedReading,
  type SimulatorOptions,
  type FaultOptions,
} from './simulator/sonde-simulator.js';
export { SondeParser, type ParserOptions, type ParseResult } from './parser.js';
export { LineFramer, type Frame } from './framer.js';
export { MIN_INTERVAL_S, MAX_INTERVAL_S } from './session.js';
export { registerSondeMetrics } from './metrics.js';
export {
  isSondeFile,
  readSondeFile,
  SondeFileError,
  type SondeFile,
  type SondeFileChannel,
  type SondeFileHeader,
  type SondeFileStop,
} from './sonde-file-reader.js';
export { writeSondeFile, type SondeFileContent } from './sonde-file-writer.js';
export { readSondeInput, type SondeInput } from './sonde-input.js';
