// The forecast domain's pure part: the daily series from learnt days (gaps as null), rounding of money and counts,
// the labelled fallback below two weeks, the backtest choice on a longer history, no data, and the query's limits.
import { dailySeriesOf, MAX_FORECAST_DAYS, MIN_HISTORY_DAYS, roundForecast, salesForecast } from '../../functions/forecast/forecast-rules';
import { salesForecastQuerySchema } from '../../functions/forecast/schemas';
import type { DailyPoint } from '../../functions/forecast/daily-series-store';
import { addDays } from '../../functions/shared/time';

/** A restaurant-like week: quiet Monday, busy Friday and Saturday; cents for money, a little deterministic noise. */
const WEEK = [0.6, 0.8, 0.9, 1.0, 1.4, 1.6, 1.1];
function history(days: number, from = '2026-08-03'): DailyPoint[] {
  return Array.from({ length: days }, (_, i) => {
    const level = WEEK[i % 7]! * (1 + 0.05 * Math.sin(i * 1.7));
    return { date: addDays(from, i), netSales: Math.round(150_000 * level), orders: Math.round(60 * level), covers: Math.round(110 * level), currency: 'EUR' };
  });
}

describe('the daily series', () => {
  it('runs from the first to the last day learnt, a missing day null, whatever the order of the points', () => {
    const points = [history(5)[4]!, history(5)[0]!, history(5)[1]!];
    const series = dailySeriesOf(points, 'covers');
    expect(series).toEqual({
      from: '2026-08-03',
      to: '2026-08-07',
      dates: ['2026-08-03', '2026-08-04', '2026-08-05', '2026-08-06', '2026-08-07'],
      values: [points[1]!.covers, points[2]!.covers, null, null, points[0]!.covers],
    });
  });

  it('keeps a day with zero sales after the first trade as zero, not as a gap', () => {
    const day = (date: string, orders: number) => ({ date, netSales: 5 * orders, orders, covers: orders });
    expect(dailySeriesOf([day('2026-08-03', 1), day('2026-08-04', 0), day('2026-08-05', 2)], 'netSales')?.values).toEqual([5, 0, 10]);
  });

  it('starts at the first day with trade: tradeless days before it are before the site opened', () => {
    const day = (date: string, orders: number) => ({ date, netSales: 5 * orders, orders, covers: orders });
    expect(dailySeriesOf([day('2026-08-01', 0), day('2026-08-02', 0), day('2026-08-03', 1), day('2026-08-04', 0)], 'orders')).toEqual({
      from: '2026-08-03',
      to: '2026-08-04',
      dates: ['2026-08-03', '2026-08-04'],
      values: [1, 0],
    });
  });

  it('is undefined without points, or without a day of trade', () => {
    expect(dailySeriesOf([], 'orders')).toBeUndefined();
    expect(dailySeriesOf([{ date: '2026-08-01', netSales: 0, orders: 0, covers: 0 }], 'orders')).toBeUndefined();
  });
});

describe('rounding', () => {
  it('gives money in integer minor units rounded half up and counts to two decimals, never below zero', () => {
    expect(roundForecast('netSales', 1234.5)).toBe(1235);
    expect(roundForecast('netSales', 1234.49)).toBe(1234);
    expect(roundForecast('netSales', -20.7)).toBe(0);
    expect(roundForecast('covers', 41.125)).toBe(41.13);
    expect(roundForecast('orders', 41.124)).toBe(41.12);
    expect(roundForecast('orders', -0.2)).toBe(0);
  });
});

describe('the forecast', () => {
  it('of a site without data is empty with reason no-data', () => {
    expect(salesForecast([], 'netSales', 7)).toEqual({ metric: 'netSales', currency: null, reason: 'no-data', history: null, forecast: [] });
  });

  it(`below ${MIN_HISTORY_DAYS} observed days is a labelled fallback with its reason`, () => {
    const points = history(10);
    const result = salesForecast(points, 'covers', 3);
    if (!result.history) throw new Error('expected a forecast');
    expect(result.method).toBe('MEAN (fallback)');
    expect(result.fallback?.reason).toMatch(/10 days of history: a weekly model needs 14/);
    expect(result.backtest.candidates).toEqual([]);
    const mean = points.reduce((sum, point) => sum + point.covers, 0) / points.length;
    expect(result.forecast.map((day) => day.date)).toEqual(['2026-08-13', '2026-08-14', '2026-08-15']);
    expect(result.forecast[0]!.mean).toBe(roundForecast('covers', mean));
  });

  it('on 13 weeks picks a model by backtest, reports every candidate, and follows the weekly pattern', () => {
    const points = history(91);
    const result = salesForecast(points, 'netSales', 14);
    if (!result.history) throw new Error('expected a forecast');
    expect(result.history).toEqual({ from: '2026-08-03', to: '2026-11-01', days: 91, observedDays: 91 });
    expect(result.fallback).toBeUndefined();
    expect(result.currency).toBe('EUR');
    expect(result.backtest.candidates.map((c) => c.candidate)).toEqual(['SNAIVE', 'ETS']);
    const best = Math.min(...result.backtest.candidates.map((c) => c.mase ?? Infinity));
    expect(result.backtest.candidates.find((c) => c.method === result.method)?.mase).toBe(best);
    expect(result.forecast).toHaveLength(14);
    for (const day of result.forecast) {
      for (const value of [day.mean, day.lower80, day.upper80, day.lower95, day.upper95]) expect(Number.isInteger(value) && value! >= 0).toBe(true);
      expect(day.lower95!).toBeLessThanOrEqual(day.lower80!);
      expect(day.lower80!).toBeLessThanOrEqual(day.mean!);
      expect(day.mean!).toBeLessThanOrEqual(day.upper80!);
      expect(day.upper80!).toBeLessThanOrEqual(day.upper95!);
    }
    // 2026-11-02 is a Monday (the quiet day), 2026-11-07 a Saturday (the busiest).
    const byDate = new Map(result.forecast.map((day) => [day.date, day.mean]));
    expect(byDate.get('2026-11-07')!).toBeGreaterThan(2 * byDate.get('2026-11-02')!);
  });

  it('fits across gaps (closed days) without counting them as zeros', () => {
    const points = history(63).filter((_, i) => i % 7 !== 0); // closed every Monday
    const result = salesForecast(points, 'orders', 7);
    if (!result.history) throw new Error('expected a forecast');
    expect(result.history.days).toBe(62);
    expect(result.history.observedDays).toBe(54);
    // Mondays were never open: no forecast for them (null, not zero); every other day near its weekday's level.
    const monday = result.forecast.find((day) => new Date(`${day.date}T12:00:00Z`).getUTCDay() === 1)!;
    expect(monday).toEqual({ date: monday.date, mean: null, lower80: null, upper80: null, lower95: null, upper95: null });
    expect(result.forecast.filter((day) => day !== monday).every((day) => day.mean! > 40)).toBe(true);
  });
});

describe('the query', () => {
  it('defaults to 7 days of net sales as JSON', () => {
    expect(salesForecastQuerySchema.parse({})).toEqual({ days: 7, metric: 'netSales', format: 'json' });
  });

  it.each([
    [{ days: '0' }, /at least 1/],
    [{ days: String(MAX_FORECAST_DAYS + 1) }, /at most 28/],
    [{ days: '2.5' }, /whole number from 1 to 28/],
    [{ days: 'many' }, /whole number from 1 to 28/],
    [{ metric: 'profit' }, /netSales/],
    [{ horizon: '7' }, /horizon/],
  ])('refuses %j', (query, message) => {
    const parsed = salesForecastQuerySchema.safeParse(query);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(message);
  });
});
