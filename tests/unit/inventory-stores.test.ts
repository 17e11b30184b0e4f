// The transaction shapes inventory's correctness rests on, without AWS: on-hand rows conditional on the version
// read (new rows on being new), a receipt's average cost conditional on every on-hand row it was computed from,
// movements put only if absent, the depletion record conditional on its version; and the orders-events
// subscription taking exactly the events depletion-rules.ts handles, with a dead-letter queue.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DepletionStore } from '../../functions/inventory/depletion-store';
import { DEPLETING_EVENTS, emptyDepletion } from '../../functions/inventory/depletion-rules';
import { RecipeStore } from '../../functions/inventory/recipe-store';
import { applyMovement } from '../../functions/inventory/ledger-rules';
import type { ItemRecord, MovementRecord } from '../../functions/inventory/schemas';
import { StockStore, stockOf, type OnHandRow, type StockRead } from '../../functions/inventory/stock-store';

const TABLE = 'brigade-test-inventory';
const store = new StockStore(TABLE, 'arn:aws:sns:us-east-1:000000000000:brigade-test-events');
const NOW = '2026-11-25T19:30:00.000Z';

const item: ItemRecord = {
  siteId: 'bistro',
  itemId: 'flour',
  name: 'Flour',
  category: 'dry goods',
  kind: 'ingredient',
  baseUnit: 'g',
  units: [{ name: 'bag', quantity: 1, unit: 'kg' }],
  locations: ['dry', 'line', 'prep'],
  depleteFrom: 'line',
  par: 0,
  reorderPoint: 0,
  averageCost: 300,
  archived: false,
  version: 4,
  createdAt: NOW,
  updatedAt: NOW,
};
const row = (location: string, quantity: number, version: number): OnHandRow => ({ siteId: 'bistro', itemId: 'flour', location, quantity, version, updatedAt: NOW });
const read: StockRead = { item, rows: new Map([['dry', row('dry', 5_000_000, 7)], ['line', row('line', 1_000_000, 2)]]) };
const movement = (kind: MovementRecord['kind'], changes: MovementRecord['changes']): MovementRecord => ({ siteId: 'bistro', itemId: 'flour', movementId: `m-${kind}`, kind, at: NOW, by: 'u1', changes, value: 0 });

describe('StockStore.changeWrites', () => {
  it('a sale writes only the row it changed, on the version read, and puts the movement only if absent', () => {
    const applied = applyMovement(stockOf(read), { kind: 'sale', location: 'line', quantity: 1_500_000 });
    const writes = store.changeWrites({ read, after: applied.stock, movements: [movement('sale', applied.changes)], requireActive: false }, NOW, 'UTC');
    expect(writes).toEqual([
      {
        Put: expect.objectContaining({
          Item: expect.objectContaining({ pk: 'SITE#bistro#STOCK', sk: 'ONHAND#flour#line', quantity: -500_000, version: 3 }),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': 2 },
        }),
      },
      { Put: expect.objectContaining({ Item: expect.objectContaining({ pk: 'SITE#bistro#ITEM#flour', sk: `MOVE#${NOW}#m-sale` }), ConditionExpression: 'attribute_not_exists(pk)' }) },
    ]);
  });

  it('a transfer to a location with no row yet creates it on condition it is still absent', () => {
    const applied = applyMovement(stockOf(read), { kind: 'transfer', from: 'dry', to: 'prep', quantity: 1_000_000 });
    const writes = store.changeWrites({ read, after: applied.stock, movements: [], requireActive: false }, NOW, 'UTC');
    expect(writes.map((w) => [w.Put?.Item?.sk, w.Put?.ConditionExpression, w.Put?.Item?.version])).toEqual([
      ['ONHAND#flour#dry', 'version = :version', 8],
      ['ONHAND#flour#prep', 'attribute_not_exists(pk)', 1],
    ]);
  });

  it('a receipt changes the average cost on condition of the cost read, the item active and every other row unchanged', () => {
    const applied = applyMovement(stockOf(read), { kind: 'receive', location: 'line', quantity: 6_000_000, cost: 3000 });
    expect(applied.stock.averageCost).not.toBe(item.averageCost);
    const writes = store.changeWrites({ read, after: applied.stock, movements: [], requireActive: true }, NOW, 'UTC');
    expect(writes).toEqual([
      { Put: expect.objectContaining({ Item: expect.objectContaining({ sk: 'ONHAND#flour#line', quantity: 7_000_000 }) }) },
      { ConditionCheck: expect.objectContaining({ Key: { pk: 'SITE#bistro#STOCK', sk: 'ONHAND#flour#dry' }, ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': 7 } }) },
      {
        Update: expect.objectContaining({
          Key: { pk: 'SITE#bistro#STOCK', sk: 'ITEM#flour' },
          ConditionExpression: 'averageCost = :read AND archived = :no',
          ExpressionAttributeValues: { ':cost': applied.stock.averageCost, ':read': 300, ':no': false },
        }),
      },
    ]);
  });

  it('a count checks that the item is still active; a count that changes nothing writes no row', () => {
    const applied = applyMovement(stockOf(read), { kind: 'count', location: 'dry', counted: 5_000_000 });
    const writes = store.changeWrites({ read, after: applied.stock, movements: [], requireActive: true }, NOW, 'UTC');
    expect(writes).toEqual([{ ConditionCheck: expect.objectContaining({ Key: { pk: 'SITE#bistro#STOCK', sk: 'ITEM#flour' }, ConditionExpression: 'archived = :no' }) }]);
  });
});

describe('DepletionStore', () => {
  const depletions = new DepletionStore(TABLE);

  it('writes a first depletion record only if absent, a later one on the version read', () => {
    const state = { ...emptyDepletion('o1'), applied: ['o1#order.placed#1'] };
    expect(depletions.recordWrite('bistro', state, undefined, NOW).Put).toMatchObject({ Item: { pk: 'SITE#bistro#ORDER#o1', sk: 'DEPLETION', version: 1 }, ConditionExpression: 'attribute_not_exists(pk)' });
    expect(depletions.recordWrite('bistro', state, 3, NOW).Put).toMatchObject({ Item: { version: 4 }, ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': 3 } });
  });

  it('counts each issue once per event, however many lines name it', () => {
    const writes = depletions.issueWrites(
      [
        {
          siteId: 'bistro',
          orderId: 'o1',
          unresolved: {
        unknownIngredients: [{ ingredientId: 'cheddar', lineIds: ['L1', 'L2'] }],
        missingRecipes: [
          { menuItemId: 'soda', name: 'Soda', lineId: 'L3' },
          { menuItemId: 'soda', name: 'Soda', lineId: 'L4' },
        ],
            unconvertible: [{ ingredientId: 'lemon', unit: 'g', lineId: 'L5', message: 'g does not convert for item lemon' }],
          },
        },
      ],
      NOW,
    );
    expect(writes.map((w) => w.Update?.Key?.sk)).toEqual(['INGREDIENT#cheddar', 'RECIPE#soda', 'UNIT#lemon#g']);
    expect(writes[0]!.Update!.UpdateExpression).toContain('ADD occurrences :count');
    expect(writes.map((w) => w.Update!.ExpressionAttributeValues![':count'])).toEqual([1, 1, 1]);
  });

  it('counts an issue several events of one transaction met once, adding their count, with the last order', () => {
    const soda = (orderId: string, siteId = 'bistro') => ({ siteId, orderId, unresolved: { unknownIngredients: [], unconvertible: [], missingRecipes: [{ menuItemId: 'soda', name: 'Soda', lineId: 'L1' }] } });
    const writes = depletions.issueWrites([soda('o1'), soda('o2'), soda('o3', 'cafe'), soda('o4')], NOW);
    expect(writes.map((w) => [w.Update!.Key, w.Update!.ExpressionAttributeValues![':count']])).toEqual([
      [{ pk: 'SITE#bistro#UNRESOLVED', sk: 'RECIPE#soda' }, 3],
      [{ pk: 'SITE#cafe#UNRESOLVED', sk: 'RECIPE#soda' }, 1],
    ]);
    expect(Object.values(writes[0]!.Update!.ExpressionAttributeValues!)).toContain('o4');
  });
});

describe('the orders-events subscription', () => {
  const functions = parse(readFileSync(join(__dirname, '../../functions/inventory/functions.yml'), 'utf8'));
  const resources = parse(readFileSync(join(__dirname, '../../functions/inventory/resources.yml'), 'utf8')).Resources;
  const subscription = resources.InventoryDepletionSubscription.Properties;

  it('takes exactly the events depletion-rules.ts handles, by message attribute, into the depletion queue', () => {
    expect(subscription).toMatchObject({ TopicArn: { Ref: 'EventsTopic' }, Protocol: 'sqs', Endpoint: { 'Fn::GetAtt': ['InventoryDepletionQueue', 'Arn'] }, RawMessageDelivery: true });
    expect(subscription.FilterPolicyScope).toBe('MessageAttributes');
    expect([...subscription.FilterPolicy.type].sort()).toEqual([...DEPLETING_EVENTS].sort());
  });

  it('is consumed in batches that report their failures, and sends what keeps failing to the domain’s dead-letter queue', () => {
    expect(functions.depleteFromOrders.events).toEqual([
      { sqs: { arn: { 'Fn::GetAtt': ['InventoryDepletionQueue', 'Arn'] }, batchSize: 25, maximumBatchingWindow: 1, functionResponseType: 'ReportBatchItemFailures' } },
    ]);
    const dlq = { 'Fn::GetAtt': ['InventoryDeadLetterQueue', 'Arn'] };
    expect(resources.InventoryDepletionQueue.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: dlq, maxReceiveCount: 5 });
    expect(subscription.RedrivePolicy).toEqual({ deadLetterTargetArn: dlq });
    // AWS's advice for an SQS event source: a visibility timeout of six times the function's.
    expect(resources.InventoryDepletionQueue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * functions.depleteFromOrders.timeout);
  });
});

describe('the recipes subscription and the recipe record', () => {
  const functions = parse(readFileSync(join(__dirname, '../../functions/inventory/functions.yml'), 'utf8'));
  const sns = functions.learnRecipes.events[0].sns;

  it('takes menu.item-changed only, by message attribute, with the dead-letter queue', () => {
    expect(sns.filterPolicyScope).toBe('MessageAttributes');
    expect(sns.filterPolicy.type).toEqual(['menu.item-changed']);
    expect(sns.redrivePolicy).toEqual({ deadLetterTargetRef: 'InventoryDeadLetterQueue' });
  });

  it('announces availability at the next version only if the record is still at the version read', () => {
    const write = new RecipeStore(TABLE).availabilityWrite('bistro', { menuItemId: 'burger', name: 'Burger', recipe: [], active: true, menuVersion: 2, takenOff: false, availabilityVersion: 5 }, true, NOW);
    expect(write.Update).toMatchObject({
      Key: { pk: 'SITE#bistro#MENU', sk: 'RECIPE#burger' },
      ConditionExpression: 'availabilityVersion = :read',
      ExpressionAttributeValues: { ':off': true, ':next': 6, ':read': 5 },
    });
  });
});
