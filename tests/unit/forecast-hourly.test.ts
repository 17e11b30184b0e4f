// The hourly forecast (functions/forecast/hourly-forecast-rules.ts, models/hourly.ts, models/seasonal-adjusted-ets.ts):
// the profile split adds up to the daily forecast, closed days, hours never traded, DST days, the fallback under two
// weeks, no-data, and intervals in order and never negative.
import { addDays } from '../../functions/shared/time';
import type { DailyPoint, HourFigures } from '../../functions/forecast/daily-series-store';
import { HOUR_LABELS, hourlyForecast, hourlySeriesOf, type HourlyForecast } from '../../functions/forecast/hourly-forecast-rules';
import { chooseByBacktest } from '../../functions/forecast/models/backtest';
import { chooseHourlyModel, dailyProfile, dailyTotalsOf, HOURS_PER_WEEK } from '../../functions/forecast/models/hourly';
import { hourlySeason, seasonalAdjustedEts } from '../../functions/forecast/models/seasonal-adjusted-ets';

/** A seeded uniform generator (Park–Miller), so every run sees the same restaurant. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

const START = '2026-08-03'; // a Monday
const OPEN_HOURS = [11, 12, 13, 14, 17, 18, 19, 20, 21, 22];
const WEEKDAY_LEVEL = [0.8, 0.9, 0.9, 1, 1.3, 1.5, 1.1];

/** Days of a restaurant: lunch and dinner peaks, closed nights, busier weekends, noise; netSales in cents. */
function restaurantDays(days: number, seed = 16, skip: (date: string) => boolean = () => false): DailyPoint[] {
  const next = random(seed);
  const points: DailyPoint[] = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(START, d);
    if (skip(date)) continue;
    const hours: HourFigures[] = OPEN_HOURS.map((hour) => {
      const peak = 8 * Math.exp(-((hour - 12.5) ** 2) / 2) + 10 * Math.exp(-((hour - 19.5) ** 2) / 3);
      const covers = Math.max(0, Math.round(WEEKDAY_LEVEL[d % 7]! * peak + (next() - 0.5) * 4));
      return { hour: String(hour).padStart(2, '0'), covers, orders: Math.ceil(covers / 2), netSales: covers * 2450 + Math.round(next() * 500) };
    });
    const sum = (key: 'covers' | 'orders' | 'netSales') => hours.reduce((total, hour) => total + hour[key], 0);
    points.push({ date, netSales: sum('netSales'), orders: sum('orders'), covers: sum('covers'), currency: 'EUR', hours });
  }
  return points;
}

type Answered = Extract<HourlyForecast, { method: string }>;
const answered = (forecast: HourlyForecast): Answered => {
  if (!('method' in forecast)) throw new Error('expected a forecast, got no-data');
  return forecast;
};

const eightWeeks = restaurantDays(56);
let covers: Answered;
let netSales: Answered;

beforeAll(() => {
  covers = answered(hourlyForecast(eightWeeks, 'covers', 7, new Set()));
  netSales = answered(hourlyForecast(eightWeeks, 'netSales', 7, new Set([addDays(START, 58)])));
});

describe('hourlyForecast', () => {
  it('forecasts each of the next days hour by hour from the backtest winner, with its parameters and scores', () => {
    expect(covers.history).toEqual({ from: START, to: addDays(START, 55), days: 56, observedDays: 56 });
    expect(covers.forecast.map((day) => day.date)).toEqual(Array.from({ length: 7 }, (_, i) => addDays(START, 56 + i)));
    expect(covers.forecast.every((day) => day.hours.map((h) => h.hour).join() === HOUR_LABELS.join())).toBe(true);
    expect(covers.backtest.candidates.map((c) => c.candidate)).toEqual(['SNAIVE', 'DAILY × PROFILE', 'MSTL + ETS']);
    expect(covers.backtest.candidates.every((c) => c.windows === 4 && c.mase !== null)).toBe(true);
    const best = Math.min(...covers.backtest.candidates.map((c) => c.mase!));
    expect(covers.backtest.candidates.find((c) => c.method === covers.method)?.mase).toBe(best);
    expect(covers.method).not.toBe('SNAIVE'); // ten peaks a day with ±2 noise: last week's hours are the noisiest guess
    expect(Object.keys(covers.parameters).length).toBeGreaterThan(0);
    expect(covers.fallback).toBeUndefined();
  });

  it("adds each day's hours up to its total exactly: integer minor units for money, hundredths for counts", () => {
    for (const day of netSales.forecast) {
      expect(day.hours.every((h) => Number.isInteger(h.mean))).toBe(true);
      expect(day.hours.reduce((sum, h) => sum + h.mean!, 0)).toBe(day.mean);
    }
    for (const day of covers.forecast) {
      const hundredths = day.hours.map((h) => Math.round(h.mean! * 100));
      expect(day.hours.every((h, i) => Math.abs(h.mean! * 100 - hundredths[i]!) < 1e-9)).toBe(true);
      expect(hundredths.reduce((a, b) => a + b, 0)).toBe(Math.round(day.mean! * 100));
    }
  });

  it('keeps the weekly rhythm: a Saturday forecasts more than a Monday', () => {
    const saturday = covers.forecast.find((day) => new Date(`${day.date}T12:00:00Z`).getUTCDay() === 6)!;
    const monday = covers.forecast.find((day) => new Date(`${day.date}T12:00:00Z`).getUTCDay() === 1)!;
    expect(saturday.mean!).toBeGreaterThan(1.3 * monday.mean!);
  });

  it('puts 0 with a zero interval on hours the site never traded, and on a closed day', () => {
    for (const forecast of [covers, netSales]) {
      for (const day of forecast.forecast) {
        for (const hour of day.hours.filter((h) => !OPEN_HOURS.includes(Number(h.hour)))) {
          expect(hour).toEqual({ hour: hour.hour, mean: 0, lower80: 0, upper80: 0, lower95: 0, upper95: 0 });
        }
      }
    }
    const closed = netSales.forecast.find((day) => day.date === addDays(START, 58))!;
    expect(closed).toMatchObject({ closed: true, mean: 0 });
    expect(closed.hours.every((h) => h.mean === 0 && h.upper95 === 0)).toBe(true);
    expect(netSales.forecast.filter((day) => day.closed)).toHaveLength(1);
    expect(netSales.forecast.find((day) => day.date === addDays(START, 57))!.mean).toBeGreaterThan(0);
  });

  it('has intervals in order, never below 0, wider at 95 % than at 80 % where trading', () => {
    for (const day of [...covers.forecast, ...netSales.forecast]) {
      for (const h of day.hours) {
        expect(h.lower95! >= 0 && h.lower95! <= h.lower80! && h.lower80! <= h.mean! && h.mean! <= h.upper80! && h.upper80! <= h.upper95!).toBe(true);
      }
      if (!day.closed) expect(day.hours.some((h) => h.upper95! > h.upper80!)).toBe(true);
    }
  });

  it('leaves a closed day of the history out of the fit (a gap, not a zero-demand day)', () => {
    const closedDay = addDays(START, 30);
    const series = hourlySeriesOf(eightWeeks, 'covers', new Set([closedDay]))!;
    expect(series.values.slice(30 * 24, 31 * 24).every((v) => v === null)).toBe(true);
    expect(series.values.slice(29 * 24, 30 * 24).some((v) => v !== null && v > 0)).toBe(true);
    const withClosure = answered(hourlyForecast(eightWeeks, 'covers', 1, new Set([closedDay])));
    expect(withClosure.history.observedDays).toBe(55);
    // A day the site did not send is a gap too.
    const unsent = hourlySeriesOf(restaurantDays(56, 16, (date) => date === closedDay), 'covers', new Set())!;
    expect(unsent.dates).toHaveLength(56);
    expect(dailyTotalsOf(unsent.values).filter((total) => total === null)).toHaveLength(1);
  });

  it('reads DST days as their 24 labels: a skipped hour has no sales, a repeated one is one label; the forecast has 24 every day', () => {
    // Europe/Paris 2026: clocks go back on 25 October (02:00 twice). A late-night bar's 02 hour would count both.
    const points = restaurantDays(56).map((point) =>
      point.date === '2026-09-27' ? { ...point, hours: point.hours!.filter((h) => h.hour !== '12') } : point,
    );
    const series = hourlySeriesOf(points, 'covers', new Set())!;
    expect(series.values).toHaveLength(56 * 24);
    const forecast = answered(hourlyForecast(points, 'covers', 7, new Set()));
    expect(forecast.forecast.every((day) => day.hours.length === 24)).toBe(true);
    expect(forecast.history.observedDays).toBe(56);
  });

  it('is a labelled per-hour mean under two weeks of history, and no-data without any', () => {
    const short = answered(hourlyForecast(restaurantDays(10), 'orders', 3, new Set()));
    expect(short.method).toBe('HOURLY MEAN (fallback)');
    expect(short.fallback?.reason).toMatch(/10 days of history: the hourly models need 14/);
    expect(short.backtest).toEqual({ chosen: 'HOURLY MEAN (fallback)', note: 'not run: too little history', candidates: [] });
    const noon = short.forecast[0]!.hours.find((h) => h.hour === '12')!;
    expect(noon.mean).toBeGreaterThan(0);
    expect(noon.lower95! <= noon.mean! && noon.mean! <= noon.upper95!).toBe(true);
    expect(short.forecast[0]!.hours.find((h) => h.hour === '03')!.upper95).toBe(0);
    expect(hourlyForecast([], 'covers', 7, new Set())).toEqual({ metric: 'covers', currency: null, reason: 'no-data', history: null, forecast: [] });
  });

  it('refuses a horizon outside 1–7 days', () => {
    expect(() => hourlyForecast(eightWeeks, 'covers', 0, new Set())).toThrow(RangeError);
    expect(() => hourlyForecast(eightWeeks, 'covers', 8, new Set())).toThrow(RangeError);
  });
});

describe('the hourly models', () => {
  const series = hourlySeriesOf(eightWeeks, 'covers', new Set())!.values;

  it('DAILY × PROFILE splits the daily forecast over the hours: each day of hours sums to the daily model', () => {
    const model = dailyProfile(series);
    const daily = chooseByBacktest(dailyTotalsOf(series), 7).model.forecast(7).mean;
    const hours = model.forecast(HOURS_PER_WEEK).mean;
    for (let day = 0; day < 7; day++) {
      const sum = hours.slice(day * 24, day * 24 + 24).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(daily[day]!, 9);
    }
    expect(model.method).toBe(`DAILY ${model.daily!.method} × PROFILE`);
  });

  it('MSTL + ETS recovers a daily and weekly season on a level that moves', () => {
    const next = random(3);
    const shape = (t: number) => 10 * Math.sin((2 * Math.PI * (t % 24)) / 24) + (Math.floor(t / 24) % 7 === 5 ? 6 : 0);
    const y = Array.from({ length: 8 * HOURS_PER_WEEK }, (_, t) => 100 + t * 0.01 + shape(t) + (next() - 0.5));
    const model = seasonalAdjustedEts(y)!;
    const forecast = model.forecast(HOURS_PER_WEEK).mean;
    forecast.forEach((value, i) => expect(Math.abs(value - (100 + (y.length + i) * 0.01 + shape(y.length + i)))).toBeLessThan(1.5));
    expect(hourlySeason(y).reduce((a, b) => a + b, 0)).toBeCloseTo(0, 6);
    expect(model.method).toMatch(/^MSTL\(24,168\) \+ ETS\(A,(N|Ad),N\)$/);
  });

  it('refuses a series that is not whole days', () => {
    expect(() => chooseHourlyModel(series.slice(0, 100))).toThrow(RangeError);
  });
});
