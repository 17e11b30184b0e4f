// Auto-86: after stock moved, which menu items it can no longer make one portion of, and which it can make again.
// Run from the stream relay once a movement's events are published (relay-outbox-stream.ts), and when a recipe is
// learnt (learn-recipes.ts); not in the movement's transaction: a sale would then read every recipe using its
// ingredients and every on-hand row of their other ingredients, and a burst of sales of one dish would conflict on
// the recipe records as well as on the on-hand row (docs/inventory.md, "Auto-86").
//
// A review reads the recipes in scope, their stock items and on-hand rows, and commits what availability-plan.ts
// makes of them in ONE transaction, conditional on the recipes' availability versions and on the on-hand rows it
// judged. A movement or another review committed in between fails it: the review re-reads and decides again, so
// an announcement always matches the stock it commits against, and a menu item's availability version only goes up.
import { retryOnConflict } from '#shared/dynamodb';
import { recipesUsing } from './auto-86-rules';
import { planAvailability } from './availability-plan';
import { config, holdStore, itemStore, recipeStore, stockStore } from './config';
import type { RecipeRecord } from './recipe-store';

const REVIEW_ATTEMPTS = 20;

/**
 * Which recipes to judge: those using ingredients that moved, given menu items (a recipe just learnt), or the whole
 * menu (the scheduled safety net: what no movement triggered, such as a review that kept failing).
 */
export type ReviewScope = { ingredientIds: ReadonlySet<string> } | { menuItemIds: ReadonlySet<string> } | { wholeMenu: true };

function inScope(recipes: RecipeRecord[], scope: ReviewScope): RecipeRecord[] {
  if ('wholeMenu' in scope) return recipes;
  if ('menuItemIds' in scope) return recipes.filter((r) => scope.menuItemIds.has(r.menuItemId));
  const using = new Set(recipesUsing(recipes, scope.ingredientIds).map((r) => r.menuItemId));
  return recipes.filter((r) => using.has(r.menuItemId));
}

/** Announces what changed for the recipes in `scope`; returns the menu items taken off and given back. */
export async function reviewAvailability(siteId: string, scope: ReviewScope, correlationId: string): Promise<{ takenOff: string[]; restored: string[] }> {
  const announced = { takenOff: [] as string[], restored: [] as string[] };
  for (;;) {
    const { takenOff, restored, more } = await reviewOnce(siteId, scope, correlationId);
    announced.takenOff.push(...takenOff);
    announced.restored.push(...restored);
    if (!more) return announced;
  }
}

function reviewOnce(siteId: string, scope: ReviewScope, correlationId: string): Promise<{ takenOff: string[]; restored: string[]; more: boolean }> {
  return retryOnConflict(
    async () => {
      // Deactivated menu items are orders' business; inventory judges what is on the menu.
      const recipes = inScope(await recipeStore.all(siteId), scope).filter((r) => r.active);
      if (recipes.length === 0) return { takenOff: [], restored: [], more: false };
      const ingredientIds = [...new Set(recipes.flatMap((r) => r.recipe.map((c) => c.ingredientId)))];
      const [items, open] = await Promise.all([itemStore.getMany(siteId, ingredientIds), holdStore.openHolds(siteId)]);
      const rows = new Map(await Promise.all([...items.keys()].map(async (itemId) => [itemId, await stockStore.onHandOf(siteId, itemId)] as const)));
      // Held stock is not sellable. A hold opened or released after this read is followed by a review of its items.
      const heldLocations = new Set(open.keys());
      const plan = planAvailability(config.TABLE_NAME, siteId, { recipes, items, rows, heldLocations }, new Date().toISOString(), correlationId);
      if (plan.events.length > 0) await stockStore.commit(plan.writes, plan.events);
      return plan;
    },
    { attempts: REVIEW_ATTEMPTS, baseDelayMs: 20 },
  );
}
