import * as z from 'zod';
import { csvList, loadConfig } from '#shared/config';
import { retentionDaysSchema } from './archive-rules';
import { ArchiveStore } from './archive-store';
import { LambdaTargetInvoker } from './target-invoker';

export const config = loadConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    /** How long an event is kept, counted from when it happened (docs/archive.md). */
    ARCHIVE_RETENTION_DAYS: retentionDaysSchema,
    /** The functions a replay may invoke, by their names in functions.yml; resources.yml grants exactly these. */
    ARCHIVE_REPLAY_TARGETS: csvList,
    /** A replay run pauses after this long and answers a cursor; the function's timeout leaves room after it. */
    ARCHIVE_REPLAY_BUDGET_SECONDS: z.coerce.number().int().min(1).max(840).default(600),
    /** `brigade-<stage>`: a target's deployed name is `<prefix>-<target>`. */
    FUNCTION_PREFIX: z.string().min(1),
  }),
);

export const archiveStore = new ArchiveStore(config.TABLE_NAME);
export const targetInvoker = new LambdaTargetInvoker(config.FUNCTION_PREFIX);
