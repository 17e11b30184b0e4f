import { parseEvent } from '#shared/contracts';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { config, recipeStore } from './config';
import { RECIPE_EVENTS } from './recipe-store';

// menu.item-changed → the item's recipes, the highest version kept. No receipt: the conditional put is idempotent, and
// an archive replay must rewrite recipes whose receipts would still be held.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'recipes', claimEvents: false }, async (envelope) => {
  const parsed = parseEvent(envelope, RECIPE_EVENTS);
  if (!parsed.success) {
    // A contract breach never parses on a retry: logged, not retried into the dead-letter queue.
    logger.error('menu item rejected', { issues: parsed.issues });
    return;
  }
  const learnt = await recipeStore.learn(parsed.event);
  logger.info(learnt ? 'recipe learnt' : 'same or newer recipe already held', { itemId: parsed.event.data.itemId, version: parsed.event.data.version });
});
