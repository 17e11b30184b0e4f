import { parseEvent } from '#shared/contracts';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { config } from './config';
import { depleteFromEvent } from './depletion';
import { DEPLETING_EVENTS } from './depletion-rules';

// Orders events that move stock (functions.yml filter policy) → sale, sale-return and voided-waste movements.
// No receipt per event: the order's depletion record, written with the movements, is the claim (depletion.ts).
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'depletion', claimEvents: false }, async (envelope) => {
  const parsed = parseEvent(envelope, DEPLETING_EVENTS);
  if (!parsed.success) {
    // A contract breach never parses on a retry: logged, not retried into the dead-letter queue.
    logger.error('orders event rejected', { issues: parsed.issues });
    return;
  }
  const { replay, movements } = await depleteFromEvent(parsed.event);
  logger.info(replay ? 'orders event already applied' : 'stock depleted', { movements });
});
