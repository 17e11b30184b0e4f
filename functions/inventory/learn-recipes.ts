import { parseEvent } from '#shared/contracts';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { reviewAvailability } from './availability';
import { config, itemStore, recipeStore } from './config';
import { recipeProblems } from './recipe-issues';

/** What this consumer subscribes to (functions.yml filter policy; tests/unit/inventory-stores.test.ts). */
export const RECIPE_EVENTS = ['menu.item-changed'] as const;

// Orders' menu.item-changed → the menu item's portion recipe (modifiers apart) in inventory's table, if its
// version is newer than the one stored; then auto-86 judges the item on today's stock. Claimed by event id.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'recipes' }, async (envelope) => {
  const parsed = parseEvent(envelope, RECIPE_EVENTS);
  if (!parsed.success) {
    // A contract breach never parses on a retry: logged, not retried into the dead-letter queue.
    logger.error('menu event rejected', { issues: parsed.issues });
    return;
  }
  const { siteId, data, correlationId } = parsed.event;
  const now = new Date().toISOString();
  const menu = { menuItemId: data.itemId, name: data.name, recipe: data.recipe, active: data.active, menuVersion: data.version };
  const learnt = await recipeStore.learn(siteId, menu, now);
  if (!learnt) {
    logger.info('recipe already newer', { menuItemId: data.itemId, version: data.version });
    return;
  }
  // An ingredient without a stock item is the manager's to fix before the first sale, not after it.
  const items = await itemStore.getMany(siteId, [...new Set(data.recipe.map((line) => line.ingredientId))]);
  const problems = recipeProblems(data.recipe, items);
  await recipeStore.reportProblems(siteId, menu, problems, now);
  const { takenOff, restored } = await reviewAvailability(siteId, { menuItemIds: new Set([data.itemId]) }, correlationId);
  logger.info('recipe learnt', { menuItemId: data.itemId, version: data.version, takenOff, restored, ...problems });
});
