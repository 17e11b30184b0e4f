import { relayOutboxHandler } from '#shared/outbox-relay';
import { config, outboxTarget } from './config';
import { inventoryOutboxDeps } from './low-stock-publishing';

// Scheduled every minute: the inventory events the stream relay could not publish (alerts to the alerts topic).
export const handler = relayOutboxHandler(outboxTarget, config.OUTBOX_RELAY_MIN_AGE_SECONDS, inventoryOutboxDeps(config.ALERTS_TOPIC_ARN));
