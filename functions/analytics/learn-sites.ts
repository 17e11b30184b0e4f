import { parseEvent } from '#shared/contracts';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { config, sitesStore } from './config';
import { SITE_EVENTS } from './sites-store';

// The users domain's site snapshots → each site's time zone and currency; orders' `menu.settings-changed` → its
// business-day rule. Each applied only if newer than the one held (versioned, so order and redelivery do not
// matter). Claimed by event id.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'sites' }, async (envelope) => {
  const parsed = parseEvent(envelope, SITE_EVENTS);
  if (!parsed.success) {
    // A contract breach never parses on a retry: logged, not retried into the dead-letter queue.
    logger.error('site event rejected', { issues: parsed.issues });
    return;
  }
  const { event } = parsed;
  const applied = event.type === 'menu.settings-changed' ? await sitesStore.applyBusinessDay(event.siteId, event.data) : await sitesStore.apply(event.data);
  logger.info(applied ? 'site learnt' : 'site already newer', { type: event.type, version: event.data.version });
});
