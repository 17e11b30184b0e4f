// What one auto-86 review writes, pure: from the recipes in scope, their stock items and on-hand rows as read, the
// transaction of the decision (auto-86-rules.ts decides): each changed recipe record at its next availability
// version (conditional on the version read), a check that every on-hand row of the changed items' ingredients is
// still the version read (and that a location with no row read still has none), and the
// inventory.item-unavailable / item-available events. availability.ts reads and commits it.
import type { EventEnvelope } from '#shared/events';
import type { TransactItem } from '#shared/outbox';
import { menuAvailability, type StockOf } from './auto-86-rules';
import { itemAvailable, itemUnavailable } from './events';
import { RecipeStore, type RecipeRecord } from './recipe-store';
import type { ItemRecord } from './schemas';
import type { OnHandRow } from './stock-store';
import { inventoryKeys } from './table';
import type { BaseUnit } from './units';

/**
 * Menu items per transaction: each is a recipe update and an event, plus a check of every on-hand row of its
 * ingredients; 10 keeps a transaction well under DynamoDB's 100 items for recipes of a few ingredients.
 */
export const PLAN_LIMIT = 10;
/** DynamoDB's limit on one transaction's items; the events go in it too, one outbox item each. */
const TRANSACTION_ITEMS = 100;

export interface AvailabilityRead {
  /** Recipes in scope, active ones only. */
  recipes: RecipeRecord[];
  items: ReadonlyMap<string, ItemRecord>;
  /** On-hand rows per item, by location. */
  rows: ReadonlyMap<string, ReadonlyMap<string, OnHandRow>>;
  /** Locations under a food-safety hold (hold-rules.ts): their stock is not sellable. */
  heldLocations?: ReadonlySet<string>;
}

export interface AvailabilityPlan {
  writes: TransactItem[];
  events: EventEnvelope[];
  takenOff: string[];
  restored: string[];
  /** More changes than `limit` were found: review again after committing this plan. */
  more: boolean;
}

/**
 * Sellable stock per ingredient over the site's locations, held locations apart; archived items are not stock
 * (their recipes are not judged).
 */
export function stockFor({ items, rows, heldLocations }: Pick<AvailabilityRead, 'items' | 'rows' | 'heldLocations'>): Map<string, StockOf> {
  const stock = new Map<string, StockOf>();
  for (const [itemId, item] of items) {
    if (item.archived) continue;
    const sellable = [...(rows.get(itemId)?.values() ?? [])].filter((row) => !heldLocations?.has(row.location));
    const onHand = sellable.reduce((sum, row) => sum + row.quantity, 0);
    stock.set(itemId, { item, onHand });
  }
  return stock;
}

/**
 * The transaction of the first `limit` menu items whose availability changes (take-offs first): a menu where
 * one receipt gives back dozens of items is announced over several transactions (availability.ts loops).
 */
export function planAvailability(table: string, siteId: string, read: AvailabilityRead, now: string, correlationId: string, limit = PLAN_LIMIT): AvailabilityPlan {
  const { recipes, items, rows } = read;
  const takenOffBefore = new Set(recipes.filter((r) => r.takenOff).map((r) => r.menuItemId));
  const all = menuAvailability(recipes, stockFor(read), takenOffBefore);
  const takeOff = all.takeOff.slice(0, limit);
  const decision = { takeOff, restore: all.restore.slice(0, limit - takeOff.length) };
  const store = new RecipeStore(table);
  const byId = new Map(recipes.map((r) => [r.menuItemId, r]));
  const units = new Map<string, BaseUnit>([...items].map(([itemId, item]) => [itemId, item.baseUnit]));
  const writes: TransactItem[] = [];
  const events: EventEnvelope[] = [];
  const judged = new Set<string>();
  for (const shortage of decision.takeOff) {
    const record = byId.get(shortage.menuItemId)!;
    writes.push(store.availabilityWrite(siteId, record, true, now));
    events.push(itemUnavailable(siteId, shortage, units, record.availabilityVersion + 1, correlationId));
    record.recipe.forEach((c) => judged.add(c.ingredientId));
  }
  for (const menuItemId of decision.restore) {
    const record = byId.get(menuItemId)!;
    writes.push(store.availabilityWrite(siteId, record, false, now));
    events.push(itemAvailable(siteId, record, record.availabilityVersion + 1, correlationId));
    record.recipe.forEach((c) => judged.add(c.ingredientId));
  }
  // The stock the decision rests on: a movement committed since the read fails the transaction, and the review
  // decides again on the new stock. That includes a location where no row was read: an item's first receipt there
  // creates one, and a review that read nothing would otherwise 86 the dish on the empty stock after it (a receipt's
  // own review, seeing the dish still on, would announce nothing).
  for (const itemId of judged) {
    const read = rows.get(itemId) ?? new Map<string, OnHandRow>();
    for (const row of read.values()) {
      writes.push({
        ConditionCheck: {
          TableName: table,
          Key: inventoryKeys.onHand(siteId, row.itemId, row.location),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': row.version },
        },
      });
    }
    const locations = items.get(itemId)?.locations ?? [];
    for (const location of locations) {
      if (read.has(location)) continue;
      writes.push({ ConditionCheck: { TableName: table, Key: inventoryKeys.onHand(siteId, itemId, location), ConditionExpression: 'attribute_not_exists(pk)' } });
    }
    // Locations are only ever added (PATCH addLocations): one added since the read may already hold a receipt.
    if (locations.length > 0) {
      writes.push({
        ConditionCheck: {
          TableName: table,
          Key: inventoryKeys.item(siteId, itemId),
          ConditionExpression: 'size(locations) = :count',
          ExpressionAttributeValues: { ':count': locations.length },
        },
      });
    }
  }
  // Many ingredients at many locations: fewer menu items per transaction until it fits (the rest comes next round).
  if (writes.length + events.length > TRANSACTION_ITEMS && limit > 1) return planAvailability(table, siteId, read, now, correlationId, limit - 1);
  const more = all.takeOff.length + all.restore.length > takeOff.length + decision.restore.length;
  return { writes, events, takenOff: decision.takeOff.map((s) => s.menuItemId), restored: decision.restore, more };
}
