// Analytics over the running stack: orders placed, paid, refunded and voided through the orders API reach the
// analytics domain only as events, and its dashboard and sales report show them: every headline figure, the
// channels, server, payment methods, top items and hours, a refund and a void on the order's business day, the
// counters in the table, a redelivered event counted once, range limits, CSV, and who may read.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { addDays } from '../../functions/shared/time';
import { api, describeLocal, dynamo, eventually, stage, tableName } from './support/target';
import { bearer, theOwner } from './support/identity';
import { subscribeHttp, type HttpSubscriber } from './support/sns-subscriber';
import { expectStatus, idempotencyKey, orderingSite, placeOrder, type OrderingSite } from './support/orders';
import { analyticsLearntSite } from './support/analytics';

let site: OrderingSite;
let subscriber: HttpSubscriber | undefined;
const paidEvents: any[] = [];

interface Booked {
  orderId: string;
  businessDay: string;
  placedAt: string;
  totals: { subtotal: number; discount: number; tax: number; tip: number; total: number };
}

const orderPath = (orderId: string) => `/sites/${site.siteId}/orders/${orderId}`;
const dashboardOf = (date: string, user = site.manager) => api('GET', `/sites/${site.siteId}/analytics/dashboard?date=${date}`, { headers: bearer(user) });
const salesOf = (query: string, user = site.manager) => api('GET', `/sites/${site.siteId}/analytics/sales?${query}`, { headers: bearer(user) });

async function place(lines: unknown[], channel: unknown = { type: 'takeaway' }): Promise<Booked> {
  return (await expectStatus(placeOrder(site, site.staff, lines, channel), 201)).json;
}

async function pay(order: Booked, body: Record<string, unknown>): Promise<{ order: Booked; paymentId: string }> {
  const res = await expectStatus(api('POST', `${orderPath(order.orderId)}/payments`, { body, headers: { ...bearer(site.staff), ...idempotencyKey() } }), 201);
  return { order: res.json.order, paymentId: res.json.payment.paymentId };
}

const net = (order: Booked) => order.totals.subtotal - order.totals.discount;
const sum = (orders: Booked[], value: (order: Booked) => number) => orders.reduce((total, order) => total + value(order), 0);
const parisHour = (instant: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
/** The business day in Paris at `at`, for a day that starts at 04:00: the calendar date, or the one before it. */
const parisBusinessDay = (at: Date) => {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(at);
  return Number(parisHour(at.toISOString())) >= 4 ? date : addDays(date, -1);
};

let dineIn: Booked;
let lemonades: Booked;
let refunded: Booked;
let voided: Booked;
let day: string;

beforeAll(async () => {
  site = await orderingSite();
  // The site's time zone comes from the users domain's site.created, its business day from orders' settings: wait
  // until analytics has both, so the hours below are Paris's.
  await analyticsLearntSite(site.siteId);
  subscriber = await subscribeHttp('events', { siteId: [site.siteId], type: ['order.paid'] }, (envelope) => paidEvents.push(envelope));
  const { burger, fries, lemonade } = site.items;

  dineIn = await place([{ itemId: burger, quantity: 2 }, { itemId: fries, quantity: 1 }], { type: 'dine-in', table: '4', covers: 3 });
  dineIn = (await pay(dineIn, { method: 'card', amount: dineIn.totals.total, tip: 200, cardReference: 'tok_visa' })).order;
  lemonades = await place([{ itemId: lemonade, quantity: 2 }]);
  lemonades = (await pay(lemonades, { method: 'cash', amount: lemonades.totals.total, tendered: 5000 })).order;
  refunded = await place([{ itemId: burger, quantity: 1 }]);
  const paid = await pay(refunded, { method: 'card', amount: refunded.totals.total, cardReference: 'tok_visa' });
  refunded = paid.order;
  await expectStatus(api('POST', `${orderPath(refunded.orderId)}/refunds`, { body: { paymentId: paid.paymentId, amount: 500, reason: 'cold' }, headers: { ...bearer(site.manager), ...idempotencyKey() } }), 201);
  voided = await place([{ itemId: fries, quantity: 1 }]);
  await expectStatus(api('POST', `${orderPath(voided.orderId)}/void`, { body: { reason: 'guest left' }, headers: bearer(site.manager) }), 200);
  await place([{ itemId: fries, quantity: 4 }]); // open, never paid: not a sale
  day = dineIn.businessDay;
}, 120_000);

afterAll(async () => {
  await subscriber?.close();
});

const sales = () => [dineIn, lemonades, refunded];

/** The dashboard once every event of the setup has been counted. */
const settledDashboard = () =>
  eventually(async () => {
    const res = await dashboardOf(day);
    return res.status === 200 && res.json.day.orders === 3 && res.json.day.refunds.count === 1 && res.json.day.voids.count === 1 ? res.json : undefined;
  }, 45_000, 'the sales counted');

describe('the dashboard', () => {
  it('shows the day’s paid orders, the refund and the void, from events only', async () => {
    const dashboard = await settledDashboard();
    const netSales = sum(sales(), net);
    expect(dashboard).toMatchObject({ siteId: site.siteId, date: day, currency: 'EUR', timeZone: 'Europe/Paris' });
    expect(dashboard.day).toMatchObject({
      grossSales: sum(sales(), (o) => o.totals.subtotal),
      discounts: 0,
      netSales,
      tax: sum(sales(), (o) => o.totals.tax),
      tips: 200,
      orders: 3,
      covers: 3,
      averageTicket: Math.floor(netSales / 3 + 0.5),
      refunds: { count: 1, amount: 500 },
      voids: { count: 1, amount: net(voided) },
      byChannel: { 'dine-in': { netSales: net(dineIn), orders: 1 }, takeaway: { netSales: net(lemonades) + net(refunded), orders: 2 } },
      byServer: { [site.staff.userId]: { netSales, orders: 3, covers: 3, discounts: 0, tips: 200, labourSeconds: 0 } },
      byPaymentMethod: { card: { taken: dineIn.totals.total + refunded.totals.total, refunded: 500 }, cash: { taken: lemonades.totals.total, refunded: 0 } },
    });
    // Every line's item has a category on this menu: the categories hold the whole day's net sales.
    expect(sum(Object.values(dashboard.day.byCategory), (c: any) => c.netSales)).toBe(netSales);
    expect(Object.values(dashboard.day.byCategory).every((c: any) => typeof c.name === 'string')).toBe(true);
    // Burgers: 2 + 1 at 1250; lemonades 2 at 399; fries 1 at 450 (the voided and the open order's are not sales).
    expect(dashboard.topItems.map((i: any) => [i.itemId, i.quantity, i.revenue])).toEqual([
      [site.items.burger, 3, 3750],
      [site.items.lemonade, 2, 798],
      [site.items.fries, 1, 450],
    ]);
    expect(dashboard.hourly).toHaveLength(24);
    expect(sum(dashboard.hourly, (h: any) => h.netSales)).toBe(netSales);
    const hours = new Set(sales().map((o) => parisHour(o.placedAt)));
    expect(dashboard.hourly.filter((h: any) => h.orders > 0).map((h: any) => h.hour)).toEqual([...hours].sort());
    expect(dashboard.sameWeekdayLastWeek.orders).toBe(0);
    expect(dashboard.change.netSales).toBeNull();
  });

  it('keeps its counters in its own table, by day and rollup', async () => {
    await settledDashboard();
    const item = async (sk: string) => (await dynamo.send(new GetCommand({ TableName: tableName('analytics'), Key: { pk: `SITE#${site.siteId}#SALES`, sk } }))).Item;
    expect(await item(`DAY#${day}`)).toMatchObject({ orders: 3, netSales: sum(sales(), net), voids: 1, refunds: 500, currency: 'EUR' });
    expect(await item(`MONTH#${day.slice(0, 7)}`)).toMatchObject({ orders: 3, netSales: sum(sales(), net) });
    expect(await item(`YEAR#${day.slice(0, 4)}`)).toMatchObject({ orders: 3 });
  });

  it('answers zeros for a day with nothing, and the site’s current business day by default', async () => {
    const empty = await expectStatus(dashboardOf('2024-02-29'), 200);
    expect(empty.json.day).toMatchObject({ netSales: 0, orders: 0, averageTicket: 0 });
    expect(empty.json.topItems).toEqual([]);
    const before = parisBusinessDay(new Date());
    const today = await expectStatus(api('GET', `/sites/${site.siteId}/analytics/dashboard`, { headers: bearer(site.manager) }), 200);
    // Between 00:00 and 04:00 in Paris it is still yesterday's business day (the menu's default start).
    expect([before, parisBusinessDay(new Date())]).toContain(today.json.date);
  });

  it('is for managers and owners: staff get 403, and so does another site’s manager', async () => {
    expect((await dashboardOf(day, site.staff)).status).toBe(403);
    expect((await dashboardOf(day, await theOwner())).status).toBe(200);
    const other = await orderingSite();
    expect((await api('GET', `/sites/${site.siteId}/analytics/dashboard`, { headers: bearer(other.manager) })).status).toBe(403);
  }, 60_000);
});

describeLocal('a redelivered event (local: the test invokes the consumer itself)', () => {
  it('counts once', async () => {
    const before = await settledDashboard();
    const envelope = await eventually(async () => paidEvents.find((e) => e.data.orderId === dineIn.orderId), 30_000, 'order.paid received');
    const lambda = new LambdaClient({ endpoint: `http://127.0.0.1:${process.env.BRIGADE_LAMBDA_PORT ?? '3002'}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const record = { EventSource: 'aws:sns', Sns: { MessageId: 'redelivery', Message: JSON.stringify(envelope), MessageAttributes: {} } };
      const result = await lambda.send(new InvokeCommand({ FunctionName: `brigade-${stage}-recordAnalytics`, Payload: Buffer.from(JSON.stringify({ Records: [record] })) }));
      expect(result.FunctionError).toBeUndefined();
    } finally {
      lambda.destroy();
    }
    const after = await expectStatus(dashboardOf(day), 200);
    expect(after.json.day).toEqual(before.day);
    expect(after.json.topItems).toEqual(before.topItems);
  });
});

describe('the sales report', () => {
  it('reads the same figures by day, week and month, with a comparison', async () => {
    const dashboard = await settledDashboard();
    for (const grain of ['day', 'week', 'month']) {
      const res = await expectStatus(salesOf(`from=${day}&to=${day}&grain=${grain}&compare=previous`), 200);
      expect(res.json.totals).toEqual(dashboard.day);
      expect(res.json.series).toHaveLength(1);
      expect(res.json.compare).toMatchObject({ kind: 'previous', to: addDaysUtc(day, -1) });
      expect(res.json.compare.totals.orders).toBe(0);
    }
    const lastYear = await expectStatus(salesOf(`from=${addDaysUtc(day, -6)}&to=${day}&compare=last-year`), 200);
    expect(lastYear.json.series).toHaveLength(7);
    expect(lastYear.json.series[6].figures.netSales).toBe(dashboard.day.netSales);
    expect(lastYear.json.series.slice(0, 6).every((p: any) => p.figures.orders === 0)).toBe(true);
  });

  it('exports CSV with minor units and decimals', async () => {
    const dashboard = await settledDashboard();
    const res = await expectStatus(salesOf(`from=${day}&to=${day}&format=csv`), 200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const [header, row] = res.text.split('\r\n');
    const cells = Object.fromEntries(header!.split(',').map((name, i) => [name, row!.split(',')[i]]));
    expect(cells).toMatchObject({ range: 'current', period: day, net_sales_minor: String(dashboard.day.netSales), orders: '3', voids: '1', refunded_minor: '500', refunded: '5.00', currency: 'EUR' });
  });

  it('exports the dashboard as one row per hour, and reports only the metrics asked for', async () => {
    const dashboard = await settledDashboard();
    const csv = await expectStatus(api('GET', `/sites/${site.siteId}/analytics/dashboard?date=${day}&format=csv`, { headers: bearer(site.manager) }), 200);
    const [header, ...rows] = csv.text.split('\r\n').filter(Boolean);
    expect(rows).toHaveLength(24);
    const column = (name: string) => header!.split(',').indexOf(name);
    expect(rows.reduce((total, row) => total + Number(row.split(',')[column('net_sales_minor')]), 0)).toBe(dashboard.day.netSales);
    const picked = await expectStatus(salesOf(`from=${day}&to=${day}&metrics=netSales,orders`), 200);
    expect(picked.json.totals).toEqual({ netSales: dashboard.day.netSales, orders: 3 });
  });

  it('refuses ranges over the limit and unknown parameters (400)', async () => {
    const tooLong = await salesOf('from=2025-01-01&to=2026-02-05');
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('400 days');
    expect((await salesOf(`from=${day}&to=${day}&metric=margin`)).status).toBe(400);
    expect((await salesOf(`from=${day}`)).status).toBe(400);
    expect((await salesOf(`from=${day}&to=${day}`, site.staff)).status).toBe(403);
  });
});

function addDaysUtc(date: string, days: number): string {
  const next = new Date(`${date}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}
