import { parseEvent } from '#shared/contracts';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { config } from './config';
import { holdForExcursion } from './holds';

/** What this consumer subscribes to on the alerts topic (functions.yml filter policy). Ended excursions release nothing. */
export const HOLD_EVENTS = ['iot.excursion-started'] as const;

// A unit's excursion → a food-safety hold on every storage location it is linked to. Claimed by event id; the hold
// id is deterministic per incident and location, so even a copy under another id opens one hold.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'holds' }, async (envelope) => {
  const parsed = parseEvent(envelope, HOLD_EVENTS);
  if (!parsed.success) {
    // A contract breach never parses on a retry: logged, not retried into the dead-letter queue.
    logger.error('excursion event rejected', { issues: parsed.issues });
    return;
  }
  const result = await holdForExcursion(parsed.event);
  logger.info('excursion handled', { deviceId: parsed.event.data.deviceId, incidentId: parsed.event.data.incidentId, ...result });
});
