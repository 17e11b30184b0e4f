// A batch of orders events depleted together (depletion-batch.ts), against a stubbed table: sales of one item by
// several orders are applied one after the other in memory and the on-hand row is written once, on the version
// read, in one transaction; an order's second event waits for the next round; an issue met by several orders is one
// update adding their count; a transaction that loses a race is read and decided again, and after three losses
// each event is depleted alone.
import { randomUUID } from 'node:crypto';
import { BatchGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { cancelled, dynamo, type Command } from './fixtures/stub-dynamodb';
import { sampleData } from './fixtures/events';
import { buildEvent } from '../../functions/shared/events';
import type { DepletingEvent } from '../../functions/inventory/depletion-rules';

jest.mock('../../functions/shared/clients/dynamodb', () => jest.requireActual('./fixtures/stub-dynamodb').stubbedClients);
Object.assign(process.env, {
  TABLE_NAME: 'brigade-test-inventory',
  EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:brigade-test-events',
  ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:brigade-test-alerts',
});
const { depleteBatch } = require('../../functions/inventory/depletion-batch') as typeof import('../../functions/inventory/depletion-batch');

const NOW = '2026-12-04T12:00:00.000Z';
const SITE = 'bistro';
const potato = {
  pk: `SITE#${SITE}#STOCK`,
  sk: 'ITEM#potato',
  siteId: SITE,
  itemId: 'potato',
  name: 'Potatoes',
  category: 'produce',
  kind: 'ingredient',
  baseUnit: 'g',
  units: [{ name: 'sack', quantity: 10, unit: 'kg' }],
  locations: ['walk-in'],
  depleteFrom: 'walk-in',
  par: 0,
  reorderPoint: 0,
  averageCost: 2,
  archived: false,
  version: 1,
  createdAt: NOW,
  updatedAt: NOW,
};
const potatoRow = { pk: `SITE#${SITE}#STOCK`, sk: 'ONHAND#potato#walk-in', siteId: SITE, itemId: 'potato', location: 'walk-in', quantity: 10_000_000, version: 3, updatedAt: NOW };

/** An order event of one line: `consumption` of potato in grams, or none (a menu item without a recipe). */
function orderEvent(type: 'order.placed' | 'order.paid', grams: number | undefined, orderId = randomUUID()): DepletingEvent {
  const sample = sampleData('order.placed', {}) as { lines: Array<Record<string, unknown>> };
  const consumption = grams === undefined ? [] : [{ ingredientId: 'potato', quantity: grams, unit: 'g' }];
  return buildEvent({
    type,
    source: 'orders',
    siteId: SITE,
    correlationId: randomUUID(),
    data: sampleData(type, { orderId, lines: [{ ...sample.lines[0], lineId: 'L1', consumption }] }),
  }) as unknown as DepletingEvent;
}

/** The table as the stub answers reads, and what each transaction wrote (applied to it when it commits). */
let table: Map<string, Record<string, unknown>>;
let transactions: Array<Array<Record<string, any>>>;
let refuse: number;

function answer(command: Command): unknown {
  if (command instanceof BatchGetCommand) {
    const [name, { Keys }] = Object.entries(command.input.RequestItems!)[0]! as [string, { Keys: Array<{ pk: string; sk: string }> }];
    return { Responses: { [name]: Keys.flatMap((k) => table.get(`${k.pk}|${k.sk}`) ?? []) } };
  }
  if (command instanceof TransactWriteCommand) {
    const items = command.input.TransactItems as Array<Record<string, any>>;
    transactions.push(items);
    if (refuse > 0) {
      refuse--;
      throw cancelled(...items.map((_, i) => (i === 0 ? 'TransactionConflict' : 'None')));
    }
    // The conditions the depletion writes carry: new only if absent, later ones on the version read.
    const failed = (put: Record<string, any>) => {
      const stored = table.get(`${put.Item.pk}|${put.Item.sk}`);
      if (put.ConditionExpression === 'attribute_not_exists(pk)') return stored !== undefined;
      if (put.ConditionExpression === 'version = :version') return stored?.version !== put.ExpressionAttributeValues[':version'];
      return false;
    };
    const reasons = items.map((item) => (item.Put && failed(item.Put) ? 'ConditionalCheckFailed' : 'None'));
    if (reasons.includes('ConditionalCheckFailed')) throw cancelled(...reasons);
    for (const item of items) if (item.Put) table.set(`${item.Put.Item.pk}|${item.Put.Item.sk}`, item.Put.Item);
    return {};
  }
  return {}; // the site profile's GetItem: unknown site, UTC
}

beforeEach(() => {
  table = new Map([potato, potatoRow].map((item) => [`${item.pk}|${item.sk}`, { ...item }]));
  transactions = [];
  refuse = 0;
  dynamo.sent.length = 0;
  dynamo.answer = answer;
});

it('sales of one item by several orders: one transaction, the row written once on the version read, each sale seeing the one before', async () => {
  const events = [orderEvent('order.placed', 100), orderEvent('order.placed', 250), orderEvent('order.placed', 50)];
  const outcomes = await depleteBatch(events);
  expect(outcomes).toEqual(events.map(() => ({ status: 'fulfilled', value: { replay: false, movements: 1 } })));
  expect(transactions).toHaveLength(1);
  const [written] = transactions;
  const rows = written!.filter((i) => (i.Put?.Item.sk ?? '').startsWith('ONHAND#'));
  expect(rows).toEqual([{ Put: expect.objectContaining({ Item: expect.objectContaining({ quantity: 10_000_000 - 400_000, version: 4 }), ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': 3 } }) }]);
  const sales = written!.filter((i) => i.Put?.Item.kind === 'sale').map((i) => i.Put.Item.changes[0]);
  expect(sales).toEqual([
    { location: 'walk-in', before: 10_000_000, after: 9_900_000 },
    { location: 'walk-in', before: 9_900_000, after: 9_650_000 },
    { location: 'walk-in', before: 9_650_000, after: 9_600_000 },
  ]);
  expect(written!.filter((i) => i.Put?.Item.sk === 'DEPLETION').map((i) => i.Put.ConditionExpression)).toEqual(events.map(() => 'attribute_not_exists(pk)'));
  expect(written!.filter((i) => i.Put?.Item.sk === 'OUTBOX')).toHaveLength(3);
  // Reads: the records and items in one BatchGetItem, the rows in one more.
  expect(dynamo.sent.filter((c) => c instanceof BatchGetCommand)).toHaveLength(2);
});

it("an order's second event waits for the next round, which reads the record the first one wrote: placed then paid deplete once", async () => {
  const orderId = randomUUID();
  const outcomes = await depleteBatch([orderEvent('order.placed', 100, orderId), orderEvent('order.paid', 100, orderId)]);
  expect(outcomes.map((o) => o.status === 'fulfilled' && o.value)).toEqual([
    { replay: false, movements: 1 },
    { replay: false, movements: 0 }, // paid repeats the lines: nothing more taken, the key recorded
  ]);
  expect(transactions).toHaveLength(2);
  expect(table.get(`SITE#${SITE}#STOCK|ONHAND#potato#walk-in`)).toMatchObject({ quantity: 9_900_000, version: 4 });
  expect(transactions[1]!.find((i) => i.Put?.Item.sk === 'DEPLETION')!.Put.ConditionExpression).toBe('version = :version');
});

it('the same event twice in a batch depletes once: the second finds its key applied', async () => {
  const event = orderEvent('order.placed', 100);
  const outcomes = await depleteBatch([event, event]);
  expect(outcomes.map((o) => o.status === 'fulfilled' && o.value)).toEqual([
    { replay: false, movements: 1 },
    { replay: true, movements: 0 },
  ]);
  expect(transactions).toHaveLength(1);
});

it('a menu item without a recipe met by several orders is one counting update adding their number', async () => {
  const events = [orderEvent('order.placed', undefined), orderEvent('order.placed', undefined), orderEvent('order.placed', undefined)];
  await depleteBatch(events);
  expect(transactions).toHaveLength(1);
  const counts = transactions[0]!.filter((i) => i.Update?.Key.sk.startsWith('RECIPE#'));
  expect(counts).toHaveLength(1);
  expect(counts[0]!.Update.ExpressionAttributeValues[':count']).toBe(3);
});

it('a transaction that loses a race writes nothing and is read and decided again; after three losses each event goes alone', async () => {
  refuse = 1;
  const events = [orderEvent('order.placed', 100), orderEvent('order.placed', 100)];
  expect((await depleteBatch(events)).every((o) => o.status === 'fulfilled')).toBe(true);
  expect(transactions.map((t) => t.filter((i) => i.Put?.Item.sk === 'DEPLETION').length)).toEqual([2, 2]);
  expect(table.get(`SITE#${SITE}#STOCK|ONHAND#potato#walk-in`)).toMatchObject({ quantity: 9_800_000 });

  transactions = [];
  refuse = 3;
  const more = [orderEvent('order.placed', 100), orderEvent('order.placed', 100)];
  expect((await depleteBatch(more)).every((o) => o.status === 'fulfilled')).toBe(true);
  // Three combined attempts of both events, then one transaction per event (depletion.ts), at once: one that read
  // the row before the other's commit loses on its version and reads again.
  const records = transactions.map((t) => t.filter((i) => i.Put?.Item.sk === 'DEPLETION').length);
  expect(records.slice(0, 3)).toEqual([2, 2, 2]);
  expect(records.slice(3).every((n) => n === 1) && records.length >= 5).toBe(true);
  expect(table.get(`SITE#${SITE}#STOCK|ONHAND#potato#walk-in`)).toMatchObject({ quantity: 9_600_000 });
});
