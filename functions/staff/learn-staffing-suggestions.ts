import { parseEvent } from '#shared/contracts';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { config, staffingSuggestionStore } from './config';
import { STAFFING_SUGGESTION_EVENTS } from './staffing-suggestion-store';

// forecast.staffing-suggested → the newest run's suggestion per site and day, shown beside the schedule. No receipt:
// the conditional puts are idempotent.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'staffing-suggestions', claimEvents: false }, async (envelope) => {
  const parsed = parseEvent(envelope, STAFFING_SUGGESTION_EVENTS);
  if (!parsed.success) {
    // A contract breach never parses on a retry: logged, not retried into the dead-letter queue.
    logger.error('staffing suggestion rejected', { issues: parsed.issues });
    return;
  }
  const kept = await staffingSuggestionStore.learn(parsed.event);
  logger.info('staffing suggestion learnt', { runId: parsed.event.data.runId, days: parsed.event.data.days.length, kept });
});
