// Auto-86, pure: which menu items stock can no longer make one portion of, and which it can make again. Orders
// owns the menu; inventory only announces (inventory.item-unavailable / item-available) and orders 86es or
// restores the item with reason `out-of-stock`. Inventory keeps the set of items it took off itself, so it never
// restores an item a manager 86'd by hand or that sold out on its countdown.
//
// A menu item is short when, for some ingredient, the sellable on-hand (held stock excluded by the caller; all
// locations of the site) is below one portion's quantity, the recipe's quantities of that ingredient summed in
// milli-base units. A recipe with an ingredient inventory does not stock, or in a unit that does not convert, is
// not judged (listed for the manager): an unknown ingredient never takes an item off the menu. An item inventory
// took off is announced available again as soon as it is no longer short, or can no longer be judged (inventory
// then has no reason to hold it off); the caller runs this after every movement that raises stock (a receipt, a
// count, a return), and with only the recipes using the ingredients a movement lowered after depletion or waste.
//
// The recipes are one portion of the menu item without modifiers, as orders knows them: see MenuRecipe.
import { InexactQuantityError, toBaseQuantity, UnitConversionError, type ItemUnits } from './units';

/** One portion of a menu item, as the orders domain would publish it on its menu events. */
export interface MenuRecipe {
  menuItemId: string;
  name: string;
  recipe: ReadonlyArray<{ ingredientId: string; quantity: number; unit: string }>;
}

export interface StockOf {
  item: ItemUnits;
  /** Sellable on-hand over the site's locations, milli-base units. */
  onHand: number;
}

export interface Shortage {
  menuItemId: string;
  name: string;
  short: Array<{ ingredientId: string; perPortion: number; onHand: number }>;
}

export interface Availability {
  /** Short and not yet taken off by inventory: announce item-unavailable. */
  takeOff: Shortage[];
  /** Taken off by inventory and no longer short: announce item-available. */
  restore: string[];
  /** Recipes that could not be judged, and why. */
  unjudged: Array<{ menuItemId: string; ingredientId: string; reason: string }>;
}

type Judgement = { kind: 'short'; shortage: Shortage } | { kind: 'covered' } | { kind: 'unjudged'; ingredientId: string; reason: string };

function judge(menu: MenuRecipe, stock: ReadonlyMap<string, StockOf>): Judgement {
  const perPortion = new Map<string, number>();
  for (const { ingredientId, quantity, unit } of menu.recipe) {
    const held = stock.get(ingredientId);
    if (!held) return { kind: 'unjudged', ingredientId, reason: 'no stock item' };
    try {
      perPortion.set(ingredientId, (perPortion.get(ingredientId) ?? 0) + toBaseQuantity(held.item, quantity, unit));
    } catch (error) {
      if (!(error instanceof UnitConversionError || error instanceof InexactQuantityError)) throw error;
      return { kind: 'unjudged', ingredientId, reason: error.message };
    }
  }
  const short = [...perPortion]
    .filter(([ingredientId, needed]) => stock.get(ingredientId)!.onHand < needed)
    .map(([ingredientId, needed]) => ({ ingredientId, perPortion: needed, onHand: stock.get(ingredientId)!.onHand }));
  return short.length > 0 ? { kind: 'short', shortage: { menuItemId: menu.menuItemId, name: menu.name, short } } : { kind: 'covered' };
}

/** What to announce for `recipes`, given the stock and the items inventory has already taken off. */
export function menuAvailability(recipes: readonly MenuRecipe[], stock: ReadonlyMap<string, StockOf>, takenOff: ReadonlySet<string>): Availability {
  const result: Availability = { takeOff: [], restore: [], unjudged: [] };
  for (const menu of recipes) {
    const judgement = judge(menu, stock);
    if (judgement.kind === 'unjudged') result.unjudged.push({ menuItemId: menu.menuItemId, ingredientId: judgement.ingredientId, reason: judgement.reason });
    if (judgement.kind === 'short' && !takenOff.has(menu.menuItemId)) result.takeOff.push(judgement.shortage);
    if (judgement.kind !== 'short' && takenOff.has(menu.menuItemId)) result.restore.push(menu.menuItemId);
  }
  return result;
}

/** The recipes that use any of `ingredientIds`: the only ones a movement of those can change. */
export const recipesUsing = (recipes: readonly MenuRecipe[], ingredientIds: ReadonlySet<string>): MenuRecipe[] =>
  recipes.filter((menu) => menu.recipe.some((c) => ingredientIds.has(c.ingredientId)));
