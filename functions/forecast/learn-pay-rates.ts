import { parseEvent } from '#shared/contracts';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { config, payRateStore } from './config';
import { PAY_RATE_EVENTS } from './pay-rate-store';

// staff.pay-rates-changed → each person's latest rates at the site, the highest version kept. No receipt: the
// conditional put is idempotent, and an archive replay must rewrite rates whose receipts would still be held.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'pay-rates', claimEvents: false }, async (envelope) => {
  const parsed = parseEvent(envelope, PAY_RATE_EVENTS);
  if (!parsed.success) {
    // A contract breach never parses on a retry: logged, not retried into the dead-letter queue.
    logger.error('pay rates rejected', { issues: parsed.issues });
    return;
  }
  const learnt = await payRateStore.learn(parsed.event);
  logger.info(learnt ? 'pay rates learnt' : 'newer pay rates already held', { version: parsed.event.data.version });
});
