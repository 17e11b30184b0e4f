import type { Context } from 'aws-lambda';
import { logger } from '#shared/logger';
import { watchDevices, type WatchResult } from './monitor';

// Scheduled every minute (serverless-offline runs the schedule locally too): silent devices → offline alerts,
// then the alerts outbox relay. The time is always the function's own clock.
export const handler = async (_event: unknown, context: Context): Promise<WatchResult> => {
  logger.resetKeys();
  logger.appendKeys({ correlationId: context.awsRequestId });
  return watchDevices(Date.now(), context.awsRequestId);
};
