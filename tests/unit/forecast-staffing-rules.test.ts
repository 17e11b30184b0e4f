// Staffing suggestions' pure part: people per hour and position (rounding up in hundredths, minimums while trading,
// prep and close hours), closed days, labour hours, cost and labour % (rates missing or in another currency → no
// cost), the positions' mean rates from the people's effective-dated rates, the event's data against its contract,
// the whole computation from learnt days, the routes' schemas, and the consumers' subscriptions (both domains).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { eventCatalog } from '../../functions/shared/contracts';
import { PAY_RATE_EVENTS } from '../../functions/forecast/pay-rate-store';
import { STAFFING_SUGGESTION_EVENTS } from '../../functions/staff/staffing-suggestion-store';
import type { DailyPoint } from '../../functions/forecast/daily-series-store';
import { positionRates, type PersonRates } from '../../functions/forecast/pay-rate-rules';
import {
  MIN_TRADING_ORDERS,
  peopleFor,
  staffingForecast,
  staffingSuggestedEvent,
  staffingSuggestion,
  type HourDemand,
  type HourlyDemand,
  type PositionRates,
  type PositionTarget,
} from '../../functions/forecast/staffing-rules';
import { putTargetsSchema, staffingQuerySchema } from '../../functions/forecast/staffing-schemas';
import { addDays } from '../../functions/shared/time';

const hour = (h: string, covers: number, netSales = covers * 2_000, orders = covers / 2): HourDemand => ({ hour: h, netSales, orders, covers });
const NO_MODELS = {};

/** A lunch service: 11 quiet, 12 busy, 13 medium, a trickle at 15 below half an order. */
const LUNCH = [hour('11', 4), hour('12', 31), hour('13', 15), hour('15', 0.4, 800, 0.3)];
const demand = (days: Array<{ date: string; hours: HourDemand[] }>, currency: string | null = 'EUR'): HourlyDemand => ({ currency, days, models: NO_MODELS });

const SERVER: PositionTarget = { positionId: 'server', driver: 'covers', perPersonHour: 15, minimum: 1 };
const COOK: PositionTarget = { positionId: 'line-cook', driver: 'netSales', perPersonHour: 40_000, minimum: 1, prepHours: 2, closeHours: 1 };
const RATES: PositionRates = { currency: 'EUR', hourlyRate: new Map([['server', 1_500], ['line-cook', 1_800]]) };

describe('people per hour', () => {
  it('rounds the driver ÷ what one person handles up, in hundredths, so float noise adds nobody', () => {
    expect(peopleFor(30, 15)).toBe(2);
    expect(peopleFor(31, 15)).toBe(3);
    expect(2.1 / 0.3).toBeGreaterThan(7);
    expect(peopleFor(2.1, 0.3)).toBe(7);
    expect(peopleFor(0, 15)).toBe(0);
    expect(peopleFor(-3, 15)).toBe(0);
    expect(() => peopleFor(10, 0)).toThrow(RangeError);
  });

  it('staffs each trading hour at the larger of the minimum and the demand; an hour below half an order does not trade', () => {
    const [day] = staffingSuggestion(demand([{ date: '2026-12-10', hours: LUNCH }]), [SERVER], RATES, new Set()).days;
    expect(MIN_TRADING_ORDERS).toBe(0.5);
    expect(day!.hours.map((h) => [h.hour, h.trading, h.positions])).toEqual([
      ['11', true, [{ positionId: 'server', people: 1 }]],
      ['12', true, [{ positionId: 'server', people: 3 }]],
      ['13', true, [{ positionId: 'server', people: 1 }]],
    ]);
    expect(day!.labourHours).toBe(5);
  });

  it('staffs the prep hours before the first and the close hours after the last trading hour at the minimum, at least one person', () => {
    const prepOnly: PositionTarget = { ...SERVER, positionId: 'busser', minimum: 0, prepHours: 1 };
    const [day] = staffingSuggestion(demand([{ date: '2026-12-10', hours: LUNCH }]), [COOK, prepOnly], RATES, new Set()).days;
    expect(day!.hours.map((h) => [h.hour, h.trading, h.positions])).toEqual([
      ['09', false, [{ positionId: 'line-cook', people: 1 }]],
      ['10', false, [{ positionId: 'line-cook', people: 1 }, { positionId: 'busser', people: 1 }]],
      ['11', true, [{ positionId: 'line-cook', people: 1 }, { positionId: 'busser', people: 1 }]],
      ['12', true, [{ positionId: 'line-cook', people: 2 }, { positionId: 'busser', people: 3 }]],
      ['13', true, [{ positionId: 'line-cook', people: 1 }, { positionId: 'busser', people: 1 }]],
      ['14', false, [{ positionId: 'line-cook', people: 1 }]],
    ]);
    // The prep and close hours keep the forecast's figures of their hour (none here).
    expect(day!.hours[0]).toMatchObject({ netSales: 0, orders: 0, covers: 0 });
  });

  it('keeps prep and close hours inside the day', () => {
    const late = [hour('02', 20), hour('21', 20)];
    const [day] = staffingSuggestion(demand([{ date: '2026-12-10', hours: late }]), [{ ...SERVER, prepHours: 3, closeHours: 3 }], RATES, new Set()).days;
    expect(day!.hours.map((h) => [h.hour, h.trading])).toEqual([['00', false], ['01', false], ['02', true], ['21', true], ['22', false], ['23', false]]);
  });
});

describe('a day', () => {
  it('sums the forecast, the labour hours and their cost at the rates, with labour % in basis points', () => {
    const [day] = staffingSuggestion(demand([{ date: '2026-12-10', hours: LUNCH }]), [SERVER, COOK], RATES, new Set()).days;
    const sales = 4 * 2_000 + 31 * 2_000 + 15 * 2_000 + 800;
    expect(day).toMatchObject({ date: '2026-12-10', closed: false, netSales: sales, covers: 50.4, orders: 25.3 });
    // Servers 1 + 3 + 1 h; cooks 2 prep + 1 + 2 + 1 + 1 close.
    expect(day!.labourHours).toBe(5 + 7);
    expect(day!.labourCost).toBe(5 * 1_500 + 7 * 1_800);
    expect(day!.labourPercentBps).toBe(Math.round((20_100 * 10_000) / sales));
  });

  it('on a closed day suggests nobody and forecasts nothing, whatever the demand', () => {
    const [day] = staffingSuggestion(demand([{ date: '2026-12-25', hours: LUNCH }]), [SERVER, COOK], RATES, new Set(['2026-12-25'])).days;
    expect(day).toEqual({ date: '2026-12-25', closed: true, netSales: 0, orders: 0, covers: 0, hours: [], labourHours: 0 });
  });

  it('has no cost when a staffed position has no rate, or the rates are in another currency; no labour % without sales', () => {
    const withoutCook = staffingSuggestion(demand([{ date: '2026-12-10', hours: LUNCH }]), [SERVER, COOK], { currency: 'EUR', hourlyRate: new Map([['server', 1_500]]) }, new Set());
    expect(withoutCook.days[0]).not.toHaveProperty('labourCost');
    expect(withoutCook.days[0]).not.toHaveProperty('labourPercentBps');
    expect(withoutCook.rates).toEqual([{ positionId: 'server', hourlyRate: 1_500 }, { positionId: 'line-cook', hourlyRate: null }]);

    const dollars = staffingSuggestion(demand([{ date: '2026-12-10', hours: LUNCH }]), [SERVER], { ...RATES, currency: 'USD' }, new Set());
    expect(dollars.currency).toBe('EUR');
    expect(dollars.days[0]).not.toHaveProperty('labourCost');

    const noRates = staffingSuggestion(demand([{ date: '2026-12-10', hours: LUNCH }]), [SERVER], undefined, new Set());
    expect(noRates.days[0]).not.toHaveProperty('labourCost');

    const quiet = staffingSuggestion(demand([{ date: '2026-12-10', hours: [hour('12', 0.2, 0, 0.1)] }]), [SERVER], RATES, new Set());
    expect(quiet.days[0]).toMatchObject({ hours: [], labourHours: 0, labourCost: 0 });
    expect(quiet.days[0]).not.toHaveProperty('labourPercentBps');
  });

  it('takes the rates’ currency when the forecast has none', () => {
    const result = staffingSuggestion(demand([{ date: '2026-12-10', hours: LUNCH }], null), [SERVER], RATES, new Set());
    expect(result.currency).toBe('EUR');
    expect(result.days[0]!.labourCost).toBe(5 * 1_500);
  });
});

describe('the positions’ rates', () => {
  const people: PersonRates[] = [
    { userId: 'ana', currency: 'EUR', rates: [{ positionId: 'server', from: '2026-01-01', hourlyRate: 1_500 }, { positionId: 'server', from: '2026-12-15', hourlyRate: 1_700 }] },
    { userId: 'ben', currency: 'EUR', rates: [{ positionId: 'server', from: '2026-06-01', hourlyRate: 1_601 }, { positionId: 'line-cook', from: '2026-06-01', hourlyRate: 1_900 }] },
    { userId: 'cho', currency: 'EUR', rates: [{ positionId: 'line-cook', from: '2027-01-01', hourlyRate: 2_000 }] },
    { userId: 'dev', currency: 'USD', rates: [{ positionId: 'server', from: '2026-01-01', hourlyRate: 9_999 }] },
  ];

  it('is the mean of the rates the people hold on the day, half up, in one currency', () => {
    const rates = positionRates(people, '2026-12-10', 'EUR');
    expect(rates).toEqual({ currency: 'EUR', hourlyRate: new Map([['server', 1_551], ['line-cook', 1_900]]) });
    expect(positionRates(people, '2026-12-20', 'EUR')?.hourlyRate.get('server')).toBe(1_651);
    expect(positionRates(people, '2027-01-02', 'EUR')?.hourlyRate.get('line-cook')).toBe(1_950);
  });

  it('takes the currency most people are paid in when none is asked; none when nobody holds a rate', () => {
    expect(positionRates(people, '2026-12-10')?.currency).toBe('EUR');
    expect(positionRates(people, '2026-12-10', 'KRW')).toBeUndefined();
    expect(positionRates([], '2026-12-10')).toBeUndefined();
    expect(positionRates(people, '2025-01-01', 'EUR')).toBeUndefined();
  });
});

/** Three weeks of a lunch and dinner restaurant, closed on Mondays (no day learnt then). */
function history(weeks: number, from = '2026-11-02'): DailyPoint[] {
  const points: DailyPoint[] = [];
  for (let i = 0; i < weeks * 7; i++) {
    if (i % 7 === 0) continue;
    const level = 1 + 0.1 * (i % 7) + 0.03 * Math.sin(i);
    const hours = [['12', 20], ['13', 14], ['19', 18], ['20', 22]].map(([h, covers]) => {
      const c = Math.round(Number(covers) * level);
      return { hour: String(h), netSales: c * 2_500, orders: Math.round(c / 2), covers: c };
    });
    points.push({ date: addDays(from, i), currency: 'EUR', netSales: hours.reduce((s, h) => s + h.netSales, 0), orders: hours.reduce((s, h) => s + h.orders, 0), covers: hours.reduce((s, h) => s + h.covers, 0), hours });
  }
  return points;
}

describe('from learnt days', () => {
  const people: PersonRates[] = [{ userId: 'ana', currency: 'EUR', rates: [{ positionId: 'server', from: '2026-01-01', hourlyRate: 1_500 }] }];

  it('forecasts the hours, staffs them, costs them and names each figure’s model', () => {
    const points = history(4);
    const last = points[points.length - 1]!.date;
    const closed = new Set([addDays(last, 3)]);
    const result = staffingForecast(points, 4, [SERVER], people, closed);
    if (!('history' in result)) throw new Error('expected a forecast');
    expect(result.history).toEqual({ from: '2026-11-03', to: last });
    expect(result.days.map((d) => [d.date, d.closed])).toEqual([[addDays(last, 1), false], [addDays(last, 2), false], [addDays(last, 3), true], [addDays(last, 4), false]]);
    // The day after the last learnt one is a Monday, never open: no hour trades, nobody suggested (not closed by the calendar).
    expect(result.days[0]).toMatchObject({ hours: [], labourHours: 0, netSales: 0 });
    const open = result.days[1]!;
    expect(open.hours.map((h) => h.hour)).toEqual(['12', '13', '19', '20']);
    expect(open.hours.every((h) => h.positions[0]!.people >= 1)).toBe(true);
    expect(open.labourCost).toBe(open.labourHours * 1_500);
    expect(open.labourPercentBps).toBeGreaterThan(0);
    for (const metric of ['netSales', 'orders', 'covers'] as const) {
      expect(result.models[metric]?.method).toEqual(expect.any(String));
      expect(result.models[metric]?.parameters).toEqual(expect.any(Object));
    }
  });

  it('is no-data without history', () => {
    expect(staffingForecast([], 3, [SERVER], people, new Set())).toEqual({ reason: 'no-data', days: [] });
  });
});

describe('the forecast.staffing-suggested event', () => {
  it('holds the days without the per-hour figures and matches its contract', () => {
    const suggestion = staffingSuggestion(demand([{ date: '2026-12-10', hours: LUNCH }, { date: '2026-12-11', hours: LUNCH }]), [SERVER, COOK], RATES, new Set(['2026-12-11']));
    const data = staffingSuggestedEvent({ runId: '20261209T031500000Z-nightly', createdAt: '2026-12-09T03:15:00.000Z' }, suggestion);
    expect(eventCatalog['forecast.staffing-suggested'].data.parse(data)).toEqual(data);
    expect(data.currency).toBe('EUR');
    expect(data.days[0]!.hours[0]).toEqual({ hour: '09', positions: [{ positionId: 'line-cook', people: 1 }] });
    expect(data.days[1]).toEqual({ date: '2026-12-11', closed: true, netSales: 0, covers: 0, hours: [], labourHours: 0 });
  });

  it('leaves out the currency and the cost when unknown, and still matches', () => {
    const data = staffingSuggestedEvent({ runId: 'r1', createdAt: '2026-12-09T03:15:00.000Z' }, staffingSuggestion(demand([{ date: '2026-12-10', hours: LUNCH }], null), [SERVER], undefined, new Set()));
    expect(eventCatalog['forecast.staffing-suggested'].data.parse(data)).toEqual(data);
    expect(data).not.toHaveProperty('currency');
    expect(data.days[0]).not.toHaveProperty('labourCost');
  });
});

describe('the schemas', () => {
  it('takes whole minor units for a sales driver and at most two decimals for counts, each position once', () => {
    const ok = putTargetsSchema.safeParse({ positions: [SERVER, COOK, { positionId: 'runner', driver: 'orders', perPersonHour: 7.5, minimum: 0 }] });
    expect(ok.success).toBe(true);
    const issues = (body: unknown) => (putTargetsSchema.safeParse(body).error?.issues ?? []).map((i) => i.message).join('; ');
    expect(issues({ positions: [{ ...COOK, perPersonHour: 400.5 }] })).toMatch(/whole minor units/);
    expect(issues({ positions: [{ ...SERVER, perPersonHour: 7.125 }] })).toMatch(/2 decimals/);
    expect(issues({ positions: [{ ...SERVER, perPersonHour: 0 }] })).toMatch(/positive/);
    expect(issues({ positions: [SERVER, SERVER] })).toMatch(/appears once/);
    expect(issues({ positions: [{ ...SERVER, prepHours: 7 }] })).not.toBe('');
    expect(issues({ positions: [SERVER], extra: 1 })).not.toBe('');
  });

  it('limits the horizon to 1–7 days', () => {
    expect(staffingQuerySchema.parse({})).toEqual({ days: 7, format: 'json' });
    expect(staffingQuerySchema.safeParse({ days: '8' }).error?.issues[0]?.message).toBe('days must be at most 7');
    expect(staffingQuerySchema.safeParse({ days: '0' }).success).toBe(false);
  });
});

describe('the wiring', () => {
  const yml = (path: string) => parse(readFileSync(join(__dirname, '../..', path), 'utf8')) as Record<string, { events?: Array<{ sns?: { filterPolicy?: { type: string[] }; redrivePolicy?: unknown } }> }>;

  it('learnPayRates takes exactly PAY_RATE_EVENTS, learnStaffingSuggestions exactly STAFFING_SUGGESTION_EVENTS, each with its dead-letter queue', () => {
    const payRates = yml('functions/forecast/functions.yml').learnPayRates?.events?.[0]?.sns;
    expect(payRates?.filterPolicy?.type).toEqual([...PAY_RATE_EVENTS]);
    expect(payRates?.redrivePolicy).toEqual({ deadLetterTargetRef: 'ForecastDeadLetterQueue' });
    const suggestions = yml('functions/staff/functions.yml').learnStaffingSuggestions?.events?.[0]?.sns;
    expect(suggestions?.filterPolicy?.type).toEqual([...STAFFING_SUGGESTION_EVENTS]);
    expect(suggestions?.redrivePolicy).toEqual({ deadLetterTargetRef: 'StaffDeadLetterQueue' });
  });
});
