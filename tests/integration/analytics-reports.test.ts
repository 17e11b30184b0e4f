// The analytics reports over the running stack: orders placed and paid through the orders API by two servers, for
// two known customers, with recipes costed by inventory receipts and a shift on the clock, reach analytics only as
// events; then menu engineering (food cost from kg → g, a recipe-less item unclassed), customers, server performance
// (managers everyone, a staff member only themselves), owners' cross-site totals per currency, CSV, zeros for a range
// with nothing, and bad input.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { bearer, createUser, theOwner, type TestUser } from './support/identity';
import { createStockItem } from './support/inventory';
import { expectStatus, idempotencyKey, orderingSite, type OrderingSite } from './support/orders';
import { putProfile, tap } from './support/staff';
import { api, dynamo, eventually, tableName } from './support/target';
import { analyticsLearntSite } from './support/analytics';

jest.setTimeout(120_000);

interface Booked {
  orderId: string;
  businessDay: string;
  totals: { subtotal: number; discount: number; tip: number; total: number };
}

let site: OrderingSite;
let colleague: TestUser;
let owner: TestUser;
let orders: { staffDineIn: Booked; staffLemonades: Booked; colleagueFries: Booked };
/** The colleague's second order, voided by the manager before it was paid. */
let colleagueVoided: Booked;
let day: string;

const analyticsItem = async (sk: string) => (await dynamo.send(new GetCommand({ TableName: tableName('analytics'), Key: { pk: `SITE#${site.siteId}#SALES`, sk } }))).Item;
const report = (path: string, query: string, user: TestUser = site.manager) => api('GET', `/sites/${site.siteId}/analytics/${path}?${query}`, { headers: bearer(user) });
const net = (order: Booked) => order.totals.subtotal - order.totals.discount;

async function placeAndPay(user: TestUser, lines: unknown[], channel: unknown, customer: unknown, payment: Record<string, unknown>): Promise<Booked> {
  const placed = await expectStatus(
    api('POST', `/sites/${site.siteId}/orders`, { body: { channel, lines, customer }, headers: { ...bearer(user), ...idempotencyKey() } }),
    201,
  );
  const order = placed.json as Booked;
  const paid = await expectStatus(
    api('POST', `/sites/${site.siteId}/orders/${order.orderId}/payments`, { body: { amount: order.totals.total, ...payment }, headers: { ...bearer(user), ...idempotencyKey() } }),
    201,
  );
  return paid.json.order as Booked;
}

beforeAll(async () => {
  // Business days that start at midnight: the days this test names are the site's calendar dates, which then hold
  // its orders and shifts at any hour. With the default 04:00, what happens from midnight to 4 belongs to the day
  // before (analytics-business-day.test.ts).
  site = await orderingSite(undefined, { businessDayStartsAt: '00:00' });
  [colleague, owner] = await Promise.all([createUser('staff', [site.siteId]), theOwner()]);
  await analyticsLearntSite(site.siteId);
  // Costs: the burger takes 1 beef patty (kept in each), the fries 0.2 kg of potato (kept in g); the lemonade no recipe.
  const stock = { siteId: site.siteId, manager: site.manager, staff: site.staff };
  await Promise.all([
    createStockItem(stock, { itemId: 'beef-patty', name: 'Beef patty', category: 'meat', baseUnit: 'each', units: [{ name: 'box', quantity: 24, unit: 'each' }], locations: ['walk-in'] }),
    createStockItem(stock, { itemId: 'potato', name: 'Potatoes', category: 'produce', baseUnit: 'g', units: [{ name: 'sack', quantity: 10, unit: 'kg' }], locations: ['walk-in'] }),
  ]);
  for (const [itemId, unit] of [['beef-patty', 'box'], ['potato', 'sack']] as const)
    await expectStatus(api('POST', `/sites/${site.siteId}/inventory/items/${itemId}/receipts`, { body: { location: 'walk-in', quantity: 2, unit, unitCost: 1000 }, headers: { ...bearer(site.manager), ...idempotencyKey() } }), 201);

  // Staff learn people from the users domain's events, behind everything a fresh stack compiles on first use.
  await eventually(async () => (await dynamo.send(new GetCommand({ TableName: tableName('staff'), Key: { pk: `USER#${site.staff.userId}`, sk: 'USER' } }))).Item, 90_000, 'staff learnt the user');
  await putProfile(site.siteId, site.manager, site.staff.userId);
  await expectStatus(tap(site.siteId, site.staff, site.staff.userId, 'clock-in'), 201);

  const { burger, fries, lemonade } = site.items;
  orders = {
    staffDineIn: await placeAndPay(site.staff, [{ itemId: burger, quantity: 2 }, { itemId: fries, quantity: 1 }], { type: 'dine-in', table: '4', covers: 3 }, { loyaltyId: 'CARD-A' }, { method: 'card', tip: 200, cardReference: 'tok_visa' }),
    // The same customer again the same day: a second order, not a second visit.
    staffLemonades: await placeAndPay(site.staff, [{ itemId: lemonade, quantity: 2 }], { type: 'takeaway' }, { loyaltyId: 'CARD-A' }, { method: 'cash', tendered: 5000 }),
    colleagueFries: await placeAndPay(colleague, [{ itemId: fries, quantity: 1 }], { type: 'takeaway' }, { phone: '+33 6 11 22 33 44' }, { method: 'cash', tendered: 5000 }),
  };
  day = orders.staffDineIn.businessDay;
  colleagueVoided = (
    await expectStatus(
      api('POST', `/sites/${site.siteId}/orders`, { body: { channel: { type: 'takeaway' }, lines: [{ itemId: fries, quantity: 2 }] }, headers: { ...bearer(colleague), ...idempotencyKey() } }),
      201,
    )
  ).json as Booked;
  await expectStatus(api('POST', `/sites/${site.siteId}/orders/${colleagueVoided.orderId}/void`, { body: { reason: 'rang up twice' }, headers: bearer(site.manager) }), 200);

  // A shift on the clock for the staff member (hours for the per-hour figures), out after the orders. Staff counts
  // whole seconds: on a quiet machine the three orders take less than one, so the shift lasts at least two.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await expectStatus(tap(site.siteId, site.staff, site.staff.userId, 'clock-out'), 201);

  // Everything counted: the sales, their food cost, the shift, the recipes and both ingredients' costs.
  await eventually(async () => {
    const figures = await analyticsItem(`DAY#${day}`);
    return figures?.orders === 3 && figures.voids === 1 && (figures.foodCost as number) > 0 && (figures[`server#${site.staff.userId}#labourSeconds`] as number) > 0 ? true : undefined;
  }, 45_000, 'sales, the void and labour counted');
  await eventually(async () => {
    const items = await Promise.all([`MENU#${burger}`, `MENU#${fries}`, 'COST#beef-patty', 'COST#potato'].map(analyticsItem));
    return items.every(Boolean) ? true : undefined;
  }, 30_000, 'recipes and costs known');
}, 240_000);

const costOf = async (ingredientId: string) => ((await analyticsItem(`COST#${ingredientId}`))!.state as { averageCost: number }).averageCost;

describe('menu engineering', () => {
  it('prices each item sold with its recipe at the current average cost (0.2 kg = 200 g) and classes it', async () => {
    const res = await expectStatus(report('menu', `from=${day}&to=${day}`), 200);
    const burgerCost = Math.floor((await costOf('beef-patty')) / 1000 + 0.5);
    const friesCost = Math.floor((200 * (await costOf('potato'))) / 1000 + 0.5);
    expect(friesCost).toBeGreaterThan(0);
    const byId = Object.fromEntries(res.json.items.map((row: any) => [row.itemId, row]));
    const { burger, fries, lemonade } = site.items;
    expect(res.json).toMatchObject({ siteId: site.siteId, from: day, to: day, currency: 'EUR', totals: { items: 3, quantity: 6, revenue: 2500 + 900 + 798, costedItems: 2 } });
    expect(byId[burger]).toMatchObject({ quantity: 2, revenue: 2500, averagePrice: 1250, popular: true, foodCost: burgerCost, margin: 1250 - burgerCost, totalMargin: 2500 - 2 * burgerCost });
    expect(byId[fries]).toMatchObject({ quantity: 2, revenue: 900, averagePrice: 450, popular: true, foodCost: friesCost, margin: 450 - friesCost });
    // Both equally popular (a third each, ≥ 70 % of a third); the burger's margin is over the weighted average.
    expect([byId[burger].class, byId[fries].class]).toEqual(['star', 'plowhorse']);
    expect(byId[lemonade]).toMatchObject({ quantity: 2, revenue: 798, foodCost: null, class: null, reason: { code: 'no-recipe' } });
    expect(res.json.top.map((row: any) => row.itemId)).toEqual([burger, fries, lemonade]);
    expect(res.json.bottom.map((row: any) => row.itemId)).toEqual([lemonade, fries, burger]);
  });

  it('exports CSV, and answers an empty report for a range with nothing sold', async () => {
    const csv = await expectStatus(report('menu', `from=${day}&to=${day}&format=csv`), 200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const [header, ...rows] = csv.text.trim().split('\r\n');
    expect(header).toContain('food_cost_minor');
    const burgerRow = rows.find((row) => row.startsWith(`${site.items.burger},`))!;
    expect(burgerRow).toContain(',star,');
    expect(burgerRow).toContain('25.00');
    const empty = await expectStatus(report('menu', 'from=2024-01-01&to=2024-03-31'), 200);
    expect(empty.json).toMatchObject({ items: [], totals: { items: 0, quantity: 0 }, thresholds: { popularityBps: null, averageMargin: null } });
  });
});

describe('customers', () => {
  it('counts known customers by visit days, with the range’s known-customer sales', async () => {
    const res = await expectStatus(report('customers', `from=${day}&to=${day}&lapsedAfterDays=60`), 200);
    const netSales = net(orders.staffDineIn) + net(orders.staffLemonades) + net(orders.colleagueFries);
    expect(res.json).toMatchObject({
      siteId: site.siteId,
      lapsedAfterDays: 60,
      currency: 'EUR',
      customers: 2,
      new: 2,
      returning: 0,
      repeatCustomers: 0,
      repeatRateBps: 0,
      visits: 2,
      averageVisitsPerCustomer: 1,
      lifetime: { orders: 3, spend: netSales },
      spend: { netSales, orders: 3, perCustomer: Math.floor(netSales / 2 + 0.5) },
      lapsedRegulars: [],
    });
    // Refs only: nothing of the loyalty id or the phone number.
    expect(res.text).not.toMatch(/CARD-A|11 ?22 ?33 ?44/);
    const before = await expectStatus(report('customers', 'from=2024-01-01&to=2024-01-31'), 200);
    expect(before.json).toMatchObject({ customers: 0, visits: 0, repeatRateBps: null, spend: { netSales: 0, orders: 0 } });
  });

  it('exports CSV with a summary row', async () => {
    const csv = await expectStatus(report('customers', `from=${day}&to=${day}&format=csv`), 200);
    const [header, summary] = csv.text.split('\r\n');
    const cells = Object.fromEntries(header!.split(',').map((name, i) => [name, summary!.split(',')[i]]));
    expect(cells).toMatchObject({ row: 'summary', customers: '2', new: '2', visits: '2', orders: '3', currency: 'EUR' });
  });
});

describe('server performance', () => {
  it('shows managers every server: sales, covers, tips, hours on the clock and their orders voided', async () => {
    const res = await expectStatus(report('staff', `from=${day}&to=${day}`), 200);
    const staffSales = net(orders.staffDineIn) + net(orders.staffLemonades);
    const [first, second] = res.json.servers;
    expect(first).toMatchObject({ userId: site.staff.userId, netSales: staffSales, orders: 2, covers: 3, averageTicket: Math.floor(staffSales / 2 + 0.5), tips: 200, discounts: 0 });
    expect(first.labourSeconds).toBeGreaterThan(0);
    expect(first.salesPerLabourHour).toBe(Math.floor((staffSales * 3600) / first.labourSeconds + 0.5));
    expect(second).toMatchObject({ userId: colleague.userId, netSales: net(orders.colleagueFries), orders: 1, covers: 0, labourSeconds: 0, salesPerLabourHour: null });
    // The void is the colleague's (their order), not the manager's who voided it: 1 of their 2 orders.
    expect(second.voids).toEqual({ count: 1, amount: net(colleagueVoided), rateBps: 5000 });
    expect(first.voids).toEqual({ count: 0, amount: 0, rateBps: 0 });
    expect(res.json.servers).toHaveLength(2);
  });

  it('is for managers and owners; a staff member gets 403 there and only their own row on staff/me', async () => {
    expect((await report('staff', `from=${day}&to=${day}`, site.staff)).status).toBe(403);
    expect((await report('staff', `from=${day}&to=${day}`, owner)).status).toBe(200);
    const mine = await expectStatus(report('staff/me', `from=${day}&to=${day}`, colleague), 200);
    expect(mine.json.servers).toEqual([expect.objectContaining({ userId: colleague.userId, netSales: net(orders.colleagueFries), orders: 1 })]);
    const csv = await expectStatus(report('staff/me', `from=${day}&to=${day}&format=csv`, site.staff), 200);
    expect(csv.text.trim().split('\r\n')).toHaveLength(2);
    expect(csv.text).not.toContain(colleague.userId);
    // A manager who sold nothing: one row of zeros, theirs.
    const manager = await expectStatus(report('staff/me', `from=${day}&to=${day}`), 200);
    expect(manager.json.servers).toEqual([expect.objectContaining({ userId: site.manager.userId, netSales: 0, orders: 0, averageTicket: 0 })]);
    const other = await orderingSite();
    expect((await report('staff/me', `from=${day}&to=${day}`, other.staff)).status).toBe(403);
  });
});

describe('owners’ cross-site report', () => {
  const sitesReport = (query: string, user: TestUser) => api('GET', `/analytics/sites?${query}`, { headers: bearer(user) });

  it('lists every site with its headline figures and totals per currency, never across two', async () => {
    const res = await expectStatus(sitesReport(`from=${day}&to=${day}`, owner), 200);
    const netSales = net(orders.staffDineIn) + net(orders.staffLemonades) + net(orders.colleagueFries);
    const row = res.json.sites.find((s: any) => s.siteId === site.siteId);
    expect(row).toMatchObject({ currency: 'EUR', netSales, orders: 3, covers: 3, averageTicket: Math.floor(netSales / 3 + 0.5) });
    expect(row.foodCostPercentBps).toBeGreaterThan(0);
    const currencies = res.json.totals.map((t: any) => t.currency);
    expect(new Set(currencies).size).toBe(currencies.length);
    const eur = res.json.totals.find((t: any) => t.currency === 'EUR');
    const eurSites = res.json.sites.filter((s: any) => s.currency === 'EUR');
    expect(eur).toMatchObject({ sites: eurSites.length, netSales: eurSites.reduce((sum: number, s: any) => sum + s.netSales, 0) });
    const csv = await expectStatus(sitesReport(`from=${day}&to=${day}&format=csv`, owner), 200);
    expect(csv.text.split('\r\n').find((line) => line.startsWith(`site,${site.siteId},`))).toContain(`,${netSales},`);
  });

  it('is for owners only', async () => {
    expect((await sitesReport(`from=${day}&to=${day}`, site.manager)).status).toBe(403);
    expect((await sitesReport(`from=${day}&to=${day}`, site.staff)).status).toBe(403);
  });
});

describe('bad input', () => {
  it.each(['menu', 'customers', 'staff', 'staff/me'])('%s: a range over 400 days, backwards, unknown parameters and odd dates are a 400', async (path) => {
    const tooLong = await report(path, 'from=2025-01-01&to=2026-02-05');
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('400 days');
    for (const query of ['from=2026-02-05&to=2026-02-01', `from=${day}&to=${day}&grain=week`, `from=${day}`, 'from=2026-02-30&to=2026-03-01', `from=today&to=${day}`, `from=${day}&to=${day}&format=xlsx`])
      expect({ query, status: (await report(path, query)).status }).toEqual({ query, status: 400 });
  });

  it('lapsedAfterDays is 1–365, customers only; the owners’ report has the same limits', async () => {
    for (const lapsed of ['0', '366', 'soon']) expect((await report('customers', `from=${day}&to=${day}&lapsedAfterDays=${lapsed}`)).status).toBe(400);
    expect((await report('menu', `from=${day}&to=${day}&lapsedAfterDays=30`)).status).toBe(400);
    const tooLong = await api('GET', '/analytics/sites?from=2025-01-01&to=2026-02-05', { headers: bearer(owner) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('400 days');
    expect((await api('GET', `/analytics/sites?from=${day}&to=${day}&siteId=x`, { headers: bearer(owner) })).status).toBe(400);
  });
});
