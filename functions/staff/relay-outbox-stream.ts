import { outboxStreamHandler } from '#shared/outbox-relay';
import { outboxTarget } from './config';

// Invoked by the staff table's stream with new outbox items only: publishes each tap's event seconds after it
// committed, off the request path.
export const handler = outboxStreamHandler(outboxTarget);
