// The food-safety hold over the running stack: a manager links a refrigeration unit to a storage location; the
// unit's iot.excursion-started on the real alerts topic opens a hold listing what is on hand there; the same
// message redelivered, or the incident under another event id, still makes one hold; discarding books
// `quarantined` waste at the average cost (what is there now, up to what was held) and empties the location, once
// per Idempotency-Key; a manual hold is released; held stock takes a dish off the orders menu until the hold is
// released; bad input is a 4xx; another site's hold is a 404.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { publishEvent } from '../../functions/shared/event-publisher';
import { buildEvent, type EventEnvelope } from '../../functions/shared/events';
import { sampleData } from '../unit/fixtures/events';
import { bearer } from './support/identity';
import { createStockItem, move, onHandOf, stockSite, type StockSite } from './support/inventory';
import { waitForNotification } from './support/notifications';
import { createItem, expectStatus, orderingSite } from './support/orders';
import { api, dynamo, eventually, tableName, topicArn, uniqueId } from './support/target';

jest.setTimeout(120_000);

let site: StockSite;
let other: StockSite;
const deviceId = uniqueId('freezer');
const holdsPath = (siteId: string) => `/sites/${siteId}/inventory/holds`;

const receive = (itemId: string, location: string, quantity: number, unit: string, unitCost: number) =>
  expectStatus(move(site, site.manager, itemId, 'receipts', { location, quantity, unit, unitCost }), 201);

function excursion(siteId: string, incidentId: string, id?: string): EventEnvelope {
  return buildEvent({
    ...(id ? { id } : {}),
    type: 'iot.excursion-started',
    source: 'iot',
    siteId,
    correlationId: randomUUID(),
    data: sampleData('iot.excursion-started', { deviceId, incidentId, deviceName: 'Walk-in freezer', location: 'Back kitchen', startedAt: new Date().toISOString() }),
  });
}
const publishExcursion = (event: EventEnvelope) => publishEvent(topicArn('alerts'), event, { severity: 'critical' });

async function holdsOf(s: StockSite) {
  return (await expectStatus(api('GET', holdsPath(s.siteId), { headers: bearer(s.staff) }), 200)).json.holds as Array<Record<string, any>>;
}

beforeAll(async () => {
  [site, other] = await Promise.all([stockSite(), stockSite()]);
  await Promise.all([
    createStockItem(site, { itemId: 'beef-patty', name: 'Beef patty', category: 'meat', baseUnit: 'each', locations: ['freezer', 'line'] }),
    createStockItem(site, { itemId: 'fries', name: 'Frozen fries', category: 'frozen', baseUnit: 'g', locations: ['freezer'] }),
  ]);
  // 0.50 a patty: an average of 50 000 minor units per 1 000 each; fries 2.00 a kg.
  await Promise.all([receive('beef-patty', 'freezer', 48, 'each', 50), receive('fries', 'freezer', 12.5, 'kg', 200)]);
  await receive('beef-patty', 'line', 2, 'each', 50);
  await expectStatus(api('PUT', `/sites/${site.siteId}/inventory/locations/freezer`, { body: { deviceIds: [deviceId], name: 'Walk-in freezer' }, headers: bearer(site.manager) }), 200);
}, 120_000);

it('links a unit to a location: managers only; everyone sees the links', async () => {
  await expectStatus(api('PUT', `/sites/${site.siteId}/inventory/locations/line`, { body: { deviceIds: [] }, headers: bearer(site.staff) }), 403);
  // Two managers renaming the location at once: each PUT replaces it under a version of its own.
  const puts = await Promise.all(
    ['Walk-in freezer', 'Walk-in freezer'].map((name) => expectStatus(api('PUT', `/sites/${site.siteId}/inventory/locations/freezer`, { body: { deviceIds: [deviceId], name }, headers: bearer(site.manager) }), 200)),
  );
  expect(puts.map((p) => p.json.version).sort()).toEqual([2, 3]);
  const listed = await expectStatus(api('GET', `/sites/${site.siteId}/inventory/locations`, { headers: bearer(site.staff) }), 200);
  expect(listed.json.locations).toEqual([expect.objectContaining({ location: 'freezer', name: 'Walk-in freezer', deviceIds: [deviceId], version: 3, updatedBy: site.manager.userId })]);
});

describe('an excursion of a linked unit', () => {
  const incidentId = uniqueId('incident');
  let hold: Record<string, any>;

  it('holds the location with what is on hand there, once however often it is delivered', async () => {
    const event = excursion(site.siteId, incidentId);
    await publishExcursion(event);
    await publishExcursion(event);
    // The same incident under another event id (a retried decision upstream) names the same hold.
    await publishExcursion({ ...event, id: randomUUID() });
    hold = await eventually(async () => (await holdsOf(site)).find((h) => h.status === 'open'), 30_000, 'the hold opened');
    expect(hold).toMatchObject({
      location: 'freezer',
      locationName: 'Walk-in freezer',
      cause: 'excursion',
      incidentId,
      deviceId,
      heldBy: 'iot',
      items: [
        { itemId: 'beef-patty', itemName: 'Beef patty', unit: 'each', quantity: 48 },
        { itemId: 'fries', itemName: 'Frozen fries', unit: 'g', quantity: 12500 },
      ],
      // 48 patties at 50 each = 2 400; 12 500 g at 200 per kg = 2 500.
      value: 2400 + 2500,
    });
    // Give the other deliveries time to land: still one hold, and the location says which.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await holdsOf(site)).toHaveLength(1);
    const locations = await expectStatus(api('GET', `/sites/${site.siteId}/inventory/locations`, { headers: bearer(site.staff) }), 200);
    expect(locations.json.locations[0].openHoldId).toBe(hold.holdId);
    const { Items = [] } = await dynamo.send(
      new QueryCommand({ TableName: tableName('inventory'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SITE#${site.siteId}#HOLDS` } }),
    );
    expect(Items.map((i) => i.sk).sort()).toEqual([`HOLD#${hold.holdId}`, 'OPEN#freezer']);
    // inventory.stock-held left through the outbox: the stream relay published it and cleared its item.
    await eventually(async () => {
      const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('inventory'), Key: { pk: `SITE#${site.siteId}#OUTBOX#stock-held:${hold.holdId}`, sk: 'OUTBOX' }, ConsistentRead: true }));
      return Item ? undefined : true;
    }, 30_000, 'stock-held published');
    // An alert on the alerts topic: the site's manager is told, through the notifications path.
    const told = await waitForNotification(site.manager, (n) => n.eventId === `stock-held:${hold.holdId}`, 20_000, 'the stock-held notification');
    expect(told).toMatchObject({ eventType: 'inventory.stock-held', severity: 'warning', siteId: site.siteId, title: expect.stringContaining('on hold') });
  });

  it('holds nothing at a site the unit is not linked at, even with a location of the same name', async () => {
    await expectStatus(api('PUT', `/sites/${other.siteId}/inventory/locations/freezer`, { body: { deviceIds: ['someone-elses'] }, headers: bearer(other.manager) }), 200);
    await publishExcursion(excursion(other.siteId, uniqueId('incident')));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await holdsOf(other)).toEqual([]);
  });

  it('another site’s manager cannot see or touch it; staff cannot discard it', async () => {
    await expectStatus(api('POST', `${holdsPath(other.siteId)}/${hold.holdId}/release`, { body: {}, headers: bearer(other.manager) }), 404);
    await expectStatus(api('POST', `${holdsPath(other.siteId)}/${hold.holdId}/discard`, { body: {}, headers: { ...bearer(other.manager), 'idempotency-key': uniqueId('key') } }), 404);
    await expectStatus(api('POST', `${holdsPath(site.siteId)}/${hold.holdId}/release`, { body: {}, headers: bearer(other.manager) }), 403);
    await expectStatus(api('POST', `${holdsPath(site.siteId)}/${hold.holdId}/discard`, { body: {}, headers: { ...bearer(site.staff), 'idempotency-key': uniqueId('key') } }), 403);
  });

  it('discarding books quarantined waste at cost for what is there now, up to what was held, once per key', async () => {
    // 8 patties went in the bin since the hold: they are not wasted twice.
    await expectStatus(move(site, site.staff, 'beef-patty', 'waste', { location: 'freezer', quantity: 8, unit: 'each', reason: 'dropped' }), 201);
    const key = { 'idempotency-key': uniqueId('discard') };
    const discard = () => api('POST', `${holdsPath(site.siteId)}/${hold.holdId}/discard`, { body: { note: 'above -12 °C for 40 min' }, headers: { ...bearer(site.manager), ...key } });
    const first = await expectStatus(discard(), 200);
    expect(first.json.hold).toMatchObject({
      status: 'discarded',
      closedBy: site.manager.userId,
      note: 'above -12 °C for 40 min',
      discarded: [
        { itemId: 'beef-patty', quantity: 40, gone: 8, value: 2000, movementId: `${hold.holdId}.discard.beef-patty` },
        { itemId: 'fries', quantity: 12500, gone: 0, value: 2500, movementId: `${hold.holdId}.discard.fries` },
      ],
    });
    const again = await discard();
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    await expectStatus(api('POST', `${holdsPath(site.siteId)}/${hold.holdId}/discard`, { body: {}, headers: { ...bearer(site.manager), 'idempotency-key': uniqueId('key') } }), 409);

    expect(await onHandOf(site, 'beef-patty')).toEqual({ onHand: { freezer: 0, line: 2 }, totalOnHand: 2 });
    expect((await onHandOf(site, 'fries')).totalOnHand).toBe(0);
    const movements = await expectStatus(api('GET', `/sites/${site.siteId}/inventory/items/beef-patty/movements`, { headers: bearer(site.manager) }), 200);
    const quarantined = movements.json.movements.filter((m: { reason?: string }) => m.reason === 'quarantined');
    expect(quarantined).toEqual([expect.objectContaining({ kind: 'waste', value: 2000, by: site.manager.userId, changes: [{ location: 'freezer', before: 40_000, after: 0 }] })]);
    const { Items = [] } = await dynamo.send(
      new QueryCommand({ TableName: tableName('inventory'), KeyConditionExpression: 'pk = :pk AND sk = :sk', ExpressionAttributeValues: { ':pk': `SITE#${site.siteId}#HOLDS`, ':sk': 'OPEN#freezer' } }),
    );
    expect(Items).toEqual([]);
  });
});

describe('a manual hold', () => {
  let holdId: string;

  it('holds a location with a reason; a second hold of it is a 409; open holds are listed first', async () => {
    const opened = await expectStatus(api('POST', holdsPath(site.siteId), { body: { location: 'line', reason: 'mice droppings on the shelf' }, headers: bearer(site.manager) }), 201);
    holdId = opened.json.hold.holdId;
    expect(opened.json.hold).toMatchObject({ status: 'open', cause: 'manual', heldBy: site.manager.userId, items: [{ itemId: 'beef-patty', quantity: 2 }], value: 100 });
    const twice = await expectStatus(api('POST', holdsPath(site.siteId), { body: { location: 'line', reason: 'again' }, headers: bearer(site.manager) }), 409);
    expect(twice.json.error.details).toEqual({ location: 'line', holdId });
    expect((await holdsOf(site)).map((h) => [h.location, h.status])).toEqual([
      ['line', 'open'],
      ['freezer', 'discarded'],
    ]);
  });

  it('is released by a manager: the stock stays and counts again; released twice is a 409', async () => {
    const released = await expectStatus(api('POST', `${holdsPath(site.siteId)}/${holdId}/release`, { body: { note: 'shelf cleaned, stock sealed' }, headers: bearer(site.manager) }), 200);
    expect(released.json.hold).toMatchObject({ status: 'released', closedBy: site.manager.userId, note: 'shelf cleaned, stock sealed', version: 2 });
    expect((await onHandOf(site, 'beef-patty')).onHand.line).toBe(2);
    await expectStatus(api('POST', `${holdsPath(site.siteId)}/${holdId}/release`, { body: {}, headers: bearer(site.manager) }), 409);
    await expectStatus(api('POST', `${holdsPath(site.siteId)}/${holdId}/discard`, { body: {}, headers: { ...bearer(site.manager), 'idempotency-key': uniqueId('key') } }), 409);
  });
});

it('answers bad input with 4xx JSON', async () => {
  const manager = bearer(site.manager);
  const cases: Array<[string, string, unknown, Record<string, string>, number]> = [
    ['PUT', `/sites/${site.siteId}/inventory/locations/freezer`, { deviceIds: ['has space'] }, {}, 400],
    ['PUT', `/sites/${site.siteId}/inventory/locations/freezer`, { deviceIds: ['a', 'a'] }, {}, 400],
    ['PUT', `/sites/${site.siteId}/inventory/locations/freezer`, { deviceIds: Array.from({ length: 21 }, (_, i) => `d${i}`) }, {}, 400],
    ['PUT', `/sites/${site.siteId}/inventory/locations/bad%23id`, { deviceIds: [] }, {}, 400],
    ['PUT', `/sites/${site.siteId}/inventory/locations/freezer`, { deviceIds: [], extra: 1 }, {}, 400],
    ['POST', holdsPath(site.siteId), { location: 'nowhere', reason: 'a reason' }, {}, 404],
    ['POST', holdsPath(site.siteId), { location: 'line', reason: 'x' }, {}, 400],
    ['POST', holdsPath(site.siteId), { location: 'line', reason: 'r'.repeat(201) }, {}, 400],
    ['POST', `${holdsPath(site.siteId)}/${'h'.repeat(65)}/release`, {}, {}, 400],
    ['POST', `${holdsPath(site.siteId)}/h20990101000000-000000000000/release`, {}, {}, 404],
    ['POST', `${holdsPath(site.siteId)}/h20990101000000-000000000000/discard`, {}, {}, 400], // no Idempotency-Key
    ['POST', `${holdsPath(site.siteId)}/h20990101000000-000000000000/discard`, { note: 1 }, { 'idempotency-key': uniqueId('key') }, 400],
    ['GET', `${holdsPath(site.siteId)}?limit=1000`, undefined, {}, 400],
    ['GET', `${holdsPath(site.siteId)}?cursor=not-a-cursor`, undefined, {}, 400],
  ];
  for (const [method, path, body, headers, status] of cases) {
    const res = await api(method, path, { ...(body === undefined ? {} : { body }), headers: { ...manager, ...headers } });
    expect([method, path, res.status]).toEqual([method, path, status]);
    expect(res.json.error.code).toEqual(expect.any(String));
  }
});

it('held stock is not sold: the dish it alone would make is 86d for out-of-stock until the hold is released', async () => {
  const menuSite = await orderingSite();
  const stock: StockSite = { siteId: menuSite.siteId, manager: menuSite.manager, staff: menuSite.staff };
  const unit = uniqueId('fridge');
  await createStockItem(stock, { itemId: 'salmon', name: 'Salmon fillet', category: 'fish', baseUnit: 'g', locations: ['fish-fridge', 'line'] });
  await expectStatus(move(stock, stock.manager, 'salmon', 'receipts', { location: 'fish-fridge', quantity: 1, unit: 'kg', unitCost: 3000 }), 201);
  await expectStatus(api('PUT', `/sites/${stock.siteId}/inventory/locations/fish-fridge`, { body: { deviceIds: [unit] }, headers: bearer(stock.manager) }), 200);
  const category = await expectStatus(api('POST', `/sites/${stock.siteId}/menu/categories`, { body: { name: 'Fish' }, headers: bearer(stock.manager) }), 201);
  const dish = await createItem(menuSite, category.json.categoryId as string, { name: 'Grilled salmon', price: 2400, taxRate: '8.25', station: 'kitchen', recipe: [{ ingredientId: 'salmon', quantity: 200, unit: 'g' }] });
  const menuItem = async () => (await expectStatus(api('GET', `/sites/${stock.siteId}/menu/items/${dish}`, { headers: bearer(stock.staff) }), 200)).json;
  // Inventory has learnt the recipe once a menu version reached it; until then nothing is judged.
  await eventually(async () => {
    const { Items = [] } = await dynamo.send(
      new QueryCommand({ TableName: tableName('inventory'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SITE#${stock.siteId}#MENU` } }),
    );
    return Items.some((i) => i.menuItemId === dish) ? true : undefined;
  }, 30_000, 'recipe learnt');

  const event = buildEvent({
    type: 'iot.excursion-started',
    source: 'iot',
    siteId: stock.siteId,
    correlationId: randomUUID(),
    data: sampleData('iot.excursion-started', { deviceId: unit, incidentId: uniqueId('incident'), startedAt: new Date().toISOString() }),
  });
  await publishExcursion(event);
  const off = await eventually(async () => {
    const item = await menuItem();
    return item.eightySixed ? item : undefined;
  }, 30_000, 'salmon dish 86d');
  expect(off).toMatchObject({ available: false, eightySixedReason: 'out-of-stock' });
  expect((await onHandOf(stock, 'salmon')).totalOnHand).toBe(1000); // held, not gone

  const [hold] = await holdsOf(stock);
  await expectStatus(api('POST', `${holdsPath(stock.siteId)}/${hold!.holdId}/release`, { body: {}, headers: bearer(stock.manager) }), 200);
  const back = await eventually(async () => {
    const item = await menuItem();
    return item.available ? item : undefined;
  }, 30_000, 'salmon dish restored');
  expect(back).toMatchObject({ available: true, eightySixed: false });
});
