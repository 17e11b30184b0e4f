// The forecast domain's calendar (closed days are gaps behind and 0 ahead, holidays left out of the fit and given the
// uplift they had last time), what a run stores and tracks, forecast-vs-actual, and the routes' query limits.
import { accuracyDays, accuracySummary } from '../../functions/forecast/accuracy-rules';
import { accuracyQuerySchema } from '../../functions/forecast/accuracy-schemas';
import { SiteCalendar, weekdayOf, type Calendar } from '../../functions/forecast/calendar-rules';
import { calendarDayBodySchema, calendarQuerySchema, closedWeekdaysBodySchema } from '../../functions/forecast/calendar-schemas';
import type { DailyPoint } from '../../functions/forecast/daily-series-store';
import { salesForecast } from '../../functions/forecast/forecast-rules';
import { runParamsSchema, runsQuerySchema } from '../../functions/forecast/run-schemas';
import { closedDatesOf, hourlyPart, INGREDIENTS_PART, ITEMS_PART, runResults, salesPart, STAFFING_PART } from '../../functions/forecast/run-rules';
import { runIdOf, type TrackedForecast } from '../../functions/forecast/run-store';
import { addDays } from '../../functions/shared/time';
import { accuracyBackfill, BACKFILL_RUN_ID } from '../../dev/seed/forecast-accuracy-backfill';

const WEEK = [0.6, 0.8, 0.9, 1.0, 1.4, 1.6, 1.1]; // Monday first
function history(days: number, from = '2026-08-03'): DailyPoint[] {
  return Array.from({ length: days }, (_, i) => {
    const level = WEEK[i % 7]! * (1 + 0.05 * Math.sin(i * 1.7));
    return { date: addDays(from, i), netSales: Math.round(150_000 * level), orders: Math.round(60 * level), covers: Math.round(110 * level), currency: 'EUR' };
  });
}
const calendar = (days: Calendar['days'], closedWeekdays: Calendar['closedWeekdays'] = []): Calendar => ({ days, closedWeekdays });

describe('the calendar', () => {
  it('knows weekdays, including before 2000-01-03 and far ahead', () => {
    expect(weekdayOf('2026-12-03')).toBe('thursday');
    expect(weekdayOf('2000-01-01')).toBe('saturday');
    expect(weekdayOf('2199-12-31')).toBe('tuesday');
  });

  it('closes marked days and weekdays, and a holiday on a closed day is closed', () => {
    const site = new SiteCalendar(calendar([{ date: '2026-12-25', kind: 'closed', name: 'Christmas' }, { date: '2026-12-07', kind: 'holiday', name: 'x' }], ['monday']));
    expect(site.isClosed('2026-12-25')).toBe(true);
    expect(site.isClosed('2026-12-14')).toBe(true); // a Monday
    expect(site.isClosed('2026-12-15')).toBe(false);
    expect(site.holidayOn('2026-12-07')).toBeUndefined(); // a Monday: closed wins
    expect([...site.closedBetween('2026-12-20', '2026-12-28')]).toEqual(['2026-12-21', '2026-12-25', '2026-12-28']);
  });

  it('turns closed days and holidays into gaps for fitting', () => {
    const site = new SiteCalendar(calendar([{ date: '2026-08-04', kind: 'closed' }, { date: '2026-08-05', kind: 'holiday', name: 'Fête' }]));
    expect(site.forFitting(['2026-08-03', '2026-08-04', '2026-08-05', '2026-08-06'], [1, 0, 9, 2])).toEqual([1, null, null, 2]);
  });

  it("gives a holiday the ratio of its last observation to its weekday's ordinary days around it", () => {
    const values = new Map<string, number>();
    for (let i = -28; i <= 28; i += 7) values.set(addDays('2025-12-24', i), 100);
    values.set('2025-12-24', 250);
    values.set('2025-12-31', 400); // another holiday around it: not in the baseline
    const site = new SiteCalendar(calendar([{ date: '2025-12-24', kind: 'holiday', name: 'Christmas Eve' }, { date: '2025-12-31', kind: 'holiday', name: 'NYE' }, { date: '2026-12-24', kind: 'holiday', name: 'Christmas Eve' }]));
    expect(site.upliftOf({ date: '2026-12-24', kind: 'holiday', name: 'Christmas Eve' }, '2026-12-24', (date) => values.get(date))).toEqual({ ratio: 2.5, observedOn: '2025-12-24' });
    expect(site.upliftOf({ date: '2026-12-24', kind: 'holiday', name: 'Easter' }, '2026-12-24', (date) => values.get(date))).toBeUndefined();
    expect(site.upliftOf({ date: '2026-12-24', kind: 'holiday' }, '2026-12-24', (date) => values.get(date))).toBeUndefined();
  });
});

describe('the sales forecast with a calendar', () => {
  it('forecasts 0 on a closed day and keeps the others as without the calendar', () => {
    const points = history(91);
    const plain = salesForecast(points, 'covers', 7);
    const withClosure = salesForecast(points, 'covers', 7, calendar([{ date: '2026-11-04', kind: 'closed', name: 'Staff training' }]));
    if (!plain.history || !withClosure.history) throw new Error('expected forecasts');
    expect(withClosure.forecast.find((day) => day.date === '2026-11-04')).toEqual({ date: '2026-11-04', mean: 0, lower80: 0, upper80: 0, lower95: 0, upper95: 0, closed: true });
    expect(withClosure.forecast.filter((day) => day.date !== '2026-11-04')).toEqual(plain.forecast.filter((day) => day.date !== '2026-11-04'));
  });

  it('does not learn a closed weekday as zero demand: its past zeros are gaps', () => {
    const points = history(91).map((point) => (weekdayOf(point.date) === 'monday' ? { ...point, netSales: 0, orders: 0, covers: 0 } : point));
    const result = salesForecast(points, 'orders', 7, calendar([], ['monday']));
    if (!result.history) throw new Error('expected a forecast');
    expect(result.history.observedDays).toBe(78);
    for (const day of result.forecast) {
      if (weekdayOf(day.date) === 'monday') expect(day).toMatchObject({ mean: 0, closed: true });
      else expect(day.mean!).toBeGreaterThan(40);
    }
  });

  it("scales a holiday by last year's uplift and labels one without history", () => {
    const points = history(400, '2025-09-01');
    const lastYear = points.find((point) => point.date === '2025-12-24')!;
    lastYear.netSales *= 2;
    const days = calendar([
      { date: '2025-12-24', kind: 'holiday', name: 'Christmas Eve' },
      { date: addDays(points[points.length - 1]!.date, 2), kind: 'holiday', name: 'Christmas Eve' },
      { date: addDays(points[points.length - 1]!.date, 3), kind: 'holiday', name: 'New' },
    ]);
    // The same calendar with the future holiday unknown: the same fit (last year's Christmas Eve is left out of both).
    const unscaled = salesForecast(points, 'netSales', 5, calendar(days.days.map((day) => (day.date > '2026-01-01' ? { ...day, name: 'Unseen' } : day))));
    const result = salesForecast(points, 'netSales', 5, days);
    if (!unscaled.history || !result.history) throw new Error('expected forecasts');
    const holiday = result.forecast[1]!;
    expect(holiday.holiday?.name).toBe('Christmas Eve');
    expect(holiday.holiday?.uplift).toBeGreaterThan(1.8);
    expect(holiday.holiday?.observedOn).toBe('2025-12-24');
    expect(Math.abs(holiday.mean! - unscaled.forecast[1]!.mean! * holiday.holiday!.uplift!)).toBeLessThan(0.001 * holiday.mean!);
    expect(result.forecast[2]!.holiday).toEqual({ name: 'New' });
    expect(result.forecast[2]!.mean).toBe(unscaled.forecast[2]!.mean);
    expect(result.forecast[0]).toEqual(unscaled.forecast[0]);
  });
});

describe('a run', () => {
  it('ids sort by creation time', () => {
    const a = runIdOf('2026-12-03T03:15:00.123Z', '9f3a');
    const b = runIdOf('2026-12-03T03:15:00.124Z', '0000');
    expect(a).toBe('r20261203T031500123Z-9f3a');
    expect(a < b).toBe(true);
    expect(runParamsSchema.safeParse({ siteId: 's1', runId: a }).success).toBe(true);
  });

  it('stores each metric with its model and parameters and tracks tomorrow and next week', () => {
    const points = history(91);
    const results = runResults({ points, calendar: calendar([{ date: '2026-11-08', kind: 'closed' }]), recipes: [], people: [] });
    expect(results.history).toEqual({ from: '2026-08-03', to: '2026-11-01' });
    expect(results.parts.map((part) => part.part)).toEqual([salesPart('netSales'), salesPart('orders'), salesPart('covers'), hourlyPart('netSales'), hourlyPart('orders'), hourlyPart('covers'), ITEMS_PART, INGREDIENTS_PART]);
    for (const summary of results.summaries.filter((s) => s.part.startsWith('sales#'))) expect(summary.method).toMatch(/ETS|SNAIVE/);
    const sales = results.parts[0]!.body as { parameters: Record<string, unknown>; forecast: unknown[] };
    expect(Object.keys(sales.parameters).length).toBeGreaterThan(0);
    expect(sales.forecast).toHaveLength(28);
    // Horizon 7 is 2026-11-08, closed: not tracked.
    expect(results.tracked.map((t) => `${t.metric}:${t.date}:${t.horizon}`)).toEqual(['netSales:2026-11-02:1', 'orders:2026-11-02:1', 'covers:2026-11-02:1']);
    // Nothing sold by item, no targets: nothing to publish.
    expect(results.ingredientDemand).toBeUndefined();
    expect(results.staffing).toBeUndefined();
  });

  it('forecasts items, their ingredients and the staffing from the same days, closed days respected', () => {
    const points = history(42).map((point, i) => ({
      ...point,
      hours: [
        { hour: '12', netSales: Math.round(point.netSales * 0.6), orders: Math.round(point.orders * 0.6), covers: Math.round(point.covers * 0.6) },
        { hour: '19', netSales: point.netSales - Math.round(point.netSales * 0.6), orders: point.orders - Math.round(point.orders * 0.6), covers: point.covers - Math.round(point.covers * 0.6) },
      ],
      items: [{ itemId: 'burger', name: 'Burger', quantity: 20 + (i % 7) * 3 }],
    }));
    const lastDay = points[points.length - 1]!.date;
    const closedDay = addDays(lastDay, 2);
    const results = runResults({
      points,
      calendar: calendar([{ date: closedDay, kind: 'closed' }]),
      recipes: [{ itemId: 'burger', name: 'Burger', version: 1, active: true, recipe: [{ ingredientId: 'beef', quantity: 0.15, unit: 'kg' }], modifiers: [] }],
      targets: { version: 1, positions: [{ positionId: 'server', driver: 'covers', perPersonHour: 20, minimum: 1 }] },
      people: [],
    });
    expect(results.parts.map((part) => part.part)).toContain(STAFFING_PART);
    const demand = results.ingredientDemand!;
    expect(demand.ingredients.map((line) => [line.ingredientId, line.unit])).toEqual([['beef', 'g']]);
    const beef = demand.ingredients[0]!;
    expect(beef.daily[1]).toBe(0); // the closed day
    expect(beef.daily[0]).toBeGreaterThan(0);
    const staffing = results.staffing!;
    expect(staffing.days.find((day) => day.date === closedDay)).toMatchObject({ closed: true, hours: [] });
    expect(staffing.days[0]!.hours.map((hour) => hour.hour)).toEqual(['12', '19']);
  }, 60_000);

  it('of a site without data has no parts', () => {
    expect(runResults({ points: [], calendar: calendar([]), recipes: [], people: [] })).toEqual({ history: null, parts: [], summaries: [], tracked: [] });
  });

  it('gives the other forecasts the closed days behind and ahead', () => {
    expect([...closedDatesOf(calendar([{ date: '2026-11-10', kind: 'closed' }], ['sunday']), { from: '2026-10-26', to: '2026-11-05' }, 7)]).toEqual([
      '2026-11-01',
      '2026-11-08',
      '2026-11-10',
    ]);
  });
});

describe('forecast vs actual', () => {
  const track = (date: string, mean: number, half = 10): TrackedForecast => ({
    metric: 'covers',
    date,
    horizon: 1,
    mean,
    lower80: mean - half,
    upper80: mean + half,
    lower95: mean - 2 * half,
    upper95: mean + 2 * half,
    runId: `run-${date}`,
    createdAt: `${date}T03:00:00.000Z`,
  });
  const actuals = new Map([
    ['2026-11-01', 100],
    ['2026-11-02', 80],
    ['2026-11-08', 110],
    ['2026-11-09', 70],
    ['2026-11-10', 0],
  ]);

  it('compares each tracked day with its actual and with seasonal naive, leaving closed days out', () => {
    const days = accuracyDays({
      from: '2026-11-08',
      to: '2026-11-11',
      tracked: [track('2026-11-08', 105), track('2026-11-09', 95), track('2026-11-10', 5)],
      actualOn: (date) => actuals.get(date),
      isClosed: (date) => date === '2026-11-10',
    });
    expect(days.map((day) => [day.date, day.actual, day.forecast, day.error, day.within80, day.within95, day.seasonalNaive, day.closed ?? false])).toEqual([
      ['2026-11-08', 110, 105, -5, true, true, 100, false],
      ['2026-11-09', 70, 95, 25, false, false, 80, false],
      ['2026-11-10', 0, 5, null, null, null, null, true],
      ['2026-11-11', null, null, null, null, null, null, false],
    ]);
    const summary = accuracySummary(days);
    expect(summary).toEqual({
      days: 2,
      mae: 15,
      bias: 10,
      mape: Math.round(((5 / 110 + 25 / 70) / 2) * 100 * 100) / 100,
      smape: Math.round(((200 * 5) / 215 + (200 * 25) / 165) / 2 * 100) / 100,
      coverage80: 0.5,
      coverage95: 0.5,
      relativeToSeasonalNaive: 1.5,
    });
  });

  it('is empty, not an error, without tracked forecasts', () => {
    const summary = accuracySummary(accuracyDays({ from: '2026-11-01', to: '2026-11-02', tracked: [], actualOn: (date) => actuals.get(date), isClosed: () => false }));
    expect(summary).toEqual({ days: 0, mae: null, bias: null, mape: null, smape: null, coverage80: null, coverage95: null, relativeToSeasonalNaive: null });
  });
});

describe("the demo's accuracy backfill", () => {
  it('tracks the last 28 days one day and one week ahead, each from the days before its origin only', () => {
    const points = history(91);
    const items = accuracyBackfill('demo-bistro', points);
    expect(items).toHaveLength(2 * 28 * 2);
    const last = points[points.length - 1]!.date;
    for (const item of items) {
      expect(item).toMatchObject({ pk: 'SITE#demo-bistro#TRACK', runId: BACKFILL_RUN_ID });
      expect((item.date as string) <= last && (item.date as string) > addDays(last, -28)).toBe(true);
      // Made the night after its origin: the forecast day minus (horizon - 1).
      expect((item.createdAt as string).slice(0, 10)).toBe(addDays(item.date as string, 1 - (item.horizon as number)));
    }
    // No forecast sees its own day: changing the last day's figures changes none of them.
    const changed = points.map((point, i) => (i === points.length - 1 ? { ...point, covers: point.covers * 5, netSales: point.netSales * 5 } : point));
    expect(accuracyBackfill('demo-bistro', changed)).toEqual(items);
    // Intervals hold the mean.
    for (const item of items) expect((item.lower95 as number) <= (item.mean as number) && (item.mean as number) <= (item.upper95 as number)).toBe(true);
  });
});

describe('the queries and bodies', () => {
  it.each([
    [accuracyQuerySchema, { horizon: '3' }],
    [accuracyQuerySchema, { from: '2026-11-10', to: '2026-11-01' }],
    [accuracyQuerySchema, { metric: 'profit' }],
    [accuracyQuerySchema, { to: '2026-02-30' }],
    [accuracyQuerySchema, { to: '9999-01-01' }],
    [calendarQuerySchema, { from: '2026-01-02', to: '2026-01-01' }],
    [calendarQuerySchema, { since: '2026-01-01' }],
    [calendarDayBodySchema, { kind: 'party' }],
    [calendarDayBodySchema, { kind: 'holiday', name: '' }],
    [calendarDayBodySchema, { kind: 'closed', reason: 'x' }],
    [closedWeekdaysBodySchema, { closedWeekdays: ['monday', 'monday'] }],
    [closedWeekdaysBodySchema, { closedWeekdays: ['funday'] }],
    [runsQuerySchema, { limit: '0' }],
    [runsQuerySchema, { limit: '101' }],
    [runParamsSchema, { siteId: 's1', runId: '../x' }],
  ] as const)('refuses %#', (schema, input) => {
    expect(schema.safeParse(input).success).toBe(false);
  });

  it('defaults accuracy to net sales one day ahead', () => {
    expect(accuracyQuerySchema.parse({})).toEqual({ metric: 'netSales', horizon: 1, format: 'json' });
  });
});
