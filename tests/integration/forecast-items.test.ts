// Item and ingredient forecasts over the running stack: a fresh site's menu items (menu.item-changed, an older version
// delivered after a newer one) and five weeks of its closed days (analytics.daily-figures) go onto the events topic;
// the forecast domain learns both from the events only, GET …/forecast/items forecasts each item sold in the last 28
// days (the dish off the menu since is left out), GET …/forecast/ingredients multiplies them by the newest recipes in
// base units; a replay of the archive to learnForecastRecipes rebuilds the recipes; 403 to staff, 400s, CSV.
import { PublishCommand } from '@aws-sdk/client-sns';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { EventType } from '../../functions/shared/contracts';
import { buildEvent, type EventEnvelope } from '../../functions/shared/events';
import { addDays } from '../../functions/shared/time';
import { sampleData } from '../unit/fixtures/events';
import { archivedEventually, invokeReplay } from './support/archive';
import { bearer, createSite, createUser, theOwner, type TestUser } from './support/identity';
import { expectStatus } from './support/orders';
import { api, describeLocal, dynamo, eventually, sns, tableName, topicArn, uniqueId } from './support/target';

const DAYS = 35;
let siteId: string;
let manager: TestUser;
let staff: TestUser;
let lastDay: string;
const menuEvents: EventEnvelope[] = [];

const get = (route: 'items' | 'ingredients', query: string, user = manager) => api('GET', `/sites/${siteId}/forecast/${route}?${query}`, { headers: bearer(user) });

async function publish(type: EventType, source: string, data: object, occurredAt?: Date): Promise<EventEnvelope> {
  const event = buildEvent({ type, source, siteId, correlationId: uniqueId('forecast-items'), data: data as Record<string, unknown>, ...(occurredAt ? { occurredAt } : {}) });
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn('events'),
      Message: JSON.stringify(event),
      MessageAttributes: Object.fromEntries((['type', 'siteId', 'source'] as const).map((name) => [name, { DataType: 'String', StringValue: event[name] }])),
    }),
  );
  return event;
}

const menuItem = (itemId: string, version: number, recipe: Array<{ ingredientId: string; quantity: number; unit: string }>, active = true) =>
  sampleData('menu.item-changed', { itemId, name: itemId, active, recipe, modifiers: [], version });

/** Day t of the history (0 = oldest): burger every day, fries most days, the old dish only in the first week. */
const soldOn = (t: number) => [
  { itemId: 'burger', name: 'Burger', quantity: 30 + (t % 7) * 2 },
  ...(t % 7 !== 3 ? [{ itemId: 'fries', name: 'Fries', quantity: 12 + (t % 3) }] : []),
  ...(t < 7 ? [{ itemId: 'old-dish', name: 'Old dish', quantity: 4 }] : []),
];

beforeAll(async () => {
  siteId = await createSite();
  [manager, staff] = await Promise.all([createUser('manager', [siteId]), createUser('staff', [siteId])]);
  lastDay = addDays(new Date().toISOString().slice(0, 10), -1);
  // Version 2 of the burger first, then its older version 1: the newest recipe must stay.
  menuEvents.push(await publish('menu.item-changed', 'orders', menuItem('burger', 2, [{ ingredientId: 'beef', quantity: 0.18, unit: 'kg' }, { ingredientId: 'bun', quantity: 1, unit: 'each' }])));
  menuEvents.push(await publish('menu.item-changed', 'orders', menuItem('burger', 1, [{ ingredientId: 'beef', quantity: 0.15, unit: 'kg' }])));
  menuEvents.push(await publish('menu.item-changed', 'orders', menuItem('fries', 1, [{ ingredientId: 'potato', quantity: 0.25, unit: 'kg' }, { ingredientId: 'oil', quantity: 0.02, unit: 'l' }])));
  await Promise.all(
    Array.from({ length: DAYS }, (_, t) => {
      const date = addDays(lastDay, t - DAYS + 1);
      const items = soldOn(t);
      const orders = items.reduce((sum, item) => sum + item.quantity, 0);
      return publish('analytics.daily-figures', 'analytics', sampleData('analytics.daily-figures', { date, currency: 'EUR', netSales: orders * 900, orders, covers: orders, refunds: 0, hours: [], items, closed: true }));
    }),
  );
  await eventually(async () => {
    const res = await get('items', 'days=1');
    return res.status === 200 && res.json.history?.observedDays === DAYS ? res.json : undefined;
  }, 45_000, 'the days learnt');
  await eventually(async () => {
    const burger = (await dynamo.send(new GetCommand({ TableName: tableName('forecast'), Key: { pk: `SITE#${siteId}#RECIPE`, sk: 'ITEM#burger' }, ConsistentRead: true }))).Item;
    const fries = (await dynamo.send(new GetCommand({ TableName: tableName('forecast'), Key: { pk: `SITE#${siteId}#RECIPE`, sk: 'ITEM#fries' }, ConsistentRead: true }))).Item;
    return burger && fries ? burger : undefined;
  }, 30_000, 'the recipes learnt');
}, 120_000);

describe('GET /sites/{siteId}/forecast/items', () => {
  it('forecasts each item sold in the last 28 days with its backtest, and leaves out the dish unsold since', async () => {
    const result = (await expectStatus(get('items', 'days=14'), 200)).json;
    expect(result).toMatchObject({ siteId, from: addDays(lastDay, 1), days: 14, history: { to: lastDay, days: DAYS, observedDays: DAYS } });
    expect(result.items.map((item: any) => item.itemId)).toEqual(['burger', 'fries']);
    expect(result.leftOut.items).toEqual([{ itemId: 'old-dish', name: 'Old dish', lastSold: addDays(lastDay, 6 - DAYS + 1) }]);
    for (const item of result.items) {
      expect(item.forecast).toHaveLength(14);
      expect(item.backtest.candidates.map((c: any) => c.candidate)).toEqual(['SNAIVE', 'ETS']);
      expect(item.method).toBe(item.backtest.chosen);
      expect(typeof item.parameters).toBe('object');
      for (const day of item.forecast) expect(day.lower95 <= day.mean && day.mean <= day.upper95 && day.lower95 >= 0).toBe(true);
    }
    // Burger sells 30 + 2 × (day of its week) every day: the forecast follows the weekly cycle.
    const burger = result.items[0];
    expect(burger.forecast[0].mean).toBeCloseTo(30 + (DAYS % 7) * 2, 0);
  });

  it('answers CSV, 403 to staff, 400 past 14 days and for unknown parameters', async () => {
    const csv = await expectStatus(get('items', 'days=2&format=csv'), 200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('itemId,name,date,mean,lower80,upper80,lower95,upper95,closed,method,currency');
    expect(lines).toHaveLength(1 + 2 * 2);
    expect(lines[1]).toMatch(new RegExp(`^burger,Burger,${addDays(lastDay, 1)},`));
    await expectStatus(get('items', 'days=7', staff), 403);
    expect((await expectStatus(get('items', 'days=15'), 400)).text).toMatch(/at most 14/);
    await expectStatus(get('items', 'metric=orders'), 400);
  });
});

describe('GET /sites/{siteId}/forecast/ingredients', () => {
  it("multiplies each item's forecast by its newest recipe, in base units, with the σ of the running total", async () => {
    const [items, demand] = await Promise.all([get('items', 'days=7'), get('ingredients', 'days=7')]);
    const [burger, fries] = (await expectStatus(Promise.resolve(items), 200)).json.items;
    const result = (await expectStatus(Promise.resolve(demand), 200)).json;
    expect(result).toMatchObject({ siteId, from: addDays(lastDay, 1), days: 7, withoutRecipe: [], inactive: [] });
    expect(result.ingredients.map((line: any) => `${line.ingredientId}:${line.unit}`)).toEqual(['beef:g', 'bun:each', 'oil:ml', 'potato:g']);
    const line = (id: string) => result.ingredients.find((l: any) => l.ingredientId === id);
    const thousandths = (x: number) => Math.round(x * 1000) / 1000;
    expect(line('beef').daily).toEqual(burger.forecast.map((day: any) => thousandths(day.mean * 180)));
    expect(line('bun').daily).toEqual(burger.forecast.map((day: any) => day.mean));
    expect(line('oil').daily).toEqual(fries.forecast.map((day: any) => thousandths(day.mean * 20)));
    expect(line('beef').items).toEqual([{ itemId: 'burger', perPortion: 180 }]);
    const sd = (day: any) => (day.upper95 - day.lower95) / (2 * 1.96);
    expect(line('potato').cumulativeSd[0]).toBeCloseTo(250 * sd(fries.forecast[0]), 2);
    expect(line('potato').cumulativeSd[1]).toBeCloseTo(250 * Math.hypot(sd(fries.forecast[0]), sd(fries.forecast[1])), 2);

    const csv = (await expectStatus(get('ingredients', 'days=2&format=csv'), 200)).text.trim().split('\r\n');
    expect(csv[0]).toBe('ingredientId,unit,date,expected,cumulativeSd,currency');
    expect(csv).toHaveLength(1 + 4 * 2);
    await expectStatus(get('ingredients', 'days=7', staff), 403);
    await expectStatus(get('ingredients', 'days=0'), 400);
  });

  it('answers no-data for a site without learnt days', async () => {
    const res = await expectStatus(api('GET', `/sites/${uniqueId('no-data')}/forecast/ingredients`, { headers: bearer(await theOwner()) }), 200);
    expect(res.json).toMatchObject({ reason: 'no-data', from: null, ingredients: [] });
  });

  it("gives the demo site ingredient demand from its thirteen weeks and its menu's recipes", async () => {
    await eventually(async () => (await dynamo.send(new GetCommand({ TableName: tableName('analytics'), Key: { pk: 'DEMO', sk: 'HISTORY#demo-bistro' } }))).Item, 120_000, 'the demo history seeded');
    const demo = (await expectStatus(api('GET', '/sites/demo-bistro/forecast/ingredients?days=7', { headers: bearer(await theOwner()) }), 200)).json;
    expect(demo.ingredients.length).toBeGreaterThan(3);
    expect(demo.ingredients.every((line: any) => line.daily.length === 7 && ['g', 'ml', 'each'].includes(line.unit))).toBe(true);
    expect(demo.ingredients.some((line: any) => line.total > 0)).toBe(true);
  }, 150_000);
});

describeLocal('learnForecastRecipes (local: the test invokes the replay)', () => {
  it("keeps the highest version, and a replay of the site's archived menu events rebuilds the recipes", async () => {
    const key = { pk: `SITE#${siteId}#RECIPE`, sk: 'ITEM#burger' };
    const held = (await dynamo.send(new GetCommand({ TableName: tableName('forecast'), Key: key, ConsistentRead: true }))).Item;
    expect(held).toMatchObject({ version: 2, active: true, recipe: [{ ingredientId: 'beef', quantity: 0.18, unit: 'kg' }, { ingredientId: 'bun', quantity: 1, unit: 'each' }], eventId: menuEvents[0]!.id });
    await archivedEventually(siteId, menuEvents.map((event) => event.id));
    await dynamo.send(new DeleteCommand({ TableName: tableName('forecast'), Key: key }));
    const result = await invokeReplay({ siteId, target: 'learnForecastRecipes', types: ['menu.item-changed'] });
    expect(result).toEqual({ ok: true, payload: { replayed: 3, done: true } });
    const rebuilt = (await dynamo.send(new GetCommand({ TableName: tableName('forecast'), Key: key, ConsistentRead: true }))).Item;
    expect(rebuilt).toMatchObject({ version: 2, eventId: menuEvents[0]!.id });
  }, 45_000);
});
