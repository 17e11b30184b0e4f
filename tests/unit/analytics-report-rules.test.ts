// The analytics reports' pure rules: menu engineering (the 70 % popularity rule, the weighted average margin, ties,
// no items, unknown costs and recipes, kg → g and l → ml), customers (new and returning, repeat rate, visits, lapsed
// regulars), server performance, owners' totals per currency, and the reports' query limits.
import { customerFigures, LAPSED_LIMIT, type KnownCustomer } from '../../functions/analytics/customer-rules';
import { siteRow, totalsByCurrency } from '../../functions/analytics/cross-site-rules';
import { menuEngineering, portionCost, type Recipe } from '../../functions/analytics/menu-engineering-rules';
import { customersQuerySchema, reportQuerySchema } from '../../functions/analytics/report-schemas';
import { figuresOf } from '../../functions/analytics/sales-rules';
import { serverPerformance, serverTable } from '../../functions/analytics/server-performance-rules';

const sold = (itemId: string, quantity: number, revenue: number) => ({ itemId, name: itemId, quantity, revenue });
const cost = (averageCost: number, unit: 'g' | 'ml' | 'each' = 'each') => ({ averageCost, unit });
const oneEach = (ingredientId: string): Recipe => [{ ingredientId, quantity: 1, unit: 'each' }];

describe('the food cost of a portion', () => {
  it('converts kg to g and l to ml: average costs are per 1 000 base units', () => {
    // 0.2 kg of potato at 1 500 per 1 000 g = 300; 0.25 l of milk at 1 200 per 1 000 ml = 300; 2 each at 450 per 1 000 = 0.9 → 1.
    const costs = new Map([['potato', cost(1500, 'g')], ['milk', cost(1200, 'ml')], ['egg', cost(450)]]);
    expect(portionCost([{ ingredientId: 'potato', quantity: 0.2, unit: 'kg' }], costs)).toEqual({ cost: 300 });
    expect(portionCost([{ ingredientId: 'potato', quantity: 200, unit: 'g' }], costs)).toEqual({ cost: 300 });
    expect(portionCost([{ ingredientId: 'milk', quantity: 0.25, unit: 'l' }], costs)).toEqual({ cost: 300 });
    expect(portionCost([{ ingredientId: 'egg', quantity: 2, unit: 'each' }], costs)).toEqual({ cost: 1 });
  });

  it('rounds once for the whole portion, half up, not per ingredient', () => {
    // Each 0.4 (rounds to 0 alone); together 1.2 → 1. Then 0.5 → 1 (half up).
    const costs = new Map([['a', cost(400)], ['b', cost(400)], ['c', cost(400)], ['d', cost(500)]]);
    expect(portionCost([...oneEach('a'), ...oneEach('b'), ...oneEach('c')], costs)).toEqual({ cost: 1 });
    expect(portionCost(oneEach('d'), costs)).toEqual({ cost: 1 });
    expect(portionCost([{ ingredientId: 'd', quantity: 0.999, unit: 'each' }], costs)).toEqual({ cost: 0 });
  });

  it('has none without a recipe, with an ingredient of unknown cost, or a unit of another dimension', () => {
    const costs = new Map([['beef', cost(2000)], ['flour', cost(900, 'g')]]);
    expect(portionCost(undefined, costs)).toEqual({ cost: null, reason: { code: 'no-recipe' } });
    expect(portionCost([], costs)).toEqual({ cost: null, reason: { code: 'no-recipe' } });
    expect(portionCost([...oneEach('beef'), ...oneEach('cheddar'), ...oneEach('salt')], costs)).toEqual({ cost: null, reason: { code: 'unknown-cost', ingredientIds: ['cheddar', 'salt'] } });
    expect(portionCost([{ ingredientId: 'flour', quantity: 1, unit: 'l' }], costs)).toEqual({ cost: null, reason: { code: 'unit-mismatch', ingredientIds: ['flour'] } });
  });
});

describe('menu engineering', () => {
  // Four items, 100 portions: an even share is 25 %, popular from 17.5 %.
  // Food costs per portion: A 300, B 500, C 200, D 600.
  const recipes = new Map([['A', oneEach('a')], ['B', oneEach('b')], ['C', oneEach('c')], ['D', oneEach('d')]]);
  const costs = new Map([['a', cost(300_000)], ['b', cost(500_000)], ['c', cost(200_000)], ['d', cost(600_000)]]);
  const report = menuEngineering([sold('A', 40, 40 * 1200), sold('B', 35, 35 * 700), sold('C', 15, 15 * 1500), sold('D', 10, 10 * 800)], recipes, costs);
  const byId = Object.fromEntries(report.items.map((row) => [row.itemId, row]));

  it('classes by popularity (≥ 70 % of an even share) and margin (≥ the portion-weighted average)', () => {
    // Margins: A 900, B 200, C 1300, D 200; weighted average (36000 + 7000 + 19500 + 2000) ÷ 100 = 645.
    expect(report.thresholds).toEqual({ popularityBps: 1750, averageMargin: 645 });
    expect(Object.fromEntries(report.items.map((row) => [row.itemId, row.class]))).toEqual({ A: 'star', B: 'plowhorse', C: 'puzzle', D: 'dog' });
    expect(byId.A).toMatchObject({ quantity: 40, revenue: 48_000, averagePrice: 1200, popularityBps: 4000, popular: true, foodCost: 300, margin: 900, totalMargin: 36_000, highMargin: true });
    expect(byId.D).toMatchObject({ popularityBps: 1000, popular: false, margin: 200, highMargin: false });
    expect(report.totals).toEqual({ items: 4, quantity: 100, revenue: 48_000 + 24_500 + 22_500 + 8000, costedItems: 4, totalMargin: 64_500 });
  });

  it('counts a share of exactly 70 % of an even share as popular, and a margin equal to the average as high', () => {
    // 10 items, 100 portions: popular from 7 portions; B exactly 7 (popular), C and D 6 (not), E..J 5 each.
    const ten = [sold('A', 51, 51_000), sold('B', 7, 7000), sold('C', 6, 6000), sold('D', 6, 6000), ...['E', 'F', 'G', 'H', 'I', 'J'].map((id) => sold(id, 5, 5000))];
    const even = menuEngineering(ten, new Map(), new Map());
    expect(even.totals).toMatchObject({ items: 10, quantity: 100 });
    expect(even.thresholds.popularityBps).toBe(700);
    expect(Object.fromEntries(even.items.map((row) => [row.itemId, row.popular]))).toMatchObject({ A: true, B: true, C: false, D: false, J: false });
    // Every item at the same margin: all equal the average, all high.
    const same = menuEngineering([sold('A', 3, 3000), sold('B', 1, 1000)], new Map([['A', oneEach('x')], ['B', oneEach('x')]]), new Map([['x', cost(400_000)]]));
    expect(same.items.map((row) => [row.itemId, row.highMargin, row.class])).toEqual([['A', true, 'star'], ['B', true, 'puzzle']]);
  });

  it('gives an item without a known food cost no class, with the reason, and leaves it out of the average margin', () => {
    const withUnknown = menuEngineering([sold('A', 40, 40 * 1200), sold('X', 60, 60 * 100)], new Map([['A', oneEach('a')], ['X', oneEach('truffle')]]), costs);
    const x = withUnknown.items.find((row) => row.itemId === 'X');
    expect(x).toMatchObject({ popular: true, foodCost: null, margin: null, totalMargin: null, highMargin: null, class: null, reason: { code: 'unknown-cost', ingredientIds: ['truffle'] } });
    expect(withUnknown.thresholds.averageMargin).toBe(900);
    expect(withUnknown.totals).toMatchObject({ costedItems: 1, totalMargin: 36_000 });
    const noRecipe = menuEngineering([sold('Y', 1, 500)], new Map(), costs);
    expect(noRecipe.items[0]).toMatchObject({ class: null, reason: { code: 'no-recipe' } });
    expect(noRecipe.thresholds.averageMargin).toBeNull();
  });

  it('answers an empty report for a range with nothing sold', () => {
    expect(menuEngineering([], recipes, costs)).toEqual({
      items: [],
      totals: { items: 0, quantity: 0, revenue: 0, costedItems: 0, totalMargin: 0 },
      thresholds: { popularityBps: null, averageMargin: null },
      top: [],
      bottom: [],
    });
  });

  it('lists the top and bottom 5 by revenue, ties broken by quantity then id', () => {
    const many = menuEngineering(
      ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id, i) => sold(id, id === 'c' ? 2 : 1, 1000 - Math.min(i, 3) * 100)),
      new Map(),
      new Map(),
    );
    // Revenues: a 1000, b 900, c 800 (2 portions), d..g 700 each.
    expect(many.top.map((row) => row.itemId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(many.bottom.map((row) => row.itemId)).toEqual(['g', 'f', 'e', 'd', 'c']);
  });
});

describe('customers', () => {
  const customer = (ref: string, visitDays: string[], spend = 1000 * visitDays.length): KnownCustomer => ({ ref, orders: visitDays.length, spend, visitDays });
  const range = { from: '2026-11-01', to: '2026-11-30' };

  it('counts customers of the range, new and returning, repeat rate and visits', () => {
    const figures = customerFigures(
      [
        customer('new-once', ['2026-11-05']),
        customer('new-twice', ['2026-11-05', '2026-11-20']),
        customer('back', ['2026-09-01', '2026-11-10']),
        customer('not-this-month', ['2026-10-01']),
        customer('after-range', ['2026-12-02']),
      ],
      range,
      30,
    );
    expect(figures).toMatchObject({ customers: 3, new: 2, returning: 1, repeatCustomers: 1, repeatRateBps: 3333, visits: 4, averageVisitsPerCustomer: 1.33, lifetime: { orders: 5, spend: 5000 } });
  });

  it('lists lapsed regulars: 3 visit days up to `to`, the last more than N days before `to`, most valuable first', () => {
    const figures = customerFigures(
      [
        customer('regular-lapsed', ['2026-08-01', '2026-09-01', '2026-10-30'], 9000),
        customer('bigger-lapsed', ['2026-07-01', '2026-07-02', '2026-07-03'], 20_000),
        customer('exactly-30-days', ['2026-10-01', '2026-10-20', '2026-10-31'], 50_000),
        customer('two-visits', ['2026-01-01', '2026-02-01'], 90_000),
        customer('recent', ['2026-08-01', '2026-09-01', '2026-11-29']),
        customer('came-back-later', ['2026-08-01', '2026-08-02', '2026-08-03', '2026-12-24'], 70_000),
      ],
      range,
      30,
    );
    expect(figures.lapsedRegulars).toEqual([
      { ref: 'came-back-later', visits: 3, lastVisit: '2026-08-03', daysSinceLastVisit: 119, orders: 4, spend: 70_000 },
      { ref: 'bigger-lapsed', visits: 3, lastVisit: '2026-07-03', daysSinceLastVisit: 150, orders: 3, spend: 20_000 },
      { ref: 'regular-lapsed', visits: 3, lastVisit: '2026-10-30', daysSinceLastVisit: 31, orders: 3, spend: 9000 },
    ]);
    expect(customerFigures([customer('r', ['2026-01-01', '2026-01-02', '2026-01-03'])], range, 365).lapsedRegulars).toEqual([]);
  });

  it('lists at most 50, and answers zeros and nulls without customers', () => {
    const many = Array.from({ length: 60 }, (_, i) => customer(`c${String(i).padStart(2, '0')}`, ['2026-01-01', '2026-01-02', '2026-01-03'], 100 * i));
    const figures = customerFigures(many, range, 30);
    expect(figures.lapsedRegulars).toHaveLength(LAPSED_LIMIT);
    expect(figures.lapsedRegulars[0]?.ref).toBe('c59');
    expect(customerFigures([], range, 30)).toEqual({
      customers: 0, new: 0, returning: 0, repeatCustomers: 0, repeatRateBps: null, visits: 0, averageVisitsPerCustomer: null, lifetime: { orders: 0, spend: 0 }, lapsedRegulars: [],
    });
  });
});

describe('server performance', () => {
  it('derives average ticket, per-hour figures and voids (a share of the orders they placed) from byServer', () => {
    const figures = figuresOf({
      'server#ann#netSales': 30_000, 'server#ann#orders': 7, 'server#ann#covers': 9, 'server#ann#discounts': 500, 'server#ann#tips': 1200, 'server#ann#labourSeconds': 4 * 3600 + 1800,
      'server#bob#labourSeconds': 3600,
      'server#cat#netSales': 1000, 'server#cat#orders': 1, 'server#cat#voids': 1, 'server#cat#voidAmount': 2500,
    });
    expect(serverTable(figures.byServer)).toEqual([
      { userId: 'ann', netSales: 30_000, orders: 7, covers: 9, averageTicket: 4286, labourSeconds: 16_200, labourHours: 4.5, salesPerLabourHour: 6667, coversPerLabourHour: 2, discounts: 500, tips: 1200, voids: { count: 0, amount: 0, rateBps: 0 } },
      { userId: 'cat', netSales: 1000, orders: 1, covers: 0, averageTicket: 1000, labourSeconds: 0, labourHours: 0, salesPerLabourHour: null, coversPerLabourHour: null, discounts: 0, tips: 0, voids: { count: 1, amount: 2500, rateBps: 5000 } },
      { userId: 'bob', netSales: 0, orders: 0, covers: 0, averageTicket: 0, labourSeconds: 3600, labourHours: 1, salesPerLabourHour: 0, coversPerLabourHour: 0, discounts: 0, tips: 0, voids: { count: 0, amount: 0, rateBps: null } },
    ]);
    expect(serverPerformance('nobody', undefined)).toMatchObject({ userId: 'nobody', netSales: 0, orders: 0, labourHours: 0, salesPerLabourHour: null });
  });
});

describe('owners’ cross-site totals', () => {
  it('adds sites of one currency, never two currencies, and keeps unknown currencies apart', () => {
    const paris = siteRow('paris', 'EUR', figuresOf({ netSales: 10_000, orders: 4, covers: 6, labourCost: 3000, foodCost: 2500 }));
    const lyon = siteRow('lyon', 'EUR', figuresOf({ netSales: 5000, orders: 1, labourCost: 2000 }));
    const seoul = siteRow('seoul', 'KRW', figuresOf({ netSales: 300_000, orders: 10, covers: 12 }));
    const fresh = siteRow('fresh', null, figuresOf({}));
    expect(paris).toEqual({ siteId: 'paris', currency: 'EUR', netSales: 10_000, orders: 4, covers: 6, labourCost: 3000, foodCost: 2500, averageTicket: 2500, labourPercentBps: 3000, foodCostPercentBps: 2500 });
    expect(totalsByCurrency([fresh, seoul, paris, lyon])).toEqual([
      { currency: 'EUR', sites: 2, netSales: 15_000, orders: 5, covers: 6, labourCost: 5000, foodCost: 2500, averageTicket: 3000, labourPercentBps: 3333, foodCostPercentBps: 1667 },
      { currency: 'KRW', sites: 1, netSales: 300_000, orders: 10, covers: 12, labourCost: 0, foodCost: 0, averageTicket: 30_000, labourPercentBps: 0, foodCostPercentBps: 0 },
      { currency: null, sites: 1, netSales: 0, orders: 0, covers: 0, labourCost: 0, foodCost: 0, averageTicket: 0, labourPercentBps: null, foodCostPercentBps: null },
    ]);
  });
});

describe('the reports’ query strings', () => {
  it('allow 400 days, refuse 401 naming the limit, backwards ranges and unknown parameters', () => {
    expect(reportQuerySchema.safeParse({ from: '2025-01-01', to: '2026-02-04' }).success).toBe(true);
    const tooLong = reportQuerySchema.safeParse({ from: '2025-01-01', to: '2026-02-05' });
    expect(tooLong.success).toBe(false);
    expect(JSON.stringify(tooLong.error?.issues)).toContain('400 days');
    expect(reportQuerySchema.safeParse({ from: '2026-02-05', to: '2026-02-04' }).success).toBe(false);
    expect(reportQuerySchema.safeParse({ from: '2026-02-01', to: '2026-02-04', grain: 'week' }).success).toBe(false);
    expect(reportQuerySchema.parse({ from: '2026-02-01', to: '2026-02-04' }).format).toBe('json');
  });

  it('take lapsedAfterDays from 1 to 365, 30 by default', () => {
    const range = { from: '2026-02-01', to: '2026-02-04' };
    expect(customersQuerySchema.parse(range).lapsedAfterDays).toBe(30);
    expect(customersQuerySchema.parse({ ...range, lapsedAfterDays: '365' }).lapsedAfterDays).toBe(365);
    for (const bad of ['0', '366', '1.5', 'soon']) expect(customersQuerySchema.safeParse({ ...range, lapsedAfterDays: bad }).success).toBe(false);
    expect(reportQuerySchema.safeParse({ ...range, lapsedAfterDays: '30' }).success).toBe(false);
  });
});
