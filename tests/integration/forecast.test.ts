// The forecast domain over the running stack: analytics' hourly publishDailyFigures job publishes each closed day of a
// site once (and again when a late refund changes it), the forecast domain learns the days from those events only,
// a replay of the archive rebuilds them, and GET …/forecast/sales answers from them: a labelled fallback on a week of
// history, no-data for a site without any, 403 to staff, 400 past 28 days, CSV; and the demo site's thirteen weeks
// give a backtested forecast.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand } from '@aws-sdk/client-sns';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { buildEvent, type EventEnvelope } from '../../functions/shared/events';
import { addDays } from '../../functions/shared/time';
import { sampleData } from '../unit/fixtures/events';
import { api, describeLocal, dynamo, eventually, sns, stage, tableName, topicArn, uniqueId } from './support/target';
import { archivedEventually, invokeReplay } from './support/archive';
import { bearer, theOwner } from './support/identity';
import { subscribeHttp, type HttpSubscriber } from './support/sns-subscriber';
import { expectStatus, idempotencyKey, orderingSite, placeOrder, type OrderingSite } from './support/orders';
import { analyticsLearntSite } from './support/analytics';

let site: OrderingSite;
let subscriber: HttpSubscriber | undefined;
const published: any[] = [];
let today: string;
const forecastOf = (query: string, user = site.manager, siteId = site.siteId) => api('GET', `/sites/${siteId}/forecast/sales?${query}`, { headers: bearer(user) });

/** An orders event for a past business day, on the events topic as the orders domain would publish it. */
async function publishOrdersEvent(type: 'order.paid' | 'payment.refunded', data: Record<string, unknown>) {
  const event = buildEvent({ type, source: 'orders', siteId: site.siteId, correlationId: uniqueId('forecast-test'), data });
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn('events'),
      Message: JSON.stringify(event),
      MessageAttributes: Object.fromEntries((['type', 'siteId', 'source'] as const).map((name) => [name, { DataType: 'String', StringValue: event[name] }])),
    }),
  );
}

const paidOn = (businessDay: string, orderId = uniqueId('ord')) =>
  publishOrdersEvent('order.paid', { ...sampleData('order.paid'), orderId, businessDay, currency: 'EUR', placedAt: `${businessDay}T11:30:00.000Z` });

async function runJob(): Promise<Record<string, number>> {
  const lambda = new LambdaClient({ endpoint: `http://127.0.0.1:${process.env.BRIGADE_LAMBDA_PORT ?? '3002'}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const result = await lambda.send(new InvokeCommand({ FunctionName: `brigade-${stage}-publishDailyFigures`, Payload: Buffer.from('{}') }));
    expect(result.FunctionError).toBeUndefined();
    return JSON.parse(Buffer.from(result.Payload ?? []).toString('utf8'));
  } finally {
    lambda.destroy();
  }
}

const sample = sampleData('order.paid');
const NET = sample.totals.subtotal - sample.totals.discount;
const COVERS = sample.channel.type === 'dine-in' ? sample.channel.covers : 0;
let busyDay: string;
let quietDay: string;

beforeAll(async () => {
  // Business days that start at midnight: the days this test names are the site's calendar dates, which then hold
  // its orders and shifts at any hour. With the default 04:00, what happens from midnight to 4 belongs to the day
  // before (analytics-business-day.test.ts).
  site = await orderingSite(undefined, { businessDayStartsAt: '00:00' });
  await analyticsLearntSite(site.siteId);
  subscriber = await subscribeHttp('events', { siteId: [site.siteId], type: ['analytics.daily-figures'] }, (envelope) => published.push(envelope));
  today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  busyDay = addDays(today, -2);
  quietDay = addDays(today, -4);
  // Today's paid order: booked on today's business day, which is not closed yet, so not published.
  const order = (await expectStatus(placeOrder(site, site.staff, [{ itemId: site.items.burger, quantity: 1 }]), 201)).json;
  await expectStatus(api('POST', `/sites/${site.siteId}/orders/${order.orderId}/payments`, { body: { method: 'cash', amount: order.totals.total, tendered: order.totals.total }, headers: { ...bearer(site.staff), ...idempotencyKey() } }), 201);
  await Promise.all([paidOn(busyDay), paidOn(busyDay), paidOn(quietDay, 'ord-quiet')]);
  await eventually(async () => {
    const days = await Promise.all([busyDay, quietDay, today].map(async (date) => (await expectStatus(api('GET', `/sites/${site.siteId}/analytics/dashboard?date=${date}`, { headers: bearer(site.manager) }), 200)).json.day.orders));
    return days.join() === '2,1,1' ? days : undefined;
  }, 45_000, 'the orders counted');
}, 120_000);

afterAll(async () => {
  await subscriber?.close();
});

describeLocal('analytics.daily-figures (local: the test invokes the hourly job)', () => {
  it('publishes the seven closed days once, zeros included, today not; a late refund publishes its day again', async () => {
    await runJob();
    const firstRun = await eventually(async () => (published.length >= 7 ? [...published] : undefined), 30_000, 'seven days published');
    expect(firstRun.map((e) => e.data.date).sort()).toEqual(Array.from({ length: 7 }, (_, i) => addDays(today, i - 7)));
    const byDate = new Map(firstRun.map((e: EventEnvelope<any>) => [e.data.date, e]));
    expect(byDate.get(busyDay)?.data).toMatchObject({ netSales: 2 * NET, orders: 2, covers: 2 * COVERS, refunds: 0, currency: 'EUR', closed: true, hours: [{ hour: '12', netSales: 2 * NET, orders: 2 }] });
    expect(byDate.get(quietDay)?.data).toMatchObject({ netSales: NET, orders: 1, covers: COVERS });
    expect(byDate.get(addDays(today, -1))?.data).toMatchObject({ netSales: 0, orders: 0, covers: 0, hours: [], items: [] });
    expect(byDate.get(busyDay)?.id).toMatch(new RegExp(`^daily-figures:${site.siteId}:${busyDay}:r[0-9a-f]{16}$`));

    // Nothing changed: the second run publishes nothing for this site. Then a refund on the quiet day: only that day again.
    await runJob();
    await publishOrdersEvent('payment.refunded', { ...sampleData('payment.refunded'), orderId: 'ord-quiet', businessDay: quietDay });
    await eventually(async () => {
      const day = (await expectStatus(api('GET', `/sites/${site.siteId}/analytics/dashboard?date=${quietDay}`, { headers: bearer(site.manager) }), 200)).json.day;
      return day.refunds.count === 1 ? day : undefined;
    }, 30_000, 'the refund counted');
    await runJob();
    const again = await eventually(async () => (published.length >= 8 ? published.slice(7) : undefined), 30_000, 'the refunded day published again');
    expect(again.map((e) => e.data.date)).toEqual([quietDay]);
    expect(again[0].data.refunds).toBe(sampleData('payment.refunded').refund.amount);
    expect(again[0].id).not.toBe(byDate.get(quietDay)?.id);
    expect(published).toHaveLength(8);
  }, 90_000);

  it('is learnt by the forecast domain: from its first day of trade, a few days of history give a labelled fallback', async () => {
    // The 7 days published start with days without trade (the site was not open yet): history starts at the quiet day.
    const forecast = await eventually(async () => {
      const res = await forecastOf('metric=orders&days=3');
      return res.status === 200 && res.json.history?.observedDays === 4 && res.json.history?.to === addDays(today, -1) ? res.json : undefined;
    }, 30_000, 'the days learnt');
    expect(forecast).toMatchObject({ siteId: site.siteId, run: null, metric: 'orders', currency: 'EUR', history: { from: quietDay, to: addDays(today, -1), days: 4 }, method: 'MEAN (fallback)' });
    expect(forecast.fallback.reason).toMatch(/4 days of history: a weekly model needs 14/);
    expect(forecast.forecast.map((d: any) => d.date)).toEqual([today, addDays(today, 1), addDays(today, 2)]);
    expect(forecast.forecast[0].mean).toBe(Math.round((3 / 4) * 100) / 100);
    const item = await dynamo.send(new GetCommand({ TableName: tableName('forecast'), Key: { pk: `SITE#${site.siteId}#DAILY`, sk: `DAY#${quietDay}` } }));
    expect(item.Item).toMatchObject({ orders: 1, netSales: NET, eventId: published[7].id });

    const csv = await expectStatus(forecastOf('metric=netSales&days=2&format=csv'), 200);
    expect(csv.text.split('\r\n')[0]).toBe('date,mean_minor,mean,lower80_minor,lower80,upper80_minor,upper80,lower95_minor,lower95,upper95_minor,upper95,method,currency');
    expect(csv.text.trim().split('\r\n')).toHaveLength(3);
  }, 45_000);

  it("is rebuilt by a replay of the site's archived daily figures to learnDailyFigures, newest figures kept", async () => {
    const table = tableName('forecast');
    const key = (date: string) => ({ pk: `SITE#${site.siteId}#DAILY`, sk: `DAY#${date}` });
    await archivedEventually(site.siteId, published.map((event) => event.id));
    const dates = Array.from({ length: 7 }, (_, i) => addDays(today, i - 7));
    for (const date of dates) await dynamo.send(new DeleteCommand({ TableName: table, Key: key(date) }));
    expect((await forecastOf('days=1')).json.reason).toBe('no-data');
    const result = await invokeReplay({ siteId: site.siteId, target: 'learnDailyFigures', types: ['analytics.daily-figures'] });
    expect(result).toEqual({ ok: true, payload: { replayed: 8, done: true } });
    const quiet = (await dynamo.send(new GetCommand({ TableName: table, Key: key(quietDay), ConsistentRead: true }))).Item;
    expect(quiet).toMatchObject({ orders: 1, eventId: published[7].id });
    expect((await forecastOf('metric=orders&days=1')).json.history).toMatchObject({ from: quietDay, days: 4, observedDays: 4 });
  }, 45_000);
});

describeLocal('a day of more menu items than one event holds', () => {
  it('regression: 600 long-named items sold on a day are published as the best sellers within SNS’s 256 KiB, the rest counted; forecast keeps the count (the publish was refused, and stopped the job for every site after)', async () => {
    const crowded = await orderingSite(undefined, { businessDayStartsAt: '00:00' });
    await analyticsLearntSite(crowded.siteId);
    const events: EventEnvelope<any>[] = [];
    const crowdedSubscriber = await subscribeHttp('events', { siteId: [crowded.siteId], type: ['analytics.daily-figures'] }, (envelope) => events.push(envelope));
    try {
      const day = addDays(today, -3);
      const template = sample.lines[0]!;
      // 6 orders of 100 lines, each line another item named in 120 characters of a 3-byte script; item n sells n % 50 + 1.
      const itemId = (n: number) => `crowded-item-${String(n).padStart(3, '0')}`;
      const quantity = (n: number) => (n % 50) + 1;
      for (let order = 0; order < 6; order++) {
        const lines = Array.from({ length: 100 }, (_, k) => {
          const n = order * 100 + k;
          return { ...template, lineId: `L${k}`, itemId: itemId(n), name: `${'漢'.repeat(116)}${String(n).padStart(4, '0')}`, quantity: quantity(n) };
        });
        const event = buildEvent({
          type: 'order.paid',
          source: 'orders',
          siteId: crowded.siteId,
          correlationId: uniqueId('crowded'),
          data: { ...sample, orderId: uniqueId('ord'), businessDay: day, currency: 'EUR', placedAt: `${day}T12:00:00.000Z`, lines },
        });
        await sns.send(
          new PublishCommand({
            TopicArn: topicArn('events'),
            Message: JSON.stringify(event),
            MessageAttributes: Object.fromEntries((['type', 'siteId', 'source'] as const).map((name) => [name, { DataType: 'String', StringValue: event[name] }])),
          }),
        );
      }
      await eventually(async () => {
        const figures = (await expectStatus(api('GET', `/sites/${crowded.siteId}/analytics/dashboard?date=${day}`, { headers: bearer(crowded.manager) }), 200)).json.day;
        return figures.orders === 6 ? figures : undefined;
      }, 60_000, 'the six orders counted');

      const run = await runJob();
      expect(run).toMatchObject({ failed: 0 });
      const published = await eventually(async () => events.find((event) => event.data.date === day), 30_000, 'the crowded day published');
      expect(Buffer.byteLength(JSON.stringify(published))).toBeLessThan(256 * 1024);
      const kept = published.data.items as Array<{ itemId: string; quantity: number }>;
      expect(kept.length).toBeGreaterThan(400);
      expect(kept.length).toBeLessThan(600);
      expect(published.data.itemsLeftOut).toBe(600 - kept.length);
      // The best sellers: nothing left out sold more than the least kept.
      const leastKept = Math.min(...kept.map((item) => item.quantity));
      const all = Array.from({ length: 600 }, (_, n) => n);
      const keptIds = new Set(kept.map((item) => item.itemId));
      expect(all.filter((n) => !keptIds.has(itemId(n)) && quantity(n) > leastKept)).toEqual([]);

      const learnt = await eventually(async () => {
        const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('forecast'), Key: { pk: `SITE#${crowded.siteId}#DAILY`, sk: `DAY#${day}` }, ConsistentRead: true }));
        return Item?.eventId === published.id ? Item : undefined;
      }, 30_000, 'the crowded day learnt');
      expect(learnt).toMatchObject({ orders: 6, itemsLeftOut: 600 - kept.length });
      expect(learnt.items).toHaveLength(kept.length);
    } finally {
      await crowdedSubscriber.close();
    }
  }, 150_000);
});

describe('GET /sites/{siteId}/forecast/sales', () => {
  it('answers no-data for a site without history, 403 to staff, 400 past 28 days', async () => {
    const owner = await theOwner();
    const fresh = await expectStatus(forecastOf('days=7', owner, uniqueId('no-data')), 200);
    expect(fresh.json).toMatchObject({ reason: 'no-data', history: null, forecast: [] });
    await expectStatus(forecastOf('days=7', site.staff), 403);
    const tooFar = await expectStatus(forecastOf('days=29'), 400);
    expect(tooFar.text).toMatch(/at most 28/);
  });

  it('gives the demo site a backtested forecast from its thirteen weeks', async () => {
    await eventually(async () => (await dynamo.send(new GetCommand({ TableName: tableName('analytics'), Key: { pk: 'DEMO', sk: 'HISTORY#demo-bistro' } }))).Item, 120_000, 'the demo history seeded');
    const owner = await theOwner();
    const demo = (await expectStatus(forecastOf('days=14&metric=covers', owner, 'demo-bistro'), 200)).json;
    expect(demo.history.days).toBeGreaterThanOrEqual(91);
    expect(demo.fallback).toBeUndefined();
    expect(demo.backtest.candidates.map((c: any) => c.candidate)).toContain('SNAIVE');
    expect(demo.backtest.candidates.every((c: any) => c.windows === 4)).toBe(true);
    expect(demo.forecast).toHaveLength(14);
    expect(demo.forecast.every((d: any) => d.mean > 0 && d.lower95 <= d.mean && d.mean <= d.upper95)).toBe(true);
  }, 150_000);
});
