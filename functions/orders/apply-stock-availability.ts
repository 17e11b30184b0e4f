import { parseEvent } from '#shared/contracts';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { config } from './config';
import { applyStockAvailability } from './menu';
import { STOCK_AVAILABILITY_EVENTS } from './menu-rules';

// Inventory's word on menu items → 86 for `out-of-stock`, or restore (menu-rules.ts applyStockSignal). Claimed by
// event id; the item's stockVersion also makes an older or repeated word a no-op after the receipt expires.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'stock-availability' }, async (envelope) => {
  const parsed = parseEvent(envelope, STOCK_AVAILABILITY_EVENTS);
  if (!parsed.success) {
    // A contract breach never parses on a retry: logged, not retried into the dead-letter queue.
    logger.error('inventory event rejected', { issues: parsed.issues });
    return;
  }
  const { event } = parsed;
  const { menuItemId, version } = event.data;
  const signal = { available: event.type === 'inventory.item-available', version };
  const outcome = await applyStockAvailability(event.siteId, menuItemId, signal, event.correlationId);
  if (!outcome) logger.warn('inventory event names no menu item of the site', { siteId: event.siteId, menuItemId });
  else logger.info(outcome.applied ? 'stock availability applied' : 'stock availability already newer', { menuItemId, version, available: outcome.item.available });
});
