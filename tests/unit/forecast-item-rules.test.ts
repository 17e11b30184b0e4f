// Per menu item and per ingredient forecasts (item-forecast-rules.ts): the items' series (a day without the item is
// 0, a closed day a gap, from the first sale), the intermittent methods winning for a dish sold twice a week, closed
// days ahead, dormant items left out, the short-history fallback; then ingredients: base units, sums over items, the
// σ of a running total under independence, deactivated and recipe-less items, and the event against its contract.
import type { DailyPoint } from '../../functions/forecast/daily-series-store';
import {
  DORMANT_DAYS,
  ingredientDemand,
  ingredientDemandEvent,
  itemForecasts,
  sdOf,
  toBaseUnit,
  Z95,
  type ItemForecast,
  type ItemForecasts,
} from '../../functions/forecast/item-forecast-rules';
import { itemForecastQuerySchema } from '../../functions/forecast/item-schemas';
import type { ItemRecipe } from '../../functions/forecast/recipe-store';
import { forecastContract } from '../../functions/shared/contracts/forecast';
import { addDays } from '../../functions/shared/time';

const FROM = '2026-06-01'; // a Monday

/** Learnt days from FROM, each with the items `sold(dayIndex)` gives (quantity 0 left out, as analytics does). */
function learntDays(days: number, sold: (i: number) => Record<string, number>): DailyPoint[] {
  return Array.from({ length: days }, (_, i) => ({
    date: addDays(FROM, i),
    netSales: 0,
    orders: 0,
    covers: 0,
    items: Object.entries(sold(i))
      .filter(([, quantity]) => quantity > 0)
      .map(([itemId, quantity]) => ({ itemId, name: itemId.toUpperCase(), quantity })),
  }));
}

/** A deterministic generator in [0, 1). */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const NONE: ReadonlySet<string> = new Set();
const itemOf = (result: ItemForecasts, itemId: string) => result.items.find((item) => item.itemId === itemId);

describe('item forecasts', () => {
  it('scores Croston, SBA and TSB beside seasonal naive and ETS for a dish sold on two random days a week, lowest MASE kept', () => {
    const next = random(7);
    const points = learntDays(140, (i) => {
      const week = Math.floor(i / 7);
      const days = [Math.floor(random(week * 31 + 1)() * 7), Math.floor(random(week * 31 + 2)() * 7)];
      return { 'fish-special': days.includes(i % 7) ? 1 + Math.floor(next() * 3) : 0 };
    });
    const special = itemOf(itemForecasts(points, 14, NONE), 'fish-special')!;
    const candidates = special.backtest.candidates;
    expect(candidates.map((c) => c.candidate)).toEqual(['SNAIVE', 'CROSTON', 'SBA', 'TSB', 'ETS']);
    expect(candidates.every((c) => c.windows === 4)).toBe(true);
    const best = Math.min(...candidates.map((c) => c.mase!));
    expect(candidates.find((c) => c.method === special.backtest.chosen)?.mase).toBe(best);
    expect(special.method).toBe(special.backtest.chosen);
    expect(special.forecast).toHaveLength(14);
    // A fraction of a portion a day, 2 decimals, never negative.
    for (const day of special.forecast) {
      expect(day.mean).toBeLessThan(1.5);
      for (const value of [day.mean, day.lower80, day.upper80, day.lower95, day.upper95]) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(Math.round(value! * 100) / 100).toBe(value);
      }
    }
  });

  it('counts a learnt day without the item as 0, and a closed day as a gap, not a zero-demand day', () => {
    // 20 a day, but the site closes on Mondays and analytics publishes those days as zeros.
    const points = learntDays(56, (i) => ({ soup: i % 7 === 0 ? 0 : 20 }));
    const mondays = new Set(points.filter((_, i) => i % 7 === 0).map((p) => p.date));
    const nextMonday = addDays(FROM, 56);
    const closed = new Set([...mondays, nextMonday]);
    const withCalendar = itemOf(itemForecasts(points, 7, closed), 'soup')!;
    // Its series starts at its first sale (the first Tuesday): 55 days, 7 of them closed Mondays.
    expect(withCalendar.history).toEqual({ from: addDays(FROM, 1), to: addDays(FROM, 55), observedDays: 48, soldDays: 48, lastSold: addDays(FROM, 55) });
    expect(withCalendar.backtest.candidates.map((c) => c.candidate)).toEqual(['SNAIVE', 'ETS']);
    expect(withCalendar.forecast[0]).toEqual({ date: nextMonday, mean: 0, lower80: 0, upper80: 0, lower95: 0, upper95: 0, closed: true });
    for (const day of withCalendar.forecast.slice(1)) expect(day.mean).toBeCloseTo(20, 0);
    // Without the calendar the Mondays are zeros sold: 55 observed days (Mondays forecast low, not closed).
    const without = itemOf(itemForecasts(points, 7, NONE), 'soup')!;
    expect(without.history.observedDays).toBe(55);
    expect(without.forecast[0]!.closed).toBeUndefined();
    expect(without.forecast[0]!.mean).toBeLessThan(5);
  });

  it('takes an item missing from a day that left items out as unknown, not as 0 sold', () => {
    // 20 a day; on four busy days analytics kept only the best sellers, the soup not among them.
    const partial = new Set([9, 22, 38, 47]);
    const points = learntDays(56, (i) => ({ soup: partial.has(i) ? 0 : 20, steak: 90 })).map((point, i) => (partial.has(i) ? { ...point, itemsLeftOut: 300 } : point));
    const soup = itemOf(itemForecasts(points, 7, NONE), 'soup')!;
    expect(soup.history).toMatchObject({ observedDays: 52, soldDays: 52 });
    for (const day of soup.forecast) expect(day.mean).toBeCloseTo(20, 0);
    // The same days without the mark are days of 0 sold.
    const zeros = itemOf(itemForecasts(points.map(({ itemsLeftOut: _, ...point }) => point), 7, NONE), 'soup')!;
    expect(zeros.history).toMatchObject({ observedDays: 56, soldDays: 52 });
  });

  it("starts an item's series at its first sale, falls back below two weeks, and leaves out items unsold for 28 days", () => {
    const points = learntDays(70, (i) => ({ burger: 30, 'new-dish': i >= 60 ? 4 : 0, 'old-dish': i < 70 - DORMANT_DAYS ? 5 : 0 }));
    const result = itemForecasts(points, 3, NONE);
    expect(result.history).toEqual({ from: FROM, to: addDays(FROM, 69), days: 70, observedDays: 70 });
    expect(result.from).toBe(addDays(FROM, 70));
    expect(result.items.map((item) => item.itemId)).toEqual(['burger', 'new-dish']);
    expect(result.leftOut.items).toEqual([{ itemId: 'old-dish', name: 'OLD-DISH', lastSold: addDays(FROM, 69 - DORMANT_DAYS) }]);
    expect(result.leftOut.reason).toMatch(/not sold in the last 28 days/);
    const fresh = itemOf(result, 'new-dish')!;
    expect(fresh.history).toMatchObject({ from: addDays(FROM, 60), observedDays: 10, soldDays: 10 });
    expect(fresh.method).toBe('MEAN (fallback)');
    expect(fresh.fallback?.reason).toMatch(/10 days of history/);
    expect(fresh.forecast.map((day) => day.mean)).toEqual([4, 4, 4]);
  });

  it('answers no-data without learnt days; the query takes 1 to 14 days', () => {
    expect(itemForecasts([], 14, NONE)).toMatchObject({ reason: 'no-data', from: null, items: [] });
    expect(itemForecastQuerySchema.parse({})).toEqual({ days: 14, format: 'json' });
    expect(itemForecastQuerySchema.safeParse({ days: '15' }).error?.issues[0]?.message).toBe('days must be at most 14');
    expect(itemForecastQuerySchema.safeParse({ days: '0' }).success).toBe(false);
    expect(itemForecastQuerySchema.safeParse({ metric: 'orders' }).success).toBe(false);
  });
});

/** An item forecast with given daily means and 95 % intervals (80 % unused by the ingredient rules). */
function forecastOf(itemId: string, days: Array<[mean: number, lower95: number, upper95: number] | 'closed'>): ItemForecast {
  return {
    itemId,
    name: itemId,
    method: 'SNAIVE',
    parameters: {},
    backtest: { chosen: 'SNAIVE', candidates: [] },
    history: { from: FROM, to: FROM, observedDays: 30, soldDays: 30, lastSold: FROM },
    forecast: days.map((day, d) =>
      day === 'closed'
        ? { date: addDays(FROM, d + 1), mean: 0, lower80: 0, upper80: 0, lower95: 0, upper95: 0, closed: true as const }
        : { date: addDays(FROM, d + 1), mean: day[0], lower80: day[0], upper80: day[0], lower95: day[1], upper95: day[2] },
    ),
  };
}

const forecasts = (items: ItemForecast[], days: number): ItemForecasts => ({
  from: addDays(FROM, 1),
  days,
  history: { from: FROM, to: FROM, days: 1, observedDays: 1 },
  items,
  leftOut: { reason: '', items: [] },
});

const recipe = (itemId: string, lines: ItemRecipe['recipe'], active = true): ItemRecipe => ({ itemId, name: itemId, active, recipe: lines, modifiers: [], version: 3 });

describe('ingredient demand', () => {
  it('converts kg to g and l to ml (× 1000) exactly to 3 decimals, and keeps each and the base units', () => {
    expect(toBaseUnit(0.18, 'kg')).toEqual({ quantity: 180, unit: 'g' });
    expect(toBaseUnit(0.35, 'l')).toEqual({ quantity: 350, unit: 'ml' });
    expect(toBaseUnit(0.0015, 'kg')).toEqual({ quantity: 1.5, unit: 'g' });
    expect(toBaseUnit(12.5, 'g')).toEqual({ quantity: 12.5, unit: 'g' });
    expect(toBaseUnit(30, 'ml')).toEqual({ quantity: 30, unit: 'ml' });
    expect(toBaseUnit(2, 'each')).toEqual({ quantity: 2, unit: 'each' });
  });

  it('sums item means × recipe over items per day, and combines σ over items and days as independent', () => {
    const burger = forecastOf('burger', [[10, 6.08, 13.92], [20, 12.16, 27.84], 'closed']); // σ 2, 4, 0
    const salad = forecastOf('salad', [[4, 0, 7.84], [2, 0, 3.92], 'closed']); // σ 2, 1, 0
    const recipes = [
      recipe('burger', [{ ingredientId: 'beef', quantity: 0.18, unit: 'kg' }, { ingredientId: 'bun', quantity: 1, unit: 'each' }]),
      // Beef twice in one recipe, in two units: one quantity per portion (50 g), so its σ adds before squaring.
      recipe('salad', [{ ingredientId: 'beef', quantity: 0.03, unit: 'kg' }, { ingredientId: 'beef', quantity: 20, unit: 'g' }, { ingredientId: 'dressing', quantity: 0.04, unit: 'l' }]),
    ];
    expect(sdOf(burger.forecast[0]!)).toBeCloseTo(2, 12);
    expect((13.92 - 6.08) / (2 * Z95)).toBeCloseTo(2, 12);
    const demand = ingredientDemand(forecasts([burger, salad], 3), recipes);
    const beef = demand.ingredients.find((line) => line.ingredientId === 'beef')!;
    expect(beef).toMatchObject({ unit: 'g', daily: [10 * 180 + 4 * 50, 20 * 180 + 2 * 50, 0], total: 1800 + 200 + 3600 + 100, items: [{ itemId: 'burger', perPortion: 180 }, { itemId: 'salad', perPortion: 50 }] });
    const day1 = (180 * 2) ** 2 + (50 * 2) ** 2;
    const day2 = (180 * 4) ** 2 + (50 * 1) ** 2;
    expect(beef.cumulativeSd).toEqual([Math.round(Math.sqrt(day1) * 1000) / 1000, Math.round(Math.sqrt(day1 + day2) * 1000) / 1000, Math.round(Math.sqrt(day1 + day2) * 1000) / 1000]);
    expect(demand.ingredients.find((line) => line.ingredientId === 'bun')).toMatchObject({ unit: 'each', daily: [10, 20, 0], cumulativeSd: [2, Math.round(Math.sqrt(20) * 1000) / 1000, Math.round(Math.sqrt(20) * 1000) / 1000] });
    expect(demand.ingredients.find((line) => line.ingredientId === 'dressing')).toMatchObject({ unit: 'ml', daily: [160, 80, 0] });
    expect(demand.ingredients.map((line) => line.ingredientId)).toEqual(['beef', 'bun', 'dressing']);
    expect(demand.notes.join(' ')).toMatch(/modifiers are not counted/);
  });

  it('leaves out deactivated items and lists items without a recipe; a day with no model value uses nothing', () => {
    const items = [forecastOf('burger', [[10, 6.08, 13.92]]), forecastOf('old', [[5, 1, 9]]), forecastOf('water', [[8, 4, 12]]), forecastOf('tea', [[3, 1, 5]])];
    items[0]!.forecast[0] = { ...items[0]!.forecast[0]!, mean: null, lower95: null, upper95: null };
    const demand = ingredientDemand(forecasts(items, 1), [recipe('burger', [{ ingredientId: 'beef', quantity: 100, unit: 'g' }]), recipe('old', [{ ingredientId: 'beef', quantity: 100, unit: 'g' }], false), recipe('tea', [])]);
    expect(demand.ingredients).toEqual([{ ingredientId: 'beef', unit: 'g', daily: [0], cumulativeSd: [0], total: 0, items: [{ itemId: 'burger', perPortion: 100 }] }]);
    expect(demand.inactive).toEqual([{ itemId: 'old', name: 'old' }]);
    expect(demand.withoutRecipe).toEqual([
      { itemId: 'water', name: 'water', reason: 'no recipe learnt' },
      { itemId: 'tea', name: 'tea', reason: 'empty recipe' },
    ]);
  });

  it("makes the forecast.ingredient-demand event's data, valid against its contract; none without data", () => {
    const points = learntDays(63, (i) => ({ burger: 30 + (i % 7) * 3, fries: 12 + (i % 3) }));
    const demand = ingredientDemand(itemForecasts(points, 14, NONE), [
      recipe('burger', [{ ingredientId: 'beef', quantity: 0.18, unit: 'kg' }, { ingredientId: 'bun', quantity: 1, unit: 'each' }]),
      recipe('fries', [{ ingredientId: 'potato', quantity: 0.25, unit: 'kg' }, { ingredientId: 'oil', quantity: 0.02, unit: 'l' }]),
    ]);
    const data = ingredientDemandEvent(demand, { runId: 'run-20260803T013000Z', createdAt: '2026-08-03T01:30:00.000Z' });
    expect(forecastContract.events['forecast.ingredient-demand'].data.parse(data)).toEqual(data);
    expect(data).toMatchObject({ from: addDays(FROM, 63), days: 14 });
    expect(data!.ingredients.map((line) => `${line.ingredientId}:${line.unit}`)).toEqual(['beef:g', 'bun:each', 'oil:ml', 'potato:g']);
    for (const line of data!.ingredients) {
      expect(line.daily).toHaveLength(14);
      expect(line.cumulativeSd).toHaveLength(14);
      // The running total's σ never shrinks, and each figure has at most 3 decimals.
      line.cumulativeSd.forEach((sd, h) => expect(sd).toBeGreaterThanOrEqual(line.cumulativeSd[h - 1] ?? 0));
      for (const value of [...line.daily, ...line.cumulativeSd]) expect(Math.round(value * 1000) / 1000).toBe(value);
    }
    expect(ingredientDemandEvent(ingredientDemand(itemForecasts([], 14, NONE), []), { runId: 'r', createdAt: '2026-08-03T01:30:00.000Z' })).toBeUndefined();
  });
});
