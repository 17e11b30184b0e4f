import { snsEventHandler } from '#shared/sns-consumer';
import { logger } from '#shared/logger';
import { config } from './config';
import { notifyEvent } from './notify';

// IoT alerts from the alerts topic (filter policy in functions.yml) → inboxes, realtime, SMS, email, escalation.
// No receipt per event: each recipient's inbox write is the claim (notify.ts), so a receipt would be a second one.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'alerts', claimEvents: false }, async (event) => {
  const { notified } = await notifyEvent(event);
  logger.info('alert routed', { notified });
});
