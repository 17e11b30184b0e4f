// GET /sites/{siteId}/forecast/hourly over the running stack: no-data for a site without history, 403 to staff, 400s
// with a JSON error, a labelled fallback from a week of learnt days (put in the forecast table as learnDailyFigures
// keeps them), CSV, and the demo site's backtested hourly forecast once its thirteen weeks are written.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { addDays } from '../../functions/shared/time';
import { api, dynamo, eventually, tableName, uniqueId } from './support/target';
import { bearer, createSite, createUser, theOwner, type TestUser } from './support/identity';
import { expectStatus } from './support/orders';

const hourlyOf = (siteId: string, query: string, user: TestUser) => api('GET', `/sites/${siteId}/forecast/hourly?${query}`, { headers: bearer(user) });

let siteId: string;
let manager: TestUser;
let staff: TestUser;
const LAST_DAY = '2026-11-29';

beforeAll(async () => {
  siteId = await createSite();
  [manager, staff] = await Promise.all([createUser('manager', [siteId]), createUser('staff', [siteId])]);
  // A week of learnt days in the item shape learnDailyFigures writes (daily-series-store.ts): lunch at 12, dinner at 19.
  await Promise.all(
    Array.from({ length: 7 }, (_, i) => addDays(LAST_DAY, i - 6)).map((date, i) =>
      dynamo.send(
        new PutCommand({
          TableName: tableName('forecast'),
          Item: {
            pk: `SITE#${siteId}#DAILY`,
            sk: `DAY#${date}`,
            date,
            netSales: 3000 + 100 * i + 5000,
            orders: 3,
            covers: 4 + i,
            currency: 'EUR',
            hours: [
              { hour: '12', netSales: 3000 + 100 * i, orders: 1, covers: 2 },
              { hour: '19', netSales: 5000, orders: 2, covers: 2 + i },
            ],
            items: [],
            eventId: uniqueId('daily-figures'),
            occurredAt: `${addDays(date, 1)}T03:00:00.000Z`,
          },
        }),
      ),
    ),
  );
}, 60_000);

describe('GET /sites/{siteId}/forecast/hourly', () => {
  it('answers no-data for a site without history, 403 to staff, 400 with a JSON error for bad parameters', async () => {
    const fresh = await expectStatus(hourlyOf(uniqueId('no-data'), 'days=7', await theOwner()), 200);
    expect(fresh.json).toMatchObject({ reason: 'no-data', history: null, forecast: [] });
    await expectStatus(hourlyOf(siteId, 'days=7', staff), 403);
    for (const [query, message] of [
      ['days=8', /at most 7/],
      ['days=0', /at least 1/],
      ['metric=profit', /metric/],
      ['horizon=7', /horizon/],
    ] as const) {
      const res = await expectStatus(hourlyOf(siteId, query, manager), 400);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.text).toMatch(message);
    }
  });

  it('forecasts a week of history as the labelled per-hour mean, hour by hour, with intervals; CSV one row per hour', async () => {
    const forecast = (await expectStatus(hourlyOf(siteId, 'metric=covers&days=2', manager), 200)).json;
    expect(forecast).toMatchObject({ siteId, metric: 'covers', currency: 'EUR', history: { from: addDays(LAST_DAY, -6), to: LAST_DAY, days: 7, observedDays: 7 }, method: 'HOURLY MEAN (fallback)' });
    expect(forecast.fallback.reason).toMatch(/7 days of history: the hourly models need 14/);
    expect(forecast.forecast.map((day: any) => day.date)).toEqual([addDays(LAST_DAY, 1), addDays(LAST_DAY, 2)]);
    const [first] = forecast.forecast;
    expect(first.hours).toHaveLength(24);
    expect(first.hours.find((h: any) => h.hour === '12').mean).toBe(2);
    expect(first.hours.find((h: any) => h.hour === '19').mean).toBe(5); // 2..8, mean 5
    expect(first.hours.find((h: any) => h.hour === '03')).toEqual({ hour: '03', mean: 0, lower80: 0, upper80: 0, lower95: 0, upper95: 0 });
    expect(first.mean).toBe(7);
    expect(first.closed).toBe(false);

    const csv = await expectStatus(hourlyOf(siteId, 'metric=netSales&days=1&format=csv', manager), 200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('date,hour,mean_minor,mean,lower80_minor,lower80,upper80_minor,upper80,lower95_minor,lower95,upper95_minor,upper95,closed,method,currency');
    expect(lines).toHaveLength(25);
    expect(lines[13]).toMatch(new RegExp(`^${addDays(LAST_DAY, 1)},12,3300,33\\.00,`));
  });

  it('gives the demo site a backtested hourly forecast from its thirteen weeks', async () => {
    await eventually(async () => (await dynamo.send(new GetCommand({ TableName: tableName('analytics'), Key: { pk: 'DEMO', sk: 'HISTORY#demo-bistro' } }))).Item, 120_000, 'the demo history seeded');
    const owner = await theOwner();
    const demo = await eventually(async () => {
      const res = (await expectStatus(hourlyOf('demo-bistro', 'metric=covers', owner), 200)).json;
      return res.history?.observedDays >= 28 ? res : undefined;
    }, 120_000, 'the demo days learnt');
    expect(demo.fallback).toBeUndefined();
    expect(demo.backtest.candidates.map((c: any) => c.candidate)).toEqual(['SNAIVE', 'DAILY × PROFILE', 'MSTL + ETS']);
    expect(demo.backtest.candidates.every((c: any) => c.windows === 4)).toBe(true);
    expect(demo.forecast).toHaveLength(7);
    for (const day of demo.forecast) {
      expect(day.hours).toHaveLength(24);
      expect(day.mean).toBeGreaterThan(0);
      for (const h of day.hours) expect(0 <= h.lower95 && h.lower95 <= h.lower80 && h.lower80 <= h.mean && h.mean <= h.upper80 && h.upper80 <= h.upper95).toBe(true);
      expect(Math.round(day.hours.reduce((sum: number, h: any) => sum + h.mean * 100, 0))).toBe(Math.round(day.mean * 100));
    }
  }, 300_000);
});
