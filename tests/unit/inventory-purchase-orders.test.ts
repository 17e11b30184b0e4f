// The transaction shapes purchase orders rest on, without AWS: a PO written on the version read, leaving the openPos
// index and getting its closed copy when it closes; a receipt's ONE transaction (the PO, the receipt, per line the
// on-hand row, the item's average cost and a ledger entry naming the PO, the events, the Idempotency-Key's record);
// and of two receipts of one line, the one that lost the race to the other is a 409 after re-reading.
import { GetCommand, QueryCommand, BatchGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { stockItemRecord } from './fixtures/stock-item-record';
import { cancelled, dynamo, type Command } from './fixtures/stub-dynamodb';
import { PurchaseOrderStore } from '../../functions/inventory/purchase-order-store';
import type { ItemRecord, PurchaseOrderRecord } from '../../functions/inventory/schemas';
import { ConflictError } from '../../functions/shared/errors';
import { idempotentRequest } from '../../functions/shared/idempotency';

jest.mock('../../functions/shared/clients/dynamodb', () => jest.requireActual('./fixtures/stub-dynamodb').stubbedClients);

const TABLE = 'brigade-test-inventory';
Object.assign(process.env, {
  TABLE_NAME: TABLE,
  EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:brigade-test-events',
  ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:brigade-test-alerts',
});
const { receiveAgainstPurchaseOrder } = require('../../functions/inventory/purchase-order-receiving') as typeof import('../../functions/inventory/purchase-order-receiving');

const NOW = '2026-11-27T07:40:00.000Z';
const store = new PurchaseOrderStore(TABLE, 'arn:aws:sns:us-east-1:000000000000:brigade-test-events');

const sentPo = (): PurchaseOrderRecord => ({
  siteId: 'bistro',
  purchaseOrderId: 'po-1',
  supplierId: 'green-valley',
  status: 'sent',
  lines: [
    { lineId: 'L1', itemId: 'flour', packUnit: 'case', packSize: 6_000_000, packPrice: 1140, packs: 2, receivedPacks: 0, receivedCost: 0 },
    { lineId: 'L2', itemId: 'oil', packUnit: 'bottle', packSize: 750_000, packPrice: 980, packs: 6, receivedPacks: 0, receivedCost: 0 },
  ],
  total: 8160,
  belowMinimum: false,
  version: 4,
  createdAt: NOW,
  updatedAt: NOW,
});

describe('PurchaseOrderStore writes', () => {
  it('a new PO is put only if its id is free, listed as open for its supplier', () => {
    expect(store.createWrite({ ...sentPo(), status: 'draft', version: 1 })).toEqual({
      Put: {
        TableName: TABLE,
        Item: expect.objectContaining({ pk: 'SITE#bistro#PO#po-1', sk: 'PO', poPk: 'SITE#bistro#PO-OPEN', poSk: 'green-valley#po-1', status: 'draft', version: 1 }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  });

  it('an open PO is replaced on the version read and stays in the openPos index', () => {
    const writes = store.changeWrites({ ...sentPo(), status: 'partially-received', version: 5 }, 4);
    expect(writes).toEqual([
      {
        Put: {
          TableName: TABLE,
          Item: expect.objectContaining({ pk: 'SITE#bistro#PO#po-1', sk: 'PO', poPk: 'SITE#bistro#PO-OPEN', version: 5 }),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': 4 },
        },
      },
    ]);
  });

  it('a closing PO leaves the openPos index and its closed copy is put, keyed by status and time', () => {
    const [update, copy] = store.changeWrites({ ...sentPo(), status: 'cancelled', version: 5, closedAt: NOW }, 4);
    expect(update!.Put!.Item).not.toHaveProperty('poPk');
    expect(update!.Put!.Item).not.toHaveProperty('poSk');
    expect(update!.Put!.ConditionExpression).toBe('version = :version');
    expect(copy).toEqual({
      Put: { TableName: TABLE, Item: expect.objectContaining({ pk: 'SITE#bistro#PO-CLOSED', sk: `cancelled#${NOW}#po-1`, status: 'cancelled' }), ConditionExpression: 'attribute_not_exists(pk)' },
    });
    expect(() => store.changeWrites({ ...sentPo(), status: 'received', version: 5 }, 4)).toThrow(/closedAt/);
  });
});

// --- a receipt against a stubbed table ------------------------------------------------------------------------------

const item = (itemId: string, baseUnit: ItemRecord['baseUnit']) => stockItemRecord(itemId, { baseUnit, locations: ['dry-store', 'line'], averageCost: 200 });

/** The table as read: the PO (replaced by `raceTo` after the first transaction, as if another receipt won), items, on-hand. */
function table(options: { raceTo?: PurchaseOrderRecord } = {}) {
  let po = sentPo();
  const transactions: Array<Array<Record<string, any>>> = [];
  dynamo.answer = (command: Command) => {
    if (command instanceof GetCommand) {
      const { pk, sk } = command.input.Key as { pk: string; sk: string };
      if (pk === 'SITE#bistro#PO#po-1' && sk === 'PO') return { Item: { pk, sk, ...po } };
      if (pk === 'SITE#bistro#SUPPLIERS') return { Item: { pk, sk, supplierId: 'green-valley', name: 'Green Valley Produce', minimumOrderValue: 0 } };
      return {};
    }
    if (command instanceof BatchGetCommand) {
      const keys = Object.values(command.input.RequestItems as Record<string, { Keys: Array<{ sk: string }> }>)[0]!.Keys;
      const items = [item('flour', 'g'), item('oil', 'ml')].filter((i) => keys.some((k) => k.sk === `ITEM#${i.itemId}`));
      return { Responses: { [TABLE]: items } };
    }
    if (command instanceof QueryCommand) {
      const prefix = command.input.ExpressionAttributeValues?.[':prefix'] as string;
      // Flour has 1 kg in the line, so its new average is conditional on that row too.
      return { Items: prefix === 'ONHAND#flour#' ? [{ siteId: 'bistro', itemId: 'flour', location: 'line', quantity: 1_000_000, version: 3, updatedAt: NOW }] : [] };
    }
    if (command instanceof TransactWriteCommand) {
      transactions.push((command.input.TransactItems ?? []) as Array<Record<string, any>>);
      if (options.raceTo && transactions.length === 1) {
        po = options.raceTo;
        throw cancelled('ConditionalCheckFailed', 'None');
      }
      return {};
    }
    throw new Error(`unexpected ${command.constructor.name}`);
  };
  return transactions;
}

const caller = { userId: 'clerk-1', role: 'staff' as const, sites: ['bistro'], sessionId: 's-1', issuedAt: 0 };
const receiptOf = (body: Parameters<typeof receiveAgainstPurchaseOrder>[2]) =>
  receiveAgainstPurchaseOrder({ siteId: 'bistro', caller, correlationId: 'c-1' }, 'po-1', body, idempotentRequest({ tableName: TABLE, scope: 'test' }, 'receipt-key-1', 'fingerprint'));

describe('a receipt against a PO', () => {
  beforeEach(() => dynamo.reset());

  it('is one transaction: the PO on its version, the receipt, per line on-hand, cost and ledger entry, events, the key', async () => {
    const transactions = table();
    const response = await receiptOf({
      expectedVersion: 4,
      lines: [
        { lineId: 'L1', packs: 1, packPrice: 1500, location: 'dry-store' },
        { lineId: 'L2', packs: 6, packPrice: 980, location: 'dry-store' },
      ],
    });
    expect(response.status).toBe(201);
    expect(transactions).toHaveLength(1);
    const shape = transactions[0]!.map((t) => {
      const [kind, body] = Object.entries(t)[0]! as [string, Record<string, any>];
      return [kind, body.Item?.sk ?? body.Key?.sk, body.ConditionExpression];
    });
    expect(shape).toEqual([
      ['Put', 'PO', 'version = :version'],
      ['Put', expect.stringMatching(/^RECEIPT#/), 'attribute_not_exists(pk)'],
      ['Put', 'ONHAND#flour#dry-store', 'attribute_not_exists(pk)'],
      ['ConditionCheck', 'ONHAND#flour#line', 'version = :version'],
      ['Update', 'ITEM#flour', 'averageCost = :read AND archived = :no'],
      ['Put', expect.stringMatching(/^MOVE#/), 'attribute_not_exists(pk)'],
      ['Put', 'ONHAND#oil#dry-store', 'attribute_not_exists(pk)'],
      ['Update', 'ITEM#oil', 'averageCost = :read AND archived = :no'],
      ['Put', expect.stringMatching(/^MOVE#/), 'attribute_not_exists(pk)'],
      ['Put', 'IDEMPOTENCY', 'attribute_not_exists(pk)'],
      ['Put', 'OUTBOX', 'attribute_not_exists(pk)'],
      ['Put', 'OUTBOX', 'attribute_not_exists(pk)'],
      ['Put', 'OUTBOX', 'attribute_not_exists(pk)'],
    ]);
    const items = transactions[0]!.map((t) => (Object.values(t)[0] as Record<string, any>).Item);
    expect(items[0]).toMatchObject({
      status: 'partially-received',
      version: 5,
      receiptCount: 1,
      lines: [
        { lineId: 'L1', receivedPacks: 1, receivedCost: 1500, flags: ['price-difference'], receivedAtVersion: 5 },
        { lineId: 'L2', receivedPacks: 6, receivedCost: 5880, receivedAtVersion: 5 },
      ],
    });
    expect(items[0]).not.toHaveProperty('closedAt');
    expect(items[5]).toMatchObject({ kind: 'receive', itemId: 'flour', purchaseOrderId: 'po-1', value: 1500, by: 'clerk-1', changes: [{ location: 'dry-store', before: 0, after: 6_000_000 }] });
    expect(items.filter((i) => i?.sk === 'OUTBOX').map((i) => i.eventType)).toEqual(['inventory.movement-recorded', 'inventory.movement-recorded', 'inventory.purchase-order-received']);
  });

  /** The PO after another receipt of line `index` won, at version 5. */
  const winnerReceiving = (index: number): PurchaseOrderRecord => {
    const po: PurchaseOrderRecord = { ...sentPo(), status: 'partially-received', version: 5 };
    const line = po.lines[index]!;
    po.lines[index] = { ...line, receivedPacks: line.packs, receivedCost: line.packs * line.packPrice, receivedAtVersion: 5 };
    return po;
  };

  it('lost to a receipt of the same line: re-reads, sees the line received since the version it was made against, 409', async () => {
    const transactions = table({ raceTo: winnerReceiving(0) });
    await expect(receiptOf({ expectedVersion: 4, lines: [{ lineId: 'L1', packs: 1, packPrice: 1140, location: 'dry-store' }] })).rejects.toThrow(
      new ConflictError('Line L1 was received by someone else since version 4; reload the purchase order'),
    );
    expect(transactions).toHaveLength(1);
  });

  it('lost to a receipt of another line: re-reads and books on the new version', async () => {
    const transactions = table({ raceTo: winnerReceiving(1) });
    const response = await receiptOf({ expectedVersion: 4, lines: [{ lineId: 'L1', packs: 2, packPrice: 1140, location: 'dry-store' }] });
    expect(response.status).toBe(201);
    expect(transactions).toHaveLength(2);
    const po = transactions[1]![0]!.Put as Record<string, any>;
    expect(po.ExpressionAttributeValues).toEqual({ ':version': 5 });
    expect(po.Item).toMatchObject({ status: 'received', version: 6, closedAt: expect.any(String) });
    expect(transactions[1]![1]!.Put.Item).toMatchObject({ pk: 'SITE#bistro#PO-CLOSED', sk: expect.stringMatching(/^received#/) });
  });
});
