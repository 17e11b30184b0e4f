import { parseEvent } from '#shared/contracts';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { config, salesStore, sitesStore } from './config';
import { SALES_EVENTS, salesDelta } from './sales-rules';

// Orders' paid, refunded and voided events → the site's sales counters (sales-rules.ts decides what each adds).
// No separate claim: the receipt is written in the counters' own transaction (sales-store.ts), so a redelivered
// event counts once and a failed one counts nothing.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'sales', claimEvents: false }, async (envelope) => {
  const parsed = parseEvent(envelope, SALES_EVENTS);
  if (!parsed.success) {
    // A contract breach never parses on a retry: logged, not retried into the dead-letter queue.
    logger.error('orders event rejected', { issues: parsed.issues });
    return;
  }
  const { event } = parsed;
  const site = await sitesStore.get(event.siteId);
  const counted = await salesStore.record(event.siteId, event.id, salesDelta(event, site.timeZone));
  logger.info(counted ? 'sales recorded' : 'sales event already counted', { type: event.type, orderId: event.data.orderId });
});
