import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '#shared/logger';
import { metricsFlush } from '#shared/metrics';
import { archiveStore, config, targetInvoker } from './config';
import { replayArchivedEvents, type ReplayResult } from './replay';
import { parseReplayRequest } from './replay-rules';

/** What the run leaves itself after its budget: the last batch in flight must finish inside the function's timeout. */
const SAFETY_MARGIN_MS = 30_000;

// Invoked directly (Lambda Invoke, no HTTP route: scripts/replay.ts, or another function of the stage): a site's
// archived events → the target function, in order, in batches (replay.ts). A bad request throws a
// ReplayRequestError, which the caller receives as the invocation's error.
export const handler = middy<unknown, ReplayResult>()
  .use(metricsFlush())
  .handler(async (event, context: Context) => {
    logger.resetKeys();
    const request = parseReplayRequest(event, config.ARCHIVE_REPLAY_TARGETS);
    logger.appendKeys({ correlationId: context.awsRequestId, siteId: request.siteId, target: request.target });
    const deadline = Date.now() + Math.min(config.ARCHIVE_REPLAY_BUDGET_SECONDS * 1000, context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS);
    const result = await replayArchivedEvents(request, {
      reader: archiveStore,
      invoker: targetInvoker,
      remainingMs: () => deadline - Date.now(),
    });
    const log = 'failed' in result ? logger.warn.bind(logger) : logger.info.bind(logger);
    log('replay run finished', { replayed: result.replayed, done: result.done, ...('failed' in result && { error: result.failed.error }) });
    return result;
  });
