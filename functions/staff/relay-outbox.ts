import { relayOutboxHandler } from '#shared/outbox-relay';
import { config, outboxTarget } from './config';

// Scheduled every minute: the staff events the stream relay could not publish.
export const handler = relayOutboxHandler(outboxTarget, config.OUTBOX_RELAY_MIN_AGE_SECONDS);
