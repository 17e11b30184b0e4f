// Analytics' figures from every domain, and a rebuild from the event archive that finds them again exactly: orders
// placed and paid (one refunded), a staff member's profile (its pay rates) and a shift clocked in and out, stock
// wasted and depleted by a sale, and a freezer excursion published on the alerts topic as iot publishes it. The
// dashboard shows labour, food cost, waste and food safety beside the sales; then `rebuildAnalyticsSite` (what
// `npm run analytics:rebuild` runs) deletes the site's figures under a new epoch and replays the archive, and every
// figure, hour, menu item and customer is as it was. A second rebuild too (receipts are per epoch).
import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { rebuildAnalyticsSite } from '../../scripts/analytics-rebuild';
import { PUBLISHED_DAYS } from '../../functions/analytics/daily-figures-rules';
import { publishEvent } from '../../functions/shared/event-publisher';
import { buildEvent } from '../../functions/shared/events';
import { sampleData } from '../unit/fixtures/events';
import { createStockItem, move } from './support/inventory';
import { expectStatus, idempotencyKey, orderingSite, type OrderingSite } from './support/orders';
import { profileBody, putProfile, tap } from './support/staff';
import { bearer } from './support/identity';
import { api, describeLocal, dynamo, eventually, region, stage, tableName, topicArn } from './support/target';
import { analyticsLearntSite } from './support/analytics';

let site: OrderingSite;
let day: string;

const endpoint = process.env.AWS_ENDPOINT_URL_LAMBDA ?? process.env.AWS_ENDPOINT_URL;
const lambda = new LambdaClient({ region, ...(endpoint && { endpoint }) });
const invoke = async (functionName: string, payload: unknown) => {
  const result = await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(payload)) }));
  const text = result.Payload ? Buffer.from(result.Payload).toString('utf8') : '';
  if (result.FunctionError) throw new Error(`${functionName}: ${text}`);
  return JSON.parse(text) as unknown;
};

const dashboard = async () => (await expectStatus(api('GET', `/sites/${site.siteId}/analytics/dashboard?date=${day}`, { headers: bearer(site.manager) }), 200)).json;

/** Every item of the site's partition (figures and state), without what differs by design between epochs. */
async function partition(): Promise<Record<string, Record<string, unknown>>> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({ TableName: tableName('analytics'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SITE#${site.siteId}#SALES` }, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  // Not figures: the hourly publishDailyFigures job's markers, which a rebuild deletes and its next run writes again.
  return Object.fromEntries(items.filter((item) => !(item.sk as string).startsWith('PUBLISHED#')).map((item) => [item.sk as string, item]));
}

let before: { dashboard: any; items: Record<string, Record<string, unknown>> };

beforeAll(async () => {
  // In New York, in dollars: the federal pay pack's currency, so the shift is costed.
  site = await orderingSite({ timeZone: 'America/New_York', currency: 'USD' });
  await analyticsLearntSite(site.siteId);

  // Labour: a profile (its pay rates reach analytics), then a shift on the clock.
  await putProfile(site.siteId, site.manager, site.staff.userId, profileBody({ positions: [{ positionId: 'server', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1800 }] }] }));
  await eventually(async () => (await dynamo.send(new GetCommand({ TableName: tableName('analytics'), Key: { pk: `SITE#${site.siteId}#SALES`, sk: `RATES#${site.staff.userId}` } }))).Item, 30_000, 'the pay rates learnt');
  await expectStatus(tap(site.siteId, site.manager, site.staff.userId, 'clock-in', { positionId: 'server' }), 201);

  // Sales: two orders paid, one partly refunded; one of them names a loyalty customer.
  const { burger, lemonade } = site.items;
  const orders: any[] = [];
  for (const [lines, extra] of [
    [[{ itemId: burger, quantity: 2 }], { customer: { loyaltyId: `L-${randomUUID().slice(0, 8)}` } }],
    [[{ itemId: lemonade, quantity: 3 }], {}],
  ] as const) {
    const placed = (await expectStatus(api('POST', `/sites/${site.siteId}/orders`, { body: { channel: { type: 'takeaway' }, lines, ...extra }, headers: { ...bearer(site.staff), ...idempotencyKey() } }), 201)).json;
    const paid = await expectStatus(api('POST', `/sites/${site.siteId}/orders/${placed.orderId}/payments`, { body: { method: 'card', amount: placed.totals.total, tip: 100, cardReference: 'tok_visa' }, headers: { ...bearer(site.staff), ...idempotencyKey() } }), 201);
    orders.push(paid.json);
  }
  day = orders[0].order.businessDay;
  await expectStatus(api('POST', `/sites/${site.siteId}/orders/${orders[0].order.orderId}/refunds`, { body: { paymentId: orders[0].payment.paymentId, amount: 300, reason: 'cold' }, headers: { ...bearer(site.manager), ...idempotencyKey() } }), 201);

  // Stock: an item received, then some of it wasted.
  const stockSite = { siteId: site.siteId, manager: site.manager, staff: site.staff };
  await createStockItem(stockSite, { itemId: 'cream', name: 'Cream', category: 'dairy', baseUnit: 'ml', units: [{ name: 'carton', quantity: 1, unit: 'l' }], locations: ['walk-in'] });
  await expectStatus(move(stockSite, site.manager, 'cream', 'receipts', { location: 'walk-in', quantity: 4, unit: 'carton', unitCost: 1200 }), 201);
  await expectStatus(move(stockSite, site.manager, 'cream', 'waste', { location: 'walk-in', quantity: 250, unit: 'ml', reason: 'spoiled' }), 201);

  // Food safety: an excursion and its end, as iot publishes them on the alerts topic.
  const incidentId = `incident-${randomUUID()}`;
  // Filed on the business day it started: the first order's, whatever the hour (30 minutes before now was the day
  // before between 04:00 and 04:30 in New York, when that day starts, and the suite failed then).
  const startedAt = orders[0].order.placedAt as string;
  for (const [type, data] of [
    ['iot.excursion-started', sampleData('iot.excursion-started', { incidentId, startedAt, detectedAt: startedAt })],
    ['iot.excursion-ended', sampleData('iot.excursion-ended', { incidentId, startedAt, endedAt: new Date().toISOString(), durationMinutes: 12.5 })],
  ] as const)
    await publishEvent(topicArn('alerts'), buildEvent({ type, source: 'iot', siteId: site.siteId, correlationId: randomUUID(), data: data as Record<string, unknown> }));

  // Staff counts whole seconds: the shift lasts at least two whatever the machine's speed.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await expectStatus(tap(site.siteId, site.manager, site.staff.userId, 'clock-out'), 201);

  const settled = await eventually(
    async () => {
      const d = await dashboard();
      const f = d.day;
      return f.orders === 2 && f.refunds.count === 1 && f.labour.seconds > 0 && f.labour.cost >= 0 && f.waste.count === 1 && f.foodSafety.incidents === 1 && f.foodSafety.minutesOutOfRange === 12.5 ? d : undefined;
    },
    60_000,
    'every domain’s events counted',
  );
  before = { dashboard: settled, items: await partition() };
}, 180_000);

describeLocal('figures from every domain', () => {
  it('shows labour at the pay rate, waste, food safety and known customers beside the sales', () => {
    const f = before.dashboard.day;
    expect(f.labour.uncostedSeconds).toBe(0);
    expect(f.labour.cost).toBe(Math.floor((1800 * f.labour.seconds) / 3600 + 0.5));
    expect(f.byServer[site.staff.userId].labourSeconds).toBe(f.labour.seconds);
    expect(f.waste).toMatchObject({ count: 1, byReason: { spoiled: f.waste.value } });
    expect(f.waste.value).toBe(300); // 250 ml of a carton of 1 l at $12.00
    expect(f.labour.percentOfSalesBps).toBe(Math.floor((f.labour.cost * 10_000) / f.netSales + 0.5));
    expect(f.foodSafety).toEqual({ incidents: 1, critical: sampleData('iot.excursion-started').severity === 'critical' ? 1 : 0, minutesOutOfRange: 12.5 });
    expect(f.knownCustomers.orders).toBe(1);
    expect(before.items[`RATES#${site.staff.userId}`]).toBeDefined();
    expect(Object.keys(before.items).some((sk) => sk.startsWith('CUSTOMER#loyalty:'))).toBe(true);
  });
});

describeLocal('a rebuild from the archive', () => {
  it('finds every figure and state item again, twice', async () => {
    for (let round = 1; round <= 2; round++) {
      const result = await rebuildAnalyticsSite({ stage, siteId: site.siteId, invoke, log: () => undefined });
      expect(result.replayed).toBeGreaterThanOrEqual(8);
      // Every item, plus the daily-figures job's markers when a run of it came in between: forecast.test.ts invokes
      // the job (for every site) while this file runs beside it.
      expect(result.deleted).toBeGreaterThanOrEqual(Object.keys(before.items).length);
      expect(result.deleted).toBeLessThanOrEqual(Object.keys(before.items).length + PUBLISHED_DAYS);
      expect(await partition()).toEqual(before.items);
      expect((await dashboard()).day).toEqual(before.dashboard.day);
    }
  }, 120_000);
});
