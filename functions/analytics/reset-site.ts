import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { siteIdSchema } from '#shared/identity';
import { logger } from '#shared/logger';
import { metricsFlush } from '#shared/metrics';
import { config } from './config';
import { resetSiteFigures, type ResetResult } from './rebuild';

const requestSchema = z.strictObject({ siteId: siteIdSchema });

// Invoked directly by `npm run analytics:rebuild` (scripts/analytics-rebuild.ts), never on HTTP: deletes a site's
// figures under a new epoch before the archive replays its events (rebuild.ts).
export const handler = middy<unknown, ResetResult>()
  .use(metricsFlush())
  .handler(async (event, context: Context) => {
    logger.resetKeys();
    const parsed = requestSchema.safeParse(event);
    if (!parsed.success) throw new Error(`resetAnalyticsSite takes { siteId }: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    logger.appendKeys({ correlationId: context.awsRequestId, siteId: parsed.data.siteId });
    const result = await resetSiteFigures(config.TABLE_NAME, parsed.data.siteId);
    logger.info('analytics figures reset', { ...result });
    return result;
  });
