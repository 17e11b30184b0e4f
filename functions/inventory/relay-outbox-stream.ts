import { outboxStreamHandler } from '#shared/outbox-relay';
import { outboxTarget } from './config';

// Invoked by the inventory table's stream with new outbox items only (functions.yml filter): movements and
// depletions commit their events and return; this publishes them to SNS seconds later.
export const handler = outboxStreamHandler(outboxTarget);
