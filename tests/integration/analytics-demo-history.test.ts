// The demo site's thirteen weeks of history (dev/seed/analytics-history.ts), as `npm start` writes it once ready:
// every event in the archive, and analytics' figures from them, so the dashboard and every report mean something
// from the first minute: sales with last week to compare, labour %, food cost %, waste, food safety, the menu's
// classes, regulars who lapsed, the heat map's rush hours.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { addDays } from '../../functions/shared/time';
import { archivedOf } from './support/archive';
import { api, describeLocal, dynamo, eventually, tableName } from './support/target';
import { bearer, theOwner } from './support/identity';
import { expectStatus } from './support/orders';

const SITE = 'demo-bistro';
let token: { authorization: string };
let today: string;

beforeAll(async () => {
  await eventually(async () => (await dynamo.send(new GetCommand({ TableName: tableName('analytics'), Key: { pk: 'DEMO', sk: `HISTORY#${SITE}` } }))).Item, 120_000, 'the demo history seeded');
  token = bearer(await theOwner());
  today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
}, 150_000);

const get = async (path: string) => (await expectStatus(api('GET', `/sites/${SITE}/analytics/${path}`, { headers: token }), 200)).json;

describeLocal('the demo’s history', () => {
  it('is in the event archive, in order', async () => {
    const archived = await archivedOf(SITE);
    const paid = archived.filter((item) => item.type === 'order.paid');
    expect(paid.length).toBeGreaterThan(3000);
    expect(archived.map((item) => item.sk)).toEqual([...archived.map((item) => item.sk)].sort());
  });

  it('gives thirteen weeks of sales, labour, food cost, waste and food safety', async () => {
    const from = addDays(today, -91);
    const report = await get(`sales?from=${from}&to=${addDays(today, -1)}&grain=week`);
    const totals = report.totals;
    expect(totals.orders).toBeGreaterThan(3000);
    expect(totals.netSales).toBeGreaterThan(0);
    expect(totals.labour.cost).toBeGreaterThan(0);
    expect(totals.labour.uncostedSeconds).toBe(0);
    expect(totals.foodCost.percentOfSalesBps).toBeGreaterThan(500);
    expect(totals.waste.count).toBeGreaterThan(10);
    expect(totals.foodSafety.incidents).toBeGreaterThanOrEqual(3);
    expect(Object.keys(totals.byCategory).sort()).toEqual(['drinks', 'mains', 'starters']);
    expect(totals.knownCustomers.orders).toBeGreaterThan(500);
    expect(report.topItems).toHaveLength(5);
  });

  it('has last week to compare yesterday with, and a rhythm of lunch and dinner', async () => {
    const yesterday = await get(`dashboard?date=${addDays(today, -1)}`);
    expect(yesterday.day.orders).toBeGreaterThan(0);
    expect(yesterday.sameWeekdayLastWeek.orders).toBeGreaterThan(0);
    const heatmap = await get(`heatmap?from=${addDays(today, -28)}&to=${addDays(today, -1)}`);
    const busiest = [...heatmap.cells].sort((a: any, b: any) => b.netSales - a.netSales)[0];
    expect(['11', '12', '13', '17', '18', '19', '20', '21']).toContain(busiest.hour);
  });

  it('gives the menu its classes and the customers their lapsed regulars', async () => {
    const range = `from=${addDays(today, -91)}&to=${addDays(today, -1)}`;
    const menu = await get(`menu?${range}`);
    const classes = new Set(menu.items.map((item: any) => item.class));
    expect(classes.has(null)).toBe(false);
    expect(classes.size).toBeGreaterThanOrEqual(2);
    const customers = await get(`customers?${range}`);
    expect(customers.lapsedRegulars.length).toBeGreaterThan(0);
  });
});
