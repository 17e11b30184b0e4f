import { snsEventHandler } from '#shared/sns-consumer';
import { logger } from '#shared/logger';
import { config } from './config';
import { notifyEvent } from './notify';

// order.status-changed to `ready` (the filter policy looks inside the message) → the server who placed the order.
// No receipt per event: the inbox write is the claim (notify.ts).
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'order-ready', claimEvents: false }, async (event) => {
  const { notified } = await notifyEvent(event);
  logger.info('order-ready routed', { notified });
});
