// An orders event that moves more stock items than one DynamoDB transaction holds (100 items: about 33 stock
// items), over the running stack: an `order.paid` of 20 lines consuming 60 distinct stock items, published on the
// real events topic, depletes each of them exactly (on-hand read from the table, one sale per item in the ledger);
// the same SNS message again depletes nothing more; and an event of the order left half-written (the record
// holding movements still pending, as after a crash between two transactions) is finished by the order's next
// event before that event is decided.
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { buildEvent, type EventEnvelope } from '../../functions/shared/events';
import { sampleData } from '../unit/fixtures/events';
import { createStockItem, move, publishOrdersEvent, stockSite, type StockSite } from './support/inventory';
import { expectStatus } from './support/orders';
import { dynamo, eventually, tableName } from './support/target';

jest.setTimeout(180_000);

const ITEMS = 60;
const RECEIVED = 10;
const itemIds = Array.from({ length: ITEMS }, (_, i) => `dish-part-${String(i).padStart(2, '0')}`);
/** What the order takes of item i, in each: 1 to 5, so a chunk applied twice or not at all shows. */
const takes = (i: number) => (i % 5) + 1;

let site: StockSite;

type Line = { lineId: string; consumption: Array<{ ingredientId: string; quantity: number; unit: string }> } & Record<string, unknown>;

/** An orders snapshot event of `lines` (each with its consumption), as the orders domain publishes it. */
function snapshot(type: 'order.placed' | 'order.paid', orderId: string, version: number, lines: Array<Line['consumption']>): EventEnvelope {
  const sample = (sampleData(type, {}) as { lines: Line[] }).lines[0]!;
  return buildEvent({
    type,
    source: 'orders',
    siteId: site.siteId,
    correlationId: randomUUID(),
    data: sampleData(type, { orderId, version, lines: lines.map((consumption, i) => ({ ...sample, lineId: `L${i + 1}`, consumption })) }),
  });
}

const recordOf = async (orderId: string) =>
  (await dynamo.send(new GetCommand({ TableName: tableName('inventory'), Key: { pk: `SITE#${site.siteId}#ORDER#${orderId}`, sk: 'DEPLETION' }, ConsistentRead: true }))).Item;

/** Waits until the order's record has applied `key` with nothing left pending. */
const applied = (orderId: string, key: string) =>
  eventually(
    async () => {
      const record = await recordOf(orderId);
      return record && (record.applied as string[]).includes(key) && record.pending === undefined ? record : undefined;
    },
    60_000,
    `${key} applied with nothing pending`,
  );

/** On-hand in base units (each) of every item, from the table. */
async function onHand(): Promise<Record<string, number>> {
  const { Items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: tableName('inventory'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `SITE#${site.siteId}#STOCK`, ':prefix': 'ONHAND#' },
      ConsistentRead: true,
    }),
  );
  return Object.fromEntries(Items.map((row) => [row.itemId as string, (row.quantity as number) / 1000]));
}

/** The item's ledger entries caused by `orderId`. */
async function movementsOf(itemId: string, orderId: string) {
  const { Items = [] } = await dynamo.send(
    new QueryCommand({ TableName: tableName('inventory'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SITE#${site.siteId}#ITEM#${itemId}` }, ConsistentRead: true }),
  );
  return Items.filter((m) => m.orderId === orderId);
}

beforeAll(async () => {
  site = await stockSite();
  // Ten at a time: the local stack runs every handler in one process.
  for (let i = 0; i < ITEMS; i += 10) {
    await Promise.all(
      itemIds.slice(i, i + 10).map(async (itemId) => {
        await createStockItem(site, { itemId, name: `Part ${itemId}`, category: 'prep', baseUnit: 'each', units: [{ name: 'box', quantity: 10, unit: 'each' }], locations: ['walk-in'] });
        await expectStatus(move(site, site.manager, itemId, 'receipts', { location: 'walk-in', quantity: RECEIVED, unit: 'each', unitCost: 100 }), 201);
      }),
    );
  }
}, 180_000);

it('an order.paid consuming 60 stock items depletes each exactly once, and its redelivery nothing more', async () => {
  const orderId = randomUUID();
  // 20 lines of 3 ingredients each: a big table's order of varied dishes.
  const lines = Array.from({ length: ITEMS / 3 }, (_, l) => [0, 1, 2].map((k) => ({ ingredientId: itemIds[3 * l + k]!, quantity: takes(3 * l + k), unit: 'each' })));
  const event = snapshot('order.paid', orderId, 9, lines);
  await publishOrdersEvent(event);
  const record = await applied(orderId, `${orderId}#order.paid#9`);

  const expected = Object.fromEntries(itemIds.map((itemId, i) => [itemId, RECEIVED - takes(i)]));
  expect(await onHand()).toEqual(expected);
  for (const [i, itemId] of itemIds.entries()) {
    const movements = await movementsOf(itemId, orderId);
    expect(movements).toEqual([expect.objectContaining({ kind: 'sale', by: 'orders', changes: [{ location: 'walk-in', before: RECEIVED * 1000, after: (RECEIVED - takes(i)) * 1000 }] })]);
  }

  await publishOrdersEvent(event);
  // Give the second delivery the time to land, then check it wrote nothing: not the record, not the stock.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  expect((await recordOf(orderId))?.version).toBe(record.version);
  expect(await onHand()).toEqual(expected);
  expect((await Promise.all(itemIds.map((itemId) => movementsOf(itemId, orderId)))).map((m) => m.length)).toEqual(itemIds.map(() => 1));
});

it("an event left half-written is finished by the order's next event, which then decides on the whole order", async () => {
  const before = await onHand();
  const orderId = randomUUID();
  const placedKey = `${orderId}#order.placed#1`;
  const parts = itemIds.slice(0, 5);
  const consumption = parts.map((ingredientId) => ({ ingredientId, quantity: 1, unit: 'each' }));
  // What the first transaction of a split order.placed leaves when the function dies before the next one.
  await dynamo.send(
    new PutCommand({
      TableName: tableName('inventory'),
      Item: {
        pk: `SITE#${site.siteId}#ORDER#${orderId}`,
        sk: 'DEPLETION',
        siteId: site.siteId,
        orderId,
        lines: { L1: { seenAt: 1, status: 'depleted', taken: parts.map((itemId) => ({ itemId, location: 'walk-in', quantity: 1000 })) } },
        applied: [placedKey],
        version: 1,
        updatedAt: new Date().toISOString(),
        pending: {
          key: placedKey,
          at: new Date().toISOString(),
          correlationId: randomUUID(),
          movements: parts.map((itemId) => ({ kind: 'sale', itemId, location: 'walk-in', quantity: 1000 })),
          unresolved: { missingRecipes: [], unknownIngredients: [], unconvertible: [] },
        },
      },
    }),
  );
  // order.paid repeats the placed line: it takes nothing more, once the placed line's sales are written.
  await publishOrdersEvent(snapshot('order.paid', orderId, 2, [consumption]));
  const record = await applied(orderId, `${orderId}#order.paid#2`);
  expect(record.applied).toEqual([placedKey, `${orderId}#order.paid#2`]);

  const after = await onHand();
  expect(Object.fromEntries(parts.map((itemId) => [itemId, after[itemId]]))).toEqual(Object.fromEntries(parts.map((itemId) => [itemId, before[itemId]! - 1])));
  for (const itemId of parts) {
    expect(await movementsOf(itemId, orderId)).toEqual([expect.objectContaining({ kind: 'sale', movementId: `${placedKey.replaceAll('#', '.')}.sale.${itemId}.walk-in` })]);
  }
});
