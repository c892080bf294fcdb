// What the routes work with, assembled once by sink.ts.
import type { Logger } from '../../common/log.js';
import type { SinkConfig } from '../config.js';
import type { IngestPipeline } from '../ingest.js';
import type { LiveReadings } from '../live.js';
import type { SinkMetrics } from '../metrics.js';
import type { Store } from '../store/store.js';
import type { RequestDecoder } from './request-decoder.js';

export interface SinkServices {
  config: SinkConfig;
  store: Store;
  pipeline: IngestPipeline;
  decoder: RequestDecoder;
  live: LiveReadings;
  metrics: SinkMetrics;
  logger: Logger;
}
