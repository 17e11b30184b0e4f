import { logger } from '#shared/logger';
import { relayOutbox } from '#shared/outbox';
import { config, outboxTarget } from './config';

// Scheduled every minute: publishes the events whose request could not (SNS down, Lambda ended early).
export const handler = async (): Promise<{ published: number; failed: number }> => {
  logger.resetKeys(); // a run of its own, not the last request's context
  const result = await relayOutbox({ ...outboxTarget, minAgeMs: config.OUTBOX_RELAY_MIN_AGE_SECONDS * 1000 });
  if (result.published + result.failed > 0) logger.info('outbox relayed', { ...result });
  return result;
};
