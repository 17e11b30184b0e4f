import { parseEvent } from '#shared/contracts';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { config, dailySeriesStore, runStore } from './config';
import { FORECAST_EVENTS } from './daily-series-store';

// analytics.daily-figures → the site's daily series, the newest figures per day kept. No receipt: the conditional
// put is idempotent, and an archive replay must rewrite days whose receipts would still be held.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'daily-figures', claimEvents: false }, async (envelope) => {
  const parsed = parseEvent(envelope, FORECAST_EVENTS);
  if (!parsed.success) {
    // A contract breach never parses on a retry: logged, not retried into the dead-letter queue.
    logger.error('daily figures rejected', { issues: parsed.issues });
    return;
  }
  const learnt = await dailySeriesStore.learn(parsed.event);
  if (learnt) await runStore.noteLearntDay(parsed.event.siteId, parsed.event.data.date);
  logger.info(learnt ? 'daily figures learnt' : 'newer figures already held', { date: parsed.event.data.date });
});
