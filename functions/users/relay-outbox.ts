import { relayOutboxHandler } from '#shared/outbox-relay';
import { config, outboxTarget } from './config';

// Scheduled every minute: the directory events whose request could not publish them.
export const handler = relayOutboxHandler(outboxTarget, config.OUTBOX_RELAY_MIN_AGE_SECONDS);
