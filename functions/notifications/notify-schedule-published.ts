import { snsEventHandler } from '#shared/sns-consumer';
import { logger } from '#shared/logger';
import { config } from './config';
import { notifyEvent } from './notify';

// staff.schedule-published → the person whose shifts were published. No receipt per event: the inbox write is the
// claim (notify.ts), as for order-ready.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'schedule-published', claimEvents: false }, async (event) => {
  const { notified } = await notifyEvent(event);
  logger.info('schedule-published routed', { notified });
});
