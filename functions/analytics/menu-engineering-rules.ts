// Menu engineering (Kasavana & Smith), pure: each menu item sold over a range placed by popularity × contribution
// margin into one of four classes.
//
//              high margin   low margin
//   popular    star          plowhorse
//   unpopular  puzzle        dog
//
// Popular: the item's share of the portions sold is at least 70 % of an even share (1 ÷ the number of items sold in
// the range). High margin: its contribution margin per portion is at least the portion-weighted average margin of
// the items whose food cost is known. Both tests are exact integer comparisons, and a tie counts as popular / high.
//
// Food cost of a portion = the item's current recipe (its newest `menu.item-changed`; modifiers are ignored: the
// counters do not say which modifiers were sold) × each ingredient's current average cost (inventory's, minor units
// per 1 000 base units). Recipes may say kg or l where inventory keeps g or ml: kg → g and l → ml are × 1 000; a
// recipe unit of another dimension than the ingredient's base unit (each vs g) cannot be costed here. An item whose
// recipe is unknown or empty, or names an ingredient without a known cost, has no food cost and no class, with a
// `reason`: guessing 100 % margin would make it a false star.
import type { ItemFigures } from './sales-store';
import type { IngredientCost, MenuItemState } from './state-store';

export type MenuClass = 'star' | 'plowhorse' | 'puzzle' | 'dog';
export type Recipe = MenuItemState['recipe'];
type RecipeUnit = Recipe[number]['unit'];

/** Why an item has no food cost: no recipe known (or an empty one), or ingredients that cannot be costed. */
export type UncostedReason =
  | { code: 'no-recipe' }
  | { code: 'unknown-cost'; ingredientIds: string[] }
  | { code: 'unit-mismatch'; ingredientIds: string[] };

/** A recipe unit in the ingredient's base unit: the base unit and how many base units one recipe unit is. */
const BASE_OF: Record<RecipeUnit, { base: IngredientCost['unit']; factor: number }> = {
  g: { base: 'g', factor: 1 },
  kg: { base: 'g', factor: 1000 },
  ml: { base: 'ml', factor: 1 },
  l: { base: 'ml', factor: 1000 },
  each: { base: 'each', factor: 1 },
};

/** Recipe quantities have at most three decimals: in thousandths of a base unit they are whole numbers. */
const MILLI = 1000;
/** Average costs are per 1 000 base units, quantities here in thousandths: the product's denominator. */
const COST_SCALE = 1000n * BigInt(MILLI);

/** One portion's food cost in minor units (half up, once for the whole portion), or why it has none. */
export function portionCost(recipe: Recipe | undefined, costs: ReadonlyMap<string, Pick<IngredientCost, 'unit' | 'averageCost'>>): { cost: number } | { cost: null; reason: UncostedReason } {
  if (!recipe || recipe.length === 0) return { cost: null, reason: { code: 'no-recipe' } };
  const unknown: string[] = [];
  const mismatched: string[] = [];
  let scaled = 0n;
  for (const { ingredientId, quantity, unit } of recipe) {
    const cost = costs.get(ingredientId);
    const { base, factor } = BASE_OF[unit];
    if (!cost) unknown.push(ingredientId);
    else if (cost.unit !== base) mismatched.push(ingredientId);
    else scaled += BigInt(Math.round(quantity * factor * MILLI)) * BigInt(cost.averageCost);
  }
  if (unknown.length > 0) return { cost: null, reason: { code: 'unknown-cost', ingredientIds: unknown } };
  if (mismatched.length > 0) return { cost: null, reason: { code: 'unit-mismatch', ingredientIds: mismatched } };
  const quotient = scaled / COST_SCALE;
  return { cost: Number(2n * (scaled - quotient * COST_SCALE) >= COST_SCALE ? quotient + 1n : quotient) };
}

export interface MenuEngineeringRow {
  itemId: string;
  name: string;
  categoryId: string | null;
  quantity: number;
  revenue: number;
  /** revenue ÷ quantity, half up. */
  averagePrice: number;
  /** Portions of this item ÷ all portions sold, basis points. */
  popularityBps: number;
  popular: boolean;
  foodCost: number | null;
  /** averagePrice − foodCost: what one portion contributes. */
  margin: number | null;
  /** revenue − foodCost × quantity: exact, so it does not carry the average price's rounding. */
  totalMargin: number | null;
  highMargin: boolean | null;
  class: MenuClass | null;
  reason?: UncostedReason;
}

export interface MenuEngineering {
  items: MenuEngineeringRow[];
  totals: { items: number; quantity: number; revenue: number; costedItems: number; totalMargin: number };
  thresholds: {
    /** An item is popular from this share of portions (70 % of 1 ÷ items), basis points, half up; null without items. */
    popularityBps: number | null;
    /** Portion-weighted average margin of the costed items, half toward +∞; null when none is costed. */
    averageMargin: number | null;
  };
  /** Best and worst 5 by revenue (quantity, then id, break ties). */
  top: MenuEngineeringRow[];
  bottom: MenuEngineeringRow[];
}

/** How many items `top` and `bottom` list. */
export const TOP_AND_BOTTOM = 5;

const roundDiv = (numerator: number, denominator: number) => Math.floor(numerator / denominator + 0.5);

export function menuEngineering(
  sold: readonly ItemFigures[],
  recipes: ReadonlyMap<string, Recipe>,
  costs: ReadonlyMap<string, Pick<IngredientCost, 'unit' | 'averageCost'>>,
): MenuEngineering {
  const items = sold.filter((item) => item.quantity > 0);
  const count = items.length;
  const quantity = items.reduce((sum, item) => sum + item.quantity, 0);
  const costed = items.map((item) => ({ item, portion: portionCost(recipes.get(item.itemId), costs) }));
  const withCost = costed.flatMap(({ item, portion }) => (portion.cost === null ? [] : [{ quantity: item.quantity, totalMargin: item.revenue - portion.cost * item.quantity }]));
  const costedQuantity = withCost.reduce((sum, c) => sum + c.quantity, 0);
  const costedMargin = withCost.reduce((sum, c) => sum + c.totalMargin, 0);

  const rows = costed.map(({ item, portion }): MenuEngineeringRow => {
    const averagePrice = roundDiv(item.revenue, item.quantity);
    // share ≥ 0.7 × 1/count  ⇔  10 × quantity × count ≥ 7 × all portions
    const popular = 10 * item.quantity * count >= 7 * quantity;
    const base = {
      itemId: item.itemId,
      name: item.name,
      categoryId: item.categoryId ?? null,
      quantity: item.quantity,
      revenue: item.revenue,
      averagePrice,
      popularityBps: roundDiv(item.quantity * 10_000, quantity),
      popular,
    };
    if (portion.cost === null) return { ...base, foodCost: null, margin: null, totalMargin: null, highMargin: null, class: null, reason: portion.reason };
    const totalMargin = item.revenue - portion.cost * item.quantity;
    // margin per portion ≥ weighted average  ⇔  totalMargin ÷ quantity ≥ costedMargin ÷ costedQuantity
    const highMargin = totalMargin * costedQuantity >= costedMargin * item.quantity;
    return { ...base, foodCost: portion.cost, margin: averagePrice - portion.cost, totalMargin, highMargin, class: classOf(popular, highMargin) };
  });

  const byRevenue = [...rows].sort((a, b) => b.revenue - a.revenue || b.quantity - a.quantity || a.itemId.localeCompare(b.itemId));
  return {
    items: byRevenue,
    totals: { items: count, quantity, revenue: rows.reduce((sum, row) => sum + row.revenue, 0), costedItems: withCost.length, totalMargin: costedMargin },
    thresholds: {
      popularityBps: count > 0 ? roundDiv(7000, count) : null,
      averageMargin: costedQuantity > 0 ? roundDiv(costedMargin, costedQuantity) : null,
    },
    top: byRevenue.slice(0, TOP_AND_BOTTOM),
    bottom: byRevenue.slice(-TOP_AND_BOTTOM).reverse(),
  };
}

function classOf(popular: boolean, highMargin: boolean): MenuClass {
  if (popular) return highMargin ? 'star' : 'plowhorse';
  return highMargin ? 'puzzle' : 'dog';
}
