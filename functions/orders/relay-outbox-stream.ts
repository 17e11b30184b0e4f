import { outboxStreamHandler } from '#shared/outbox-relay';
import { outboxTarget } from './config';

// Invoked by the orders table's stream with new outbox items only (functions.yml filter): publishes them to SNS
// seconds, not minutes, after the order committed, and off the request path.
export const handler = outboxStreamHandler(outboxTarget);
