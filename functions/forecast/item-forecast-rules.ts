// Per menu item and per ingredient demand for the next days (issue 16), pure: unit-tested without AWS, and called by
// the routes today and by the stored forecast runs.
//
// Items. Each item seen in the learnt days gets its own daily series of quantities sold, from its first day sold to
// the last day learnt: a learnt day without the item is 0 sold, a day never learnt or closed (the calendar's
// `closed` dates) is a gap (null), never a zero. Starting at the first sale keeps a dish added last month from
// carrying a year of zeros. The model is the winner of the engine's backtest at a weekly period (Croston, SBA and TSB
// join seasonal naive and ETS when over 30 % of the days sold none: models/backtest.ts), or a labelled fallback under
// two weeks of observed days. An item not sold in the last DORMANT_DAYS learnt days is left out (said in `leftOut`).
// Quantities to 2 decimals, floored at 0; a future closed day is 0 and `closed: true`.
//
// Ingredients. An item's daily forecast times its current recipe (one portion, learnt from menu.item-changed) in the
// ingredient's base unit (kg → g and l → ml × 1000), summed over items. Modifiers are left out: the learnt days say
// how many portions sold, not which modifiers came with them. The spread: each item-day's σ is read off its 95 %
// interval as if it were normal, (upper95 − lower95) / (2 · 1.96), and items and days are taken as independent, so
// the variance of a total is the sum of (quantity per portion × σ)². Both choices understate the spread: a busy day
// lifts every item at once and a model's error persists from one day to the next (positive correlations the sum
// leaves out), and an interval floored at 0 (slow items) is narrower than the σ behind it. Consumers' safety stock
// should treat `cumulativeSd` as a lower bound.
import type { EventData } from '#shared/contracts';
import { addDays } from '#shared/time';
import type { DailyPoint } from './daily-series-store';
import { dailyModelOf, type Backtest } from './daily-model';
import type { ForecastDay } from './forecast-rules';
import type { FittedModel } from './models/types';
import type { ItemRecipe } from './recipe-store';

export const MAX_ITEM_FORECAST_DAYS = 14;
/** An item not sold for this many learnt days (the last one included) is off the menu in practice: not forecast. */
export const DORMANT_DAYS = 28;
/** z of a two-sided 95 % normal interval: σ = interval width / (2 · Z95). */
export const Z95 = 1.96;

/** Item quantities: 2 decimals, half up, never negative (no negative demand). */
const portions = (value: number) => Math.floor(Math.max(0, value) * 100 + 0.5) / 100;
/** Ingredient quantities: 3 decimals, half up, never negative. */
const thousandths = (value: number) => Math.floor(Math.max(0, value) * 1000 + 0.5) / 1000;

/** A day as the sales forecast gives it, in portions; items get no holiday uplift (yet). */
export type ItemForecastDay = Omit<ForecastDay, 'holiday'>;

export interface ItemForecast {
  itemId: string;
  /** The name it was last sold under. */
  name: string;
  method: string;
  parameters: FittedModel['parameters'];
  fallback?: { reason: string };
  backtest: Backtest;
  history: { from: string; to: string; observedDays: number; soldDays: number; lastSold: string };
  forecast: ItemForecastDay[];
}

export interface LeftOutItem {
  itemId: string;
  name: string;
  lastSold: string;
}

export type ItemForecasts =
  | { reason: 'no-data'; from: null; days: number; history: null; items: []; leftOut: { reason: string; items: [] } }
  | {
      /** The first day forecast: the day after the last learnt one. */
      from: string;
      days: number;
      history: { from: string; to: string; days: number; observedDays: number };
      items: ItemForecast[];
      leftOut: { reason: string; items: LeftOutItem[] };
    };

interface ItemHistory {
  name: string;
  /** Quantity per learnt date; a learnt date without the item is absent (0 sold, unless the day left items out). */
  sold: Map<string, number>;
  firstSold: string;
  lastSold: string;
}

/** Every item sold at least once (quantity > 0) in the points, with its quantity per date. */
function itemHistories(points: readonly DailyPoint[]): Map<string, ItemHistory> {
  const histories = new Map<string, ItemHistory>();
  for (const point of [...points].sort((a, b) => a.date.localeCompare(b.date))) {
    for (const item of point.items ?? []) {
      if (item.quantity <= 0) continue;
      const history = histories.get(item.itemId) ?? { name: item.name, sold: new Map<string, number>(), firstSold: point.date, lastSold: point.date };
      history.name = item.name;
      history.lastSold = point.date;
      history.sold.set(point.date, (history.sold.get(point.date) ?? 0) + item.quantity);
      histories.set(item.itemId, history);
    }
  }
  return histories;
}

const noData = (days: number): ItemForecasts => ({ reason: 'no-data', from: null, days, history: null, items: [], leftOut: { reason: dormantReason, items: [] } });
const dormantReason = `not sold in the last ${DORMANT_DAYS} days learnt: not forecast`;

/** Each item's forecast of the `days` (1..MAX_ITEM_FORECAST_DAYS) after the last learnt day. */
export function itemForecasts(points: readonly DailyPoint[], days: number, closed: ReadonlySet<string>): ItemForecasts {
  const learnt = new Set(points.map((point) => point.date));
  const sorted = [...learnt].sort();
  const [first, last] = [sorted[0], sorted[sorted.length - 1]];
  if (!first || !last) return noData(days);
  const isObserved = (date: string) => learnt.has(date) && !closed.has(date);
  // Days whose item list holds only the best sellers (analytics left the rest out to fit its event): an item
  // missing from one is not known to have sold 0.
  const partial = new Set(points.filter((point) => point.itemsLeftOut).map((point) => point.date));
  const dates: string[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) dates.push(date);
  const forecastDates = Array.from({ length: days }, (_, i) => addDays(last, i + 1));
  const activeSince = addDays(last, 1 - DORMANT_DAYS);

  const items: ItemForecast[] = [];
  const leftOut: LeftOutItem[] = [];
  for (const [itemId, history] of itemHistories(points)) {
    if (history.lastSold < activeSince) {
      leftOut.push({ itemId, name: history.name, lastSold: history.lastSold });
      continue;
    }
    const itemDates = dates.slice(dates.indexOf(history.firstSold));
    const values = itemDates.map((date) => (isObserved(date) ? (history.sold.get(date) ?? (partial.has(date) ? null : 0)) : null));
    const { model, fallback, backtest } = dailyModelOf(values);
    const raw = model.forecast(days);
    const value = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? portions(x) : null);
    items.push({
      itemId,
      name: history.name,
      method: model.method,
      parameters: model.parameters,
      ...(fallback ? { fallback } : {}),
      backtest,
      history: {
        from: history.firstSold,
        to: last,
        observedDays: values.filter((v) => v !== null).length,
        soldDays: [...history.sold.keys()].filter(isObserved).length,
        lastSold: history.lastSold,
      },
      forecast: forecastDates.map((date, i) =>
        closed.has(date)
          ? { date, mean: 0, lower80: 0, upper80: 0, lower95: 0, upper95: 0, closed: true }
          : { date, mean: value(raw.mean[i]), lower80: value(raw.lower80[i]), upper80: value(raw.upper80[i]), lower95: value(raw.lower95[i]), upper95: value(raw.upper95[i]) },
      ),
    });
  }
  const byId = (a: { itemId: string }, b: { itemId: string }) => a.itemId.localeCompare(b.itemId);
  return {
    from: forecastDates[0]!,
    days,
    history: { from: first, to: last, days: dates.length, observedDays: dates.filter(isObserved).length },
    items: items.sort(byId),
    leftOut: { reason: dormantReason, items: leftOut.sort(byId) },
  };
}

export type BaseUnit = 'g' | 'ml' | 'each';
type RecipeUnit = ItemRecipe['recipe'][number]['unit'];

const BASE_UNITS: Record<RecipeUnit, { unit: BaseUnit; factor: number }> = {
  g: { unit: 'g', factor: 1 },
  kg: { unit: 'g', factor: 1000 },
  ml: { unit: 'ml', factor: 1 },
  l: { unit: 'ml', factor: 1000 },
  each: { unit: 'each', factor: 1 },
};

/** A recipe quantity in its base unit, to 3 decimals (0.18 kg → 180 g, not 180.00000000000003). */
export function toBaseUnit(quantity: number, unit: RecipeUnit): { quantity: number; unit: BaseUnit } {
  const base = BASE_UNITS[unit];
  return { quantity: thousandths(quantity * base.factor), unit: base.unit };
}

/** σ of an item-day read off its 95 % interval as if normal; 0 where the day has no interval (closed, no model value). */
export function sdOf(day: ItemForecastDay): number {
  return day.lower95 === null || day.upper95 === null ? 0 : (day.upper95 - day.lower95) / (2 * Z95);
}

export interface IngredientDemandLine {
  ingredientId: string;
  unit: BaseUnit;
  /** Expected use on day `from + d`. */
  daily: number[];
  /** σ of the total use over the first h + 1 days (items and days independent: a lower bound, see the header). */
  cumulativeSd: number[];
  /** Expected use over all the days. */
  total: number;
  /** The items that use it, with their quantity per portion in `unit`. */
  items: Array<{ itemId: string; perPortion: number }>;
}

export interface IngredientDemand {
  from: string | null;
  days: number;
  ingredients: IngredientDemandLine[];
  /** Forecast items without a learnt recipe (or with an empty one): they use nothing here. */
  withoutRecipe: Array<{ itemId: string; name: string; reason: 'no recipe learnt' | 'empty recipe' }>;
  /** Forecast items whose menu item is deactivated: they will not sell, so they use nothing. */
  inactive: Array<{ itemId: string; name: string }>;
  notes: string[];
}

export const INGREDIENT_NOTES = [
  'modifiers are not counted: the learnt days give the portions sold, not which modifiers came with them',
  'cumulativeSd assumes items and days independent and reads each item-day σ off its 95 % interval as normal: it understates the spread (a busy day lifts every item, model errors persist across days, intervals floored at 0 are narrower)',
] as const;

/** Each ingredient's expected daily use and the spread of its running total, from the items' forecasts and recipes. */
export function ingredientDemand(forecasts: ItemForecasts, recipes: readonly ItemRecipe[]): IngredientDemand {
  const recipeOf = new Map(recipes.map((recipe) => [recipe.itemId, recipe]));
  const lines = new Map<string, { ingredientId: string; unit: BaseUnit; mean: number[]; variance: number[]; items: IngredientDemandLine['items'] }>();
  const demand: IngredientDemand = { from: forecasts.from, days: forecasts.days, ingredients: [], withoutRecipe: [], inactive: [], notes: [...INGREDIENT_NOTES] };
  for (const item of forecasts.items) {
    const recipe = recipeOf.get(item.itemId);
    if (!recipe || recipe.recipe.length === 0) {
      demand.withoutRecipe.push({ itemId: item.itemId, name: item.name, reason: recipe ? 'empty recipe' : 'no recipe learnt' });
      continue;
    }
    if (!recipe.active) {
      demand.inactive.push({ itemId: item.itemId, name: item.name });
      continue;
    }
    // One portion's use per ingredient and base unit: an ingredient named twice in a recipe is one quantity (its two
    // lines move together, so their σ add before squaring).
    const perPortion = new Map<string, { ingredientId: string; unit: BaseUnit; quantity: number }>();
    for (const line of recipe.recipe) {
      const base = toBaseUnit(line.quantity, line.unit);
      const key = `${line.ingredientId}|${base.unit}`;
      const held = perPortion.get(key);
      perPortion.set(key, { ingredientId: line.ingredientId, unit: base.unit, quantity: thousandths((held?.quantity ?? 0) + base.quantity) });
    }
    for (const [key, use] of perPortion) {
      const line = lines.get(key) ?? { ingredientId: use.ingredientId, unit: use.unit, mean: new Array<number>(forecasts.days).fill(0), variance: new Array<number>(forecasts.days).fill(0), items: [] };
      item.forecast.forEach((day, d) => {
        line.mean[d]! += (day.mean ?? 0) * use.quantity;
        line.variance[d]! += (use.quantity * sdOf(day)) ** 2;
      });
      line.items.push({ itemId: item.itemId, perPortion: use.quantity });
      lines.set(key, line);
    }
  }
  demand.ingredients = [...lines.values()]
    .sort((a, b) => a.ingredientId.localeCompare(b.ingredientId) || a.unit.localeCompare(b.unit))
    .map((line) => {
      let variance = 0;
      return {
        ingredientId: line.ingredientId,
        unit: line.unit,
        daily: line.mean.map(thousandths),
        cumulativeSd: line.variance.map((v) => thousandths(Math.sqrt((variance += v)))),
        total: thousandths(line.mean.reduce((sum, x) => sum + x, 0)),
        items: line.items,
      };
    });
  return demand;
}

/** The `data` of forecast.ingredient-demand for a run; undefined when the site has no learnt day (nothing to say). */
export function ingredientDemandEvent(demand: IngredientDemand, run: { runId: string; createdAt: string }): EventData<'forecast.ingredient-demand'> | undefined {
  if (demand.from === null) return undefined;
  return {
    runId: run.runId,
    createdAt: run.createdAt,
    from: demand.from,
    days: demand.days,
    ingredients: demand.ingredients.map(({ ingredientId, unit, daily, cumulativeSd }) => ({ ingredientId, unit, daily, cumulativeSd })),
  };
}
