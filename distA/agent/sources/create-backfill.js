// The backfill when the sonde logs what it streams (sonde.log_to_memory, active mode, a driver that can read
// its log back); null otherwise. Its mark lives in <data_dir>/backfill-mark.json.
import path from 'node:path';
import { Backfill } from './backfill.js';
import { BACKFILL_MARK_FILE, BackfillMarkFile } from './backfill-mark.js';
export function createBackfill(driver, config, metrics, logger, queue) {
    const readLog = driver.readLog?.bind(driver);
    if (!config.sonde.logToMemory || config.sonde.mode !== 'active' || !readLog)
        return null;
    const log = logger.child({ component: 'backfill' });
    return new Backfill({
        readLog,
        queue,
        mark: new BackfillMarkFile(path.join(config.dataDir, BACKFILL_MARK_FILE), log),
        metrics,
        logger: log,
    });
}
//# sourceMappingURL=create-backfill.js.map