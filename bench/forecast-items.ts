// Per menu item and ingredient forecasts (item-forecast-rules.ts), pure code, no stack: the issue's budget, a site
// with 300 menu items × 365 learnt days fitted, backtested and forecast 14 days ahead in well under 10 s on one core.
// Synthetic site: 300 items, every other one intermittent (under 1.5 a day on average: Croston, SBA and TSB join the
// candidates), the rest 5 to 300 a day with a weekly profile and a drift; 10 closed days in the year (gaps). Each
// item has a recipe of 2 to 6 of 60 ingredients in g, kg, ml, l or each.
// Side by side in one run, alternating so that load changes hit both: the engine alone on the same series
// (chooseByBacktest + a 14-day forecast per item, what bench/forecast-accuracy.ts times) and itemForecasts over the
// learnt days (series building, the same engine work, rounding), then ingredientDemand on its result. Per-item
// figures come from a pass calling itemForecasts on one item's days at a time.
import { loadavg } from 'node:os';
import type { DailyPoint } from '../functions/forecast/daily-series-store';
import { ingredientDemand, itemForecasts } from '../functions/forecast/item-forecast-rules';
import { chooseByBacktest } from '../functions/forecast/models/backtest';
import type { Series } from '../functions/forecast/models/types';
import type { ItemRecipe } from '../functions/forecast/recipe-store';
import { addDays } from '../functions/shared/time';
import { runBench } from './support/harness';
import { mulberry32, poisson } from './support/random';
import { median, percentile, printResult, printTable, round } from './support/stats';

const ITEMS = 300;
const DAYS = 365;
const HORIZON = 14;
const BUDGET_SECONDS = 10;
const FIRST_DAY = '2025-12-01';
const INGREDIENTS = 60;
const UNITS = ['g', 'kg', 'ml', 'l', 'each'] as const;

/** One item's quantity sold per day: intermittent for even indexes, steady with a weekly profile otherwise. */
function itemSales(index: number): number[] {
  const next = mulberry32(index * 7919 + 11);
  const volume = index % 2 === 0 ? 0.15 + next() * 1.35 : 5 + next() ** 2 * 295;
  const weekly = Array.from({ length: 7 }, () => 0.5 + next());
  const drift = (next() - 0.4) * 0.0015;
  return Array.from({ length: DAYS }, (_, t) => poisson(volume * weekly[t % 7]! * (1 + drift * t), next));
}

function recipeOf(index: number): ItemRecipe {
  const next = mulberry32(index * 104_729 + 5);
  const lines = Array.from({ length: 2 + Math.floor(next() * 5) }, () => {
    const unit = UNITS[Math.floor(next() * UNITS.length)]!;
    const quantity = unit === 'kg' || unit === 'l' ? Math.round(next() * 400) / 1000 + 0.005 : unit === 'each' ? 1 + Math.floor(next() * 2) : 5 + Math.floor(next() * 200);
    return { ingredientId: `ingredient-${Math.floor(next() * INGREDIENTS)}`, quantity, unit };
  });
  return { itemId: `item-${index}`, name: `Item ${index}`, active: true, recipe: lines, modifiers: [], version: 1 };
}

interface Timed<T> {
  value: T;
  wallSeconds: number;
  /** CPU time of this process: the work on one core, whatever else the shared machine ran meanwhile. */
  cpuSeconds: number;
}

function timed<T>(work: () => T): Timed<T> {
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const value = work();
  const cpu = process.cpuUsage(cpuBefore);
  return { value, wallSeconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

runBench(`Brigade bench: item and ingredient forecasts, ${ITEMS} items × ${DAYS} days, ${HORIZON} days ahead`, 15 * 60_000, async () => {
  const dates = Array.from({ length: DAYS }, (_, t) => addDays(FIRST_DAY, t));
  const closedNext = mulberry32(99);
  const closed = new Set(Array.from({ length: 10 }, () => dates[Math.floor(closedNext() * DAYS)]!));
  const sales = Array.from({ length: ITEMS }, (_, i) => itemSales(i));
  const dayOf = (t: number, items: number[]): DailyPoint => ({
    date: dates[t]!,
    netSales: 0,
    orders: 0,
    covers: 0,
    items: items.filter((i) => sales[i]![t]! > 0).map((i) => ({ itemId: `item-${i}`, name: `Item ${i}`, quantity: sales[i]![t]! })),
  });
  const everyItem = Array.from({ length: ITEMS }, (_, i) => i);
  const points = dates.map((_, t) => dayOf(t, everyItem));
  const recipes = everyItem.map(recipeOf);
  // The engine's input: each item from its first sale, closed days null (what itemForecasts builds).
  const series: Series[] = sales.map((y) => {
    const first = y.findIndex((q) => q > 0);
    return y.slice(first).map((q, t) => (closed.has(dates[first + t]!) ? null : q));
  });
  const engineOnly = () =>
    series.map((y) => {
      const choice = chooseByBacktest(y, 7);
      choice.model.forecast(HORIZON);
      return choice.method;
    });

  // Warm-up: let V8 compile the hot loops on a few items before timing.
  for (let i = 0; i < 6; i++) itemForecasts(points.map((p) => ({ ...p, items: p.items!.filter((x) => x.itemId === `item-${i}`) })), HORIZON, closed);

  const engine = [timed(engineOnly)];
  const items = [timed(() => itemForecasts(points, HORIZON, closed))];
  engine.push(timed(engineOnly));
  items.push(timed(() => itemForecasts(points, HORIZON, closed)));
  const result = items[1]!.value;
  const demand = timed(() => ingredientDemand(result, recipes));

  const perItemMs: number[] = [];
  for (const i of everyItem) {
    const own = points.map((p) => ({ ...p, items: p.items!.filter((x) => x.itemId === `item-${i}`) }));
    const start = process.hrtime.bigint();
    itemForecasts(own, HORIZON, closed);
    perItemMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const sorted = [...perItemMs].sort((a, b) => a - b);
  const intermittentMs = perItemMs.filter((_, i) => i % 2 === 0);
  const steadyMs = perItemMs.filter((_, i) => i % 2 === 1);

  const best = <T>(passes: Array<Timed<T>>) => passes.reduce((a, b) => (a.cpuSeconds <= b.cpuSeconds ? a : b));
  const [bestEngine, bestItems] = [best(engine), best(items)];
  console.log(`${ITEMS} items × ${DAYS} days (${ITEMS / 2} intermittent), ${closed.size} closed days, ${HORIZON} days ahead, one core; two alternating passes:`);
  printTable(
    ['what', 'pass 1 s (CPU)', 'pass 2 s (CPU)', 'pass 1 s (wall)', 'pass 2 s (wall)'],
    [
      ['engine alone (chooseByBacktest + forecast per series)', round(engine[0]!.cpuSeconds, 2), round(engine[1]!.cpuSeconds, 2), round(engine[0]!.wallSeconds, 2), round(engine[1]!.wallSeconds, 2)],
      ['itemForecasts (learnt days → every item)', round(items[0]!.cpuSeconds, 2), round(items[1]!.cpuSeconds, 2), round(items[0]!.wallSeconds, 2), round(items[1]!.wallSeconds, 2)],
      [`ingredientDemand (${recipes.length} recipes → ${demand.value.ingredients.length} ingredients)`, round(demand.cpuSeconds, 3), '', round(demand.wallSeconds, 3), ''],
    ],
  );
  console.log('\nOne item at a time (itemForecasts on that item\'s days), ms:');
  printTable(
    ['items', 'median', 'p90', 'max', 'mean'],
    [
      ['all', round(median(perItemMs), 1), round(percentile(sorted, 90), 1), round(sorted.at(-1)!, 1), round(perItemMs.reduce((a, b) => a + b, 0) / ITEMS, 1)],
      ['intermittent', round(median(intermittentMs), 1), '', round(Math.max(...intermittentMs), 1), round(intermittentMs.reduce((a, b) => a + b, 0) / intermittentMs.length, 1)],
      ['steady', round(median(steadyMs), 1), '', round(Math.max(...steadyMs), 1), round(steadyMs.reduce((a, b) => a + b, 0) / steadyMs.length, 1)],
    ],
  );
  const wins = new Map<string, number>();
  for (const item of result.items) wins.set(item.backtest.chosen.replace(/\(.*\)/, '(…)'), (wins.get(item.backtest.chosen.replace(/\(.*\)/, '(…)')) ?? 0) + 1);
  const intermittentScored = result.items.filter((item) => item.backtest.candidates.some((c) => c.candidate === 'CROSTON'));
  const intermittentWins = intermittentScored.filter((item) => ['CROSTON', 'SBA', 'TSB'].includes(item.backtest.chosen)).length;
  const ratio = bestItems.cpuSeconds / bestEngine.cpuSeconds;
  console.log(`\nWinners: ${[...wins].map(([m, n]) => `${m} ${n}`).join(', ')}; Croston/SBA/TSB scored on ${intermittentScored.length} items (over 30 % zeros), chosen on ${intermittentWins} of them`);
  console.log(`itemForecasts ÷ engine alone (CPU, better passes): ${round(ratio, 3)}`);
  console.log(`Budget: ${round(bestItems.cpuSeconds, 2)} s CPU (${round(bestItems.wallSeconds, 2)} s wall; load now ${loadavg()[0]!.toFixed(2)}) for ${ITEMS} items (goal < ${BUDGET_SECONDS} s on one core)`);

  printResult({
    items: ITEMS,
    days: DAYS,
    horizon: HORIZON,
    itemForecastsCpuSeconds: items.map((p) => round(p.cpuSeconds, 2)),
    itemForecastsWallSeconds: items.map((p) => round(p.wallSeconds, 2)),
    engineAloneCpuSeconds: engine.map((p) => round(p.cpuSeconds, 2)),
    itemsOverEngine: round(ratio, 3),
    ingredientDemandMs: round(demand.wallSeconds * 1000, 1),
    perItemMs: { median: round(median(perItemMs), 1), p90: round(percentile(sorted, 90), 1), max: round(sorted.at(-1)!, 1) },
    crostonSbaTsbChosen: `${intermittentWins}/${intermittentScored.length}`,
    withinBudget: bestItems.cpuSeconds < BUDGET_SECONDS,
  });
});
