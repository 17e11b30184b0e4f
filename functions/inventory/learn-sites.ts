import { parseEvent } from '#shared/contracts';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { config, siteStore } from './config';
import { SITE_EVENTS } from './site-store';

// The users domain's site snapshots → the site's time zone and currency in inventory's table, if newer than the
// one held (versioned, so order and redelivery do not matter). Claimed by event id.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'sites' }, async (envelope) => {
  const parsed = parseEvent(envelope, SITE_EVENTS);
  if (!parsed.success) {
    // A contract breach never parses on a retry: logged, not retried into the dead-letter queue.
    logger.error('site event rejected', { issues: parsed.issues });
    return;
  }
  const site = parsed.event.data;
  const applied = await siteStore.apply(site);
  logger.info(applied ? 'site learnt' : 'site already newer', { siteId: site.siteId, version: site.version });
});
