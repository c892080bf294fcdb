// `dsp-sink copy --from DB --to DB`: moving a network to another database (sink/store/copy.ts does the work).
// Progress is logged as JSON lines; the summary (one JSON object) goes to stdout at the end.
import * as v from 'valibot';
import { issuesText } from '../common/schema-issues.js';
import { ConfigError, DbSchema } from './config.js';
import { integerIn } from './field-schemas.js';
import { copyNetwork, DEFAULT_COPY_BATCH } from './store/copy.js';
const CopyArgsSchema = v.strictObject({
    from: DbSchema,
    to: DbSchema,
    batchSize: v.optional(integerIn(1, 100_000), DEFAULT_COPY_BATCH),
});
/** Returns the exit code: 0 copied and verified. Refusals throw (CopyRefusedError: exit 1). */
export async function copyCommand(args, logger, out, store) {
    const input = {
        from: args.from,
        to: args.to,
        ...(args.batchSize === undefined
            ? {}
            : { batchSize: /^\d{1,9}$/.test(args.batchSize) ? Number(args.batchSize) : args.batchSize }),
    };
    const parsed = v.safeParse(CopyArgsSchema, input);
    if (!parsed.success) {
        // Field names as the options are written; the URLs themselves are never repeated (passwords).
        throw new ConfigError(issuesText(parsed.issues, { echo: false })
            .replace(/\bbatchSize\b/, '--batch-size')
            .replace(/^(from|to)\b/, '--$1'));
    }
    const { from, to, batchSize } = parsed.output;
    let last = Date.now();
    const report = await copyNetwork(from, to, {
        batchSize,
        store,
        onBatch: (table, copied) => {
            // One line every few seconds is enough to see a long copy move.
            if (Date.now() - last < 2000)
                return;
            last = Date.now();
            logger.info('copying', { table, copied });
        },
    });
    logger.info('copy verified', { network: report.networkId, copied: report.copied });
    out(JSON.stringify({
        network: report.networkId,
        adopted: report.adopted,
        copied: report.copied,
        rows: report.census.tables,
    }));
    return 0;
}
//# sourceMappingURL=copy-command.js.map