// Reorder suggestions from the forecast over the running stack: `forecast.ingredient-demand` runs published on the
// events topic as the forecast domain would (a stale one, then a fresh one, then an older one late), the suggestions
// route following the newest run only (par while it is stale or for an item it does not name), the service level
// set by a manager, a "draft now" whose draft fills to the forecast's target rather than to par, and then the
// draft counted as on order. Staff are refused (403), bad settings are 400s.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { publishEvent } from '../../functions/shared/event-publisher';
import { buildEvent } from '../../functions/shared/events';
import { bearer, theOwner } from './support/identity';
import { cheeseItem, createStockItem, move, stockSite, type StockSite } from './support/inventory';
import { expectStatus } from './support/orders';
import { api, dynamo, eventually, tableName, topicArn, uniqueId } from './support/target';

jest.setTimeout(120_000);

const DAY = 24 * 60 * 60 * 1000;
let site: StockSite;
let cheeseId: string;
let lemonId: string;
let supplierId: string;

const suggestionsPath = () => `/sites/${site.siteId}/inventory/reorder-suggestions`;
const suggestions = async () => (await expectStatus(api('GET', suggestionsPath(), { headers: bearer(site.manager) }), 200)).json;
const itemOf = (answer: { items: Array<{ itemId: string }> }, itemId: string) => answer.items.find((item) => item.itemId === itemId) as Record<string, any>;
const settle = () => new Promise((resolve) => setTimeout(resolve, 2000));

/** A run expecting 10 kg of cheese a day for 28 days, σ of every total 3 kg; nothing for the lemons. */
function demandRun(runId: string, createdAt: number) {
  return buildEvent({
    type: 'forecast.ingredient-demand',
    source: 'forecast',
    siteId: site.siteId,
    correlationId: uniqueId('reorder-test'),
    data: {
      runId,
      createdAt: new Date(createdAt).toISOString(),
      // Yesterday in UTC: on or before today in the site's zone, so every day ahead is forecast.
      from: new Date(Date.now() - DAY).toISOString().slice(0, 10),
      days: 28,
      ingredients: [{ ingredientId: cheeseId, unit: 'g' as const, daily: Array(28).fill(10_000), cumulativeSd: Array(28).fill(3_000) }],
    },
  });
}
const publishRun = (runId: string, createdAt: number) => publishEvent(topicArn('events'), demandRun(runId, createdAt));
/**
 * The scheduled review (every 15 minutes; locally at :00, :15, :30 and :45) drafts for a low item too, under the
 * service level of its moment, and a draft counts as on order: one it made since the setup is cancelled before
 * what this suite asserts about on-order stock and "draft now".
 */
async function cancelJobDrafts(): Promise<void> {
  const listed = await expectStatus(api('GET', `/sites/${site.siteId}/inventory/purchase-orders?status=draft`, { headers: bearer(site.manager) }), 200);
  for (const po of listed.json.purchaseOrders as Array<{ purchaseOrderId: string; supplierId: string }>) {
    if (po.supplierId !== supplierId) continue;
    await expectStatus(api('POST', `/sites/${site.siteId}/inventory/purchase-orders/${po.purchaseOrderId}/actions`, { body: { action: 'cancel' }, headers: bearer(site.manager) }), 200);
  }
}
const runIs = (runId: string) => eventually(async () => ((await suggestions()).forecast?.runId === runId ? true : undefined), 30_000, `run ${runId} learnt`);

beforeAll(async () => {
  site = await stockSite();
  // The site's time zone first: inventory keeps what it read of a site for a minute.
  await eventually(async () => (await dynamo.send(new GetCommand({ TableName: tableName('inventory'), Key: { pk: 'SITES', sk: `SITE#${site.siteId}` } }))).Item, 30_000, 'the site learnt');
  cheeseId = (await createStockItem(site, cheeseItem())).itemId;
  lemonId = uniqueId('lemon');
  supplierId = uniqueId('dairy');
  await createStockItem(site, { itemId: lemonId, name: 'Lemons', category: 'produce', baseUnit: 'each', locations: ['walk-in'], par: { quantity: 40, unit: 'each' }, reorderPoint: { quantity: 5, unit: 'each' } });
  // Delivers every day: the next delivery's review period is always one day.
  const supplier = { supplierId, name: 'Valley Dairy', contact: {}, leadTimeDays: 1, deliveryWeekdays: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], orderCutOff: '23:59', deliveryTime: '06:00' };
  await expectStatus(api('POST', `/sites/${site.siteId}/inventory/suppliers`, { body: supplier, headers: bearer(site.manager) }), 201);
  const offers = `/sites/${site.siteId}/inventory/suppliers/${supplierId}/items`;
  await expectStatus(api('PUT', `${offers}/${cheeseId}`, { body: { packUnit: 'block', packPrice: 3150 }, headers: bearer(site.manager) }), 201);
  await expectStatus(api('PUT', `${offers}/${lemonId}`, { body: { packUnit: 'each', packPrice: 35 }, headers: bearer(site.manager) }), 201);
  // 1 kg of cheese: below its 2.5 kg reorder point; 30 lemons: above theirs.
  await expectStatus(move(site, site.staff, cheeseId, 'receipts', { location: 'walk-in', quantity: 1, unit: 'kg', unitCost: 1260 }), 201);
  await expectStatus(move(site, site.staff, lemonId, 'receipts', { location: 'walk-in', quantity: 30, unit: 'each', unitCost: 35 }), 201);
}, 120_000);

describe('reorder suggestions from forecast.ingredient-demand', () => {
  it('par before any forecast and while the newest is stale; the forecast target once a fresh run arrives', async () => {
    await cancelJobDrafts();
    const before = await suggestions();
    expect(before).toMatchObject({ siteId: site.siteId, forecast: null, serviceLevel: 0.95, z: 1.6449, currency: 'EUR', timeZone: 'Europe/Paris' });
    // Par 7.5 kg - 1 kg on hand: 6.5 kg, three 2.5 kg blocks.
    expect(itemOf(before, cheeseId)).toMatchObject({ basis: 'par', reason: 'par: no forecast for the item', onHand: 1000, onOrder: 0, target: 7500, suggested: { packs: 3, packUnit: 'block', packSize: 2500, cost: 9450 } });

    await publishRun('stale-run', Date.now() - 3 * DAY);
    await runIs('stale-run');
    const stale = await suggestions();
    expect(stale.forecast).toMatchObject({ runId: 'stale-run', days: 28, fresh: false });
    expect(itemOf(stale, cheeseId)).toMatchObject({ basis: 'par', reason: expect.stringMatching(/^par: the forecast is 3 days old/), forecastDemand: null, target: 7500 });

    await publishRun('fresh-run', Date.now() - 60 * 60 * 1000);
    await runIs('fresh-run');
    await cancelJobDrafts();
    const fresh = await suggestions();
    expect(fresh.forecast).toMatchObject({ runId: 'fresh-run', fresh: true });
    const cheese = itemOf(fresh, cheeseId);
    expect(cheese).toMatchObject({ basis: 'forecast', supplier: { supplierId, leadTimeDays: 1, nextDelivery: { deliveryDate: expect.any(String) } }, reviewDays: 1, onHand: 1000, onOrder: 0 });
    expect(cheese.leadDays).toBeGreaterThanOrEqual(1);
    // 10 kg a day over lead + review days; safety 1.6449 × 3 kg; target less the 1 kg on hand, in 2.5 kg blocks.
    const days = cheese.leadDays + cheese.reviewDays;
    expect(cheese).toMatchObject({ forecastDemand: days * 10_000, safetyStock: 4934.7, extendedDays: 0, target: days * 10_000 + 4934.7 });
    const packs = Math.ceil((days * 10_000 + 4934.7 - 1000) / 2500);
    expect(cheese.suggested).toEqual({ quantity: packs * 2500, packs, packUnit: 'block', packSize: 2500, cost: packs * 3150 });
    // The lemons are not in the run: par 40 - 30 on hand.
    expect(itemOf(fresh, lemonId)).toMatchObject({ basis: 'par', reason: 'par: no forecast for the item', suggested: { packs: 10, cost: 350 } });
    expect(fresh.totalCost).toBe(packs * 3150 + 350);

    // An older run arriving late (or redelivered) changes nothing.
    await publishRun('late-run', Date.now() - 2 * 60 * 60 * 1000);
    await publishEvent(topicArn('events'), demandRun('stale-run', Date.now() - 3 * DAY));
    await settle();
    expect((await suggestions()).forecast.runId).toBe('fresh-run');
    const { Item: latest } = await dynamo.send(new GetCommand({ TableName: tableName('inventory'), Key: { pk: `SITE#${site.siteId}#DEMAND`, sk: 'LATEST' }, ConsistentRead: true }));
    expect(latest).toMatchObject({ runId: 'fresh-run', chunks: 1, days: 28 });
  });

  it('the service level a manager sets sizes the safety stock; "draft now" fills to the forecast’s target, then counts the draft as on order', async () => {
    await runIs('fresh-run');
    const set = await expectStatus(api('PUT', `/sites/${site.siteId}/inventory/reorder-settings`, { body: { serviceLevel: 0.99 }, headers: bearer(site.manager) }), 200);
    expect(set.json).toMatchObject({ siteId: site.siteId, serviceLevel: 0.99, z: 2.3263, updatedBy: site.manager.userId });
    const answer = await suggestions();
    const cheese = itemOf(answer, cheeseId);
    const days = cheese.leadDays + cheese.reviewDays;
    // 2.3263 × 3 kg = 6 978.9 g.
    expect(answer).toMatchObject({ serviceLevel: 0.99, z: 2.3263 });
    expect(cheese).toMatchObject({ basis: 'forecast', safetyStock: 6978.9, target: days * 10_000 + 6978.9 });
    const packs = Math.ceil((days * 10_000 + 6978.9 - 1000) / 2500);
    expect(packs).toBeGreaterThan(3);

    await cancelJobDrafts();
    const now = await expectStatus(api('POST', `/sites/${site.siteId}/inventory/purchase-orders/drafts`, { headers: bearer(site.manager) }), 200);
    expect(now.json.low).toEqual([cheeseId]);
    // Par would have drafted 3 blocks; the forecast's target drafts what the suggestion said.
    expect(now.json.drafts).toEqual([expect.objectContaining({ supplierId, status: 'draft', lines: [expect.objectContaining({ itemId: cheeseId, packs, packSize: 2500 })], total: packs * 3150 })]);

    const after = itemOf(await suggestions(), cheeseId);
    expect(after).toMatchObject({ basis: 'forecast', onOrder: packs * 2500, suggested: { packs: 0, cost: 0 } });
  });

  it('staff are refused (403); bad settings are 400s and change nothing', async () => {
    expect((await api('GET', suggestionsPath(), { headers: bearer(site.staff) })).status).toBe(403);
    expect((await api('PUT', `/sites/${site.siteId}/inventory/reorder-settings`, { body: { serviceLevel: 0.95 }, headers: bearer(site.staff) })).status).toBe(403);
    for (const body of [{ serviceLevel: 0.5 }, { serviceLevel: '0.95' }, { serviceLevel: 1 }, {}, { serviceLevel: 0.95, z: 3 }]) {
      const res = await api('PUT', `/sites/${site.siteId}/inventory/reorder-settings`, { body, headers: bearer(site.manager) });
      expect({ body, status: res.status, code: res.json.error?.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
    }
    expect((await suggestions()).serviceLevel).toBe(0.99);
    // An owner passes the site check: the id itself is refused.
    const odd = await api('GET', '/sites/not%20a%20site/inventory/reorder-suggestions', { headers: bearer(await theOwner()) });
    expect({ status: odd.status, code: odd.json.error?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });
});
