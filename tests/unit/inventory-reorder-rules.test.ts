// Reorder suggestions from the forecast, pure: the lead and review days from the supplier's schedule, demand summed
// over them, safety stock from the forecast's σ at the service level, on-hand and open POs subtracted, whole packs;
// par when the forecast is missing, stale or in a unit that does not convert; days past the horizon extended; the
// drafts filling to the forecast's target; how a run is kept in chunks under DynamoDB's item limit; the subscription.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildEvent } from '../../functions/shared/events';
import { envelopeSchemaOf } from '../../functions/shared/contracts';
import { CHUNK_INGREDIENTS, DEMAND_FORECAST_EVENTS, demandItems } from '../../functions/inventory/demand-forecast-store';
import { MAX_RECORD_BYTES } from '../../functions/inventory/depletion-chunks';
import { draftFor } from '../../functions/inventory/purchase-draft-rules';
import { demandOver, reorderCycle, safetyStockOf, SERVICE_LEVELS, suggestReorder, type IngredientForecast } from '../../functions/inventory/reorder-rules';
import type { DeliverySchedule } from '../../functions/inventory/delivery-rules';
import { sampleData } from './fixtures/events';

const DAY = 24 * 60 * 60 * 1000;
const PARIS = 'Europe/Paris';
// Monday 2026-03-02 10:00 in Paris: before the 14:00 cut-off, so the order is placed today; one day's lead makes
// Tuesday, not a delivery day: it comes Wednesday 07:30. The next order can at best come Friday.
const monday = Date.parse('2026-03-02T09:00:00Z');

const dairy: DeliverySchedule = { leadTimeDays: 1, deliveryWeekdays: ['mon', 'wed', 'fri'], orderCutOff: '14:00', deliveryTime: '07:30' };
const block = { packUnit: 'block', packSize: 2_500_000, packPrice: 3150 };
const cheese = { itemId: 'cheddar', baseUnit: 'g' as const, units: [{ name: 'block', quantity: 2.5, unit: 'kg' }], par: 7_500_000 };
const z95 = SERVICE_LEVELS['0.95'];

/** Kilograms as thousandths of a gram. */
const kg = (n: number) => n * 1_000_000;
const forecastOf = (daily: readonly number[], cumulativeSd: readonly number[], over: Partial<IngredientForecast> = {}): IngredientForecast => ({
  runId: 'run-1',
  createdAt: monday - 3 * 60 * 60 * 1000,
  from: '2026-03-02',
  unit: 'g',
  daily,
  cumulativeSd,
  ...over,
});
const week = forecastOf([10, 12, 8, 14, 20, 30, 6].map(kg), [2, 2.8, 3.4, 4, 4.5, 5, 5.4].map(kg));
const suggest = (over: Partial<Parameters<typeof suggestReorder>[0]> = {}) =>
  suggestReorder({ item: cheese, onHand: kg(5), onOrder: kg(10), supplier: { schedule: dairy, offer: block }, forecast: week, z: z95, now: monday, timeZone: PARIS, ...over });

describe('the cycle: lead days to the next delivery, review days to the following one', () => {
  it('counts from today to the delivery an order sent now gets, then to the one after', () => {
    expect(reorderCycle(monday, dairy, PARIS)).toMatchObject({ leadDays: 2, reviewDays: 2, nextDelivery: { deliveryDate: '2026-03-04' }, followingDelivery: { deliveryDate: '2026-03-06' } });
    // Friday 10:00: Saturday is no delivery day, Monday is; then Wednesday.
    expect(reorderCycle(monday + 4 * DAY, dairy, PARIS)).toMatchObject({ leadDays: 3, reviewDays: 2, nextDelivery: { deliveryDate: '2026-03-09' }, followingDelivery: { deliveryDate: '2026-03-11' } });
    // Wednesday 15:00, past the cut-off: ordered Thursday, delivered Friday; then Monday.
    expect(reorderCycle(Date.parse('2026-03-04T14:00:00Z'), dairy, PARIS)).toMatchObject({ leadDays: 2, reviewDays: 3 });
    const weekly = { ...dairy, leadTimeDays: 2, deliveryWeekdays: ['thu' as const] };
    expect(reorderCycle(monday, weekly, PARIS)).toMatchObject({ leadDays: 3, reviewDays: 7 });
  });

  it('is a week from today without a supplier schedule', () => {
    expect(reorderCycle(monday, undefined, PARIS)).toEqual({ leadDays: 0, reviewDays: 7 });
  });
});

describe('the suggestion on a fresh forecast', () => {
  it('sums demand over lead + review days, adds z × σ at the last of them, subtracts on-hand and open POs, in whole packs', () => {
    const suggestion = suggest();
    // Lead 2 + review 2 = 4 days: 10 + 12 + 8 + 14 kg = 44 kg; σ of those 4 days 4 kg; z 1.6449 → 6.5796 kg.
    expect(suggestion.forecast).toMatchObject({ demand: kg(44), sd: kg(4), safetyStock: 6_579_600, extendedDays: 0, runId: 'run-1' });
    expect(suggestion).toMatchObject({ basis: 'forecast', target: 50_579_600, onHand: kg(5), onOrder: kg(10) });
    // 50.5796 - 5 - 10 = 35.5796 kg: 15 blocks of 2.5 kg (14 would be 35 kg), 15 × 31.50.
    expect(suggestion).toMatchObject({ shortfall: 35_579_600, packs: 15, suggested: kg(37.5), cost: 47_250 });
    expect(suggestion.reason).toContain('2 lead + 2 review days');
  });

  it('safety stock follows the service level, rounded up to a thousandth, exactly', () => {
    expect(safetyStockOf(SERVICE_LEVELS['0.99'], kg(4))).toBe(9_305_200);
    expect(safetyStockOf(z95, 440_000)).toBe(723_756);
    expect(safetyStockOf(z95, 3)).toBe(5);
    expect(suggest({ z: SERVICE_LEVELS['0.99'] }).target).toBe(kg(44) + 9_305_200);
  });

  it('orders nothing when on-hand and open POs cover the target; stock sold below zero counts as none', () => {
    expect(suggest({ onHand: kg(30), onOrder: kg(25) })).toMatchObject({ shortfall: 0, packs: 0, suggested: 0, cost: 0 });
    expect(suggest({ onHand: -kg(3), onOrder: 0 })).toMatchObject({ onHand: 0, shortfall: 50_579_600, packs: 21 });
  });

  it('without a preferred supplier: a week from today, unpriced, in the base unit', () => {
    const suggestion = suggest({ supplier: undefined, onHand: 0, onOrder: 0 });
    // 7 days: 100 kg, σ 5.4 kg → 8.88246 kg.
    expect(suggestion).toMatchObject({ basis: 'forecast', cycle: { leadDays: 0, reviewDays: 7 }, target: kg(100) + 8_882_460, shortfall: kg(100) + 8_882_460, suggested: kg(100) + 8_882_460 });
    expect(suggestion.packs).toBeUndefined();
    expect(suggestion.cost).toBeUndefined();
    expect(suggestion.reason).toContain('no preferred supplier');
  });

  it('a forecast made yesterday skips its past day; σ at the window’s end counts it too (never less safety)', () => {
    const yesterday = forecastOf([kg(99), ...[10, 12, 8, 14].map(kg)], [1, 2, 3, 4, 5].map(kg), { from: '2026-03-01', createdAt: monday - DAY });
    expect(suggest({ forecast: yesterday }).forecast).toMatchObject({ demand: kg(44), sd: kg(5) });
  });

  it('converts a forecast in another base unit through the item’s units (1 each = 55 g)', () => {
    const patty = { itemId: 'patty', baseUnit: 'g' as const, units: [{ name: 'each', quantity: 55, unit: 'g' }], par: 0 };
    const each = forecastOf([40_000, 40_000, 40_000, 40_000], [4_000, 5_000, 6_000, 8_000], { unit: 'each' });
    // 160 each × 55 g = 8.8 kg; σ 8 each = 440 g → 723.756 g.
    expect(suggest({ item: patty, forecast: each, onHand: 0, onOrder: 0, supplier: { schedule: dairy } }).forecast).toMatchObject({ demand: 8_800_000, sd: 440_000, safetyStock: 723_756 });
  });
});

describe('past the forecast’s horizon', () => {
  it('extends at the mean of its last (up to 7) days and says so; σ grows with the square root of the days', () => {
    const short = forecastOf([10, 12, 8].map(kg), [2, 2.8, 3.4].map(kg));
    const suggestion = suggest({ forecast: short });
    // 4 days wanted, 3 forecast: the fourth at (10 + 12 + 8) / 3 = 10 kg; σ 3.4 kg × √(4/3) = 3.925982 kg.
    expect(suggestion.forecast).toMatchObject({ demand: kg(40), sd: 3_925_982, safetyStock: 6_457_848, extendedDays: 1 });
    expect(suggestion.reason).toContain("1 day past the forecast's horizon taken at its last week's mean");
  });

  it('takes the last week only, rounding the extension up', () => {
    const fortnight = [1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 4].map(kg);
    // 20 days from the 14-day forecast: 6 days past it at (3 × 6 + 4) / 7 kg a day = 18.857142… kg, rounded up.
    expect(demandOver({ from: '2026-03-02', daily: fortnight, cumulativeSd: fortnight.map(() => kg(1)) }, '2026-03-02', 20)).toEqual({
      demand: kg(29) + 18_857_143,
      sd: kg(1) * Math.sqrt(20 / 14),
      extendedDays: 6,
    });
  });
});

describe('the fallback to par', () => {
  it('without a forecast, with a stale one, or one whose unit does not convert: par less on-hand and on-order', () => {
    const stale = forecastOf(week.daily, week.cumulativeSd, { createdAt: monday - 2 * DAY - 1 });
    const millilitres = forecastOf(week.daily, week.cumulativeSd, { unit: 'ml' });
    for (const [forecast, why] of [
      [undefined, 'no forecast for the item'],
      [stale, 'the forecast is 2 days old (older than 2)'],
      [millilitres, 'the forecast is in ml, which does not convert for the item (kept in g)'],
    ] as const) {
      const suggestion = suggest({ forecast, onHand: kg(2), onOrder: 0 });
      // Par 7.5 kg - 2 kg = 5.5 kg: three blocks.
      expect({ why, ...suggestion }).toMatchObject({ why, basis: 'par', reason: `par: ${why}`, target: kg(7.5), shortfall: kg(5.5), packs: 3, cost: 9450 });
      expect(suggestion.forecast).toBeUndefined();
    }
    expect(suggest({ forecast: forecastOf(week.daily, week.cumulativeSd, { createdAt: monday - 2 * DAY }) }).basis).toBe('forecast');
  });

  it('an item with neither a usable forecast nor a par has nothing to fill to', () => {
    expect(suggest({ item: { ...cheese, par: 0 }, forecast: undefined })).toMatchObject({ basis: 'par', target: 0, packs: 0, reason: expect.stringContaining('has no par') });
  });
});

describe('automatic drafts fill to the forecast’s target when it is given', () => {
  const offer = { itemId: 'cheddar', ...block };

  it('the level replaces par, and an item without a par is drafted on its forecast', () => {
    const onHand = new Map([['cheddar', kg(2)]]);
    expect(draftFor(0, [offer], [{ itemId: 'cheddar', par: kg(7.5) }], onHand, new Map())?.lines[0]?.packs).toBe(3);
    expect(draftFor(0, [offer], [{ itemId: 'cheddar', par: kg(7.5) }], onHand, new Map(), new Map([['cheddar', 50_579_600]]))?.lines[0]?.packs).toBe(20);
    expect(draftFor(0, [offer], [{ itemId: 'cheddar', par: 0 }], onHand, new Map())).toBeUndefined();
    expect(draftFor(0, [offer], [{ itemId: 'cheddar', par: 0 }], onHand, new Map(), new Map([['cheddar', kg(4)]]))?.lines[0]?.packs).toBe(1);
    // A quiet week: the forecast's level under par orders less than par would.
    expect(draftFor(0, [offer], [{ itemId: 'cheddar', par: kg(7.5) }], onHand, new Map([['cheddar', 0]]), new Map([['cheddar', kg(2)]]))).toBeUndefined();
  });
});

describe('a forecast run as inventory keeps it', () => {
  const event = (ingredients: number, days = 28, id = (i: number) => `ingredient-${i}`, value = 1234.567) =>
    buildEvent({
      type: 'forecast.ingredient-demand',
      source: 'forecast',
      siteId: 'bistro',
      correlationId: 'c',
      data: {
        runId: '20261202T031500000Z-nightly',
        createdAt: '2026-12-02T03:15:00.000Z',
        from: '2026-12-02',
        days,
        ingredients: Array.from({ length: ingredients }, (_, i) => ({ ingredientId: id(i), unit: 'g' as const, daily: Array(days).fill(value), cumulativeSd: Array(days).fill(value) })),
      },
    });

  it('the fixture is a valid event, kept as thousandths of its unit, behind a LATEST item naming its chunks', () => {
    const sample = { ...sampleData('forecast.ingredient-demand') };
    const fixture = buildEvent({ type: 'forecast.ingredient-demand', source: 'forecast', siteId: 'demo-bistro', correlationId: 'c', data: sample });
    expect(envelopeSchemaOf('forecast.ingredient-demand').safeParse(fixture).success).toBe(true);
    const { chunks, latest } = demandItems(fixture as never, 1_000);
    expect(latest).toMatchObject({ pk: 'SITE#demo-bistro#DEMAND', sk: 'LATEST', runId: sample.runId, runKey: `${sample.createdAt}#${sample.runId}`, chunks: 1 });
    expect(chunks[0]).toMatchObject({ sk: `RUN#${sample.createdAt}#${sample.runId}#CHUNK#000`, expiresAt: 1_000 + 7 * 24 * 60 * 60 });
    expect((chunks[0]!.ingredients as Array<{ daily: number[] }>)[1]!.daily).toEqual([9_100_000, 9_880_000, 13_420_500]);
  });

  it('2,000 ingredients × 28 days at the largest quantities and longest ids: chunks of 250, each well under 400 KB', () => {
    const { chunks, latest } = demandItems(event(2000, 28, (i) => `${'x'.repeat(60)}${String(i).padStart(4, '0')}`, 9_999_999_999.999) as never, 0);
    expect(chunks).toHaveLength(2000 / CHUNK_INGREDIENTS);
    expect(latest.chunks).toBe(8);
    const largest = Math.max(...chunks.map((chunk) => Buffer.byteLength(JSON.stringify(chunk))));
    // Its JSON (which DynamoDB's own size stays under) within the 240 KB the store's comment promises, and the 350 KB
    // the depletion record keeps to.
    expect(largest).toBeLessThan(240_000);
    expect(largest).toBeLessThan(MAX_RECORD_BYTES);
  });
});

describe('the forecast subscription', () => {
  const functions = parse(readFileSync(join(__dirname, '../../functions/inventory/functions.yml'), 'utf8'));
  const sns = functions.learnDemandForecast.events[0].sns;

  it('takes forecast.ingredient-demand only, by message attribute, with the dead-letter queue', () => {
    expect(sns.filterPolicyScope).toBe('MessageAttributes');
    expect(sns.filterPolicy.type).toEqual([...DEMAND_FORECAST_EVENTS]);
    expect(sns.redrivePolicy).toEqual({ deadLetterTargetRef: 'InventoryDeadLetterQueue' });
    expect(functions.learnDemandForecast.destinations.onFailure.arn).toEqual({ 'Fn::GetAtt': ['InventoryDeadLetterQueue', 'Arn'] });
  });
});
