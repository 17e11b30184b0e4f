// The orders store against a stubbed DynamoDB client: what a failed write means (the order changed → 409, the
// menu moved → retry, throttling or validation → neither), business-day cursors bound to their site and day, and
// menu reads that survive throttling.
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { BadRequestError, HttpError } from '#shared/errors';
import { OrdersStore } from '../../functions/orders/store';
import type { MenuItemRecord, OrderRecord } from '../../functions/orders/schemas';
import { cancelled, dynamo } from './fixtures/stub-dynamodb';

jest.mock('../../functions/shared/clients/dynamodb', () => jest.requireActual('./fixtures/stub-dynamodb').stubbedClients);

const TABLE = 'brigade-test-orders';
const store = new OrdersStore(TABLE, 'arn:aws:sns:us-east-1:000000000000:brigade-test-events');

beforeEach(() => dynamo.reset());

const failTransactions = (error: Error) => {
  dynamo.answer = (command) => {
    if (command instanceof TransactWriteCommand) throw error;
    return {};
  };
};
/** What a write ends in: the class of the error, its status if it is an HTTP error, or 'written'. */
async function outcome(write: () => Promise<unknown>) {
  try {
    await write();
    return 'written';
  } catch (error) {
    return error instanceof HttpError ? `${error.constructor.name} ${error.statusCode}` : (error as Error).constructor.name;
  }
}

const item = { siteId: 's1', itemId: 'fries', categoryId: 'sides', version: 3 } as MenuItemRecord;
const order = { siteId: 's1', orderId: 'o1', businessDay: '2026-11-25', placedAt: '2026-11-25T19:00:00.000Z', status: 'open', version: 2 } as OrderRecord;

describe('writing an order', () => {
  const withMenu = () => store.writeOrder(order, 1, [{ item, next: { ...item, version: 4 } }], []);
  const withoutMenu = () => store.writeOrder(order, 1, [], []);

  it('the order changed (its condition failed) → 409; a menu item changed → StaleMenuError for the service to retry', async () => {
    failTransactions(cancelled('ConditionalCheckFailed', 'None'));
    expect(await outcome(withMenu)).toBe('VersionConflictError 409');
    failTransactions(cancelled('None', 'ConditionalCheckFailed'));
    expect(await outcome(withMenu)).toBe('StaleMenuError');
  });

  it('a transaction conflict is a lost race: on the menu when the order relies on it, else on the order', async () => {
    failTransactions(cancelled('None', 'TransactionConflict'));
    expect(await outcome(withMenu)).toBe('StaleMenuError');
    failTransactions(cancelled('TransactionConflict'));
    expect(await outcome(withoutMenu)).toBe('VersionConflictError 409');
  });

  it('throttling and validation are server errors, never "changed by someone else"', async () => {
    for (const codes of [['ThrottlingError', 'None'], ['None', 'ThrottlingError'], ['ValidationError', 'None'], ['None', 'None']]) {
      failTransactions(cancelled(...codes));
      expect(await outcome(withMenu)).toBe('TransactionCanceledException');
    }
  });
});

describe('writing a menu item', () => {
  const put = () => store.putItem(item, 3, []);

  it('a changed item is a 409, an unknown category a 422, throttling neither', async () => {
    failTransactions(cancelled('ConditionalCheckFailed', 'None'));
    expect(await outcome(put)).toBe('VersionConflictError 409');
    failTransactions(cancelled('None', 'ConditionalCheckFailed'));
    expect(await outcome(put)).toBe('UnprocessableError 422');
    failTransactions(cancelled('TransactionConflict', 'None'));
    expect(await outcome(put)).toBe('VersionConflictError 409');
    failTransactions(cancelled('ThrottlingError', 'None'));
    expect(await outcome(put)).toBe('TransactionCanceledException');
  });
});

describe('a business day page by page', () => {
  const DAY_PK = 'SITE#s1#DAY#2026-11-25';
  const lastKey = { pk: 'SITE#s1#ORDER#o1', sk: 'ORDER', dayPk: DAY_PK, daySk: '2026-11-25T19:00:00.000Z#o1' };
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  beforeEach(() => {
    dynamo.answer = (command) => (command instanceof QueryCommand ? { Items: [{ ...lastKey, orderId: 'o1' }], LastEvaluatedKey: lastKey } : {});
  });

  it('a next-page cursor resumes where the page ended, and leaves the index keys out of the orders', async () => {
    const first = await store.listOrdersByDay('s1', '2026-11-25', 1, undefined);
    expect(first.orders).toEqual([{ orderId: 'o1' }]);
    await store.listOrdersByDay('s1', '2026-11-25', 1, first.nextCursor);
    expect(dynamo.sent.map((command) => command.input.ExclusiveStartKey)).toEqual([undefined, lastKey]);
  });

  it('regression: a crafted cursor of empty key strings is a 400 before DynamoDB sees it (it answered 500)', async () => {
    for (const crafted of [{ pk: '', sk: '', byDayPk: '', byDaySk: '' }, { pk: '', sk: '', dayPk: DAY_PK, daySk: '' }, lastKey]) {
      await expect(store.listOrdersByDay('s1', '2026-11-25', 10, b64(crafted))).rejects.toThrow(BadRequestError);
    }
    expect(dynamo.sent).toHaveLength(0);
  });

  it('a cursor of another business day or site, an empty or non-base64 one is a 400', async () => {
    const { nextCursor } = await store.listOrdersByDay('s1', '2026-11-25', 1, undefined);
    dynamo.sent.length = 0;
    const refused = [
      () => store.listOrdersByDay('s1', '2026-11-26', 1, nextCursor),
      () => store.listOrdersByDay('s2', '2026-11-25', 1, nextCursor),
      () => store.listOrdersByDay('s1', '2026-11-25', 1, ''),
      () => store.listOrdersByDay('s1', '2026-11-25', 1, '%%%not base64%%%'),
    ];
    for (const list of refused) expect(await outcome(list)).toBe('BadRequestError 400');
    expect(dynamo.sent).toHaveLength(0);
  });
});

describe('reading the items an order prices from', () => {
  it('reads each item once, consistently, and retries the keys DynamoDB left unprocessed', async () => {
    let round = 0;
    dynamo.answer = (command) => {
      const keys = command.input.RequestItems[TABLE].Keys as Array<{ pk: string; sk: string }>;
      const items = keys.map((key) => ({ ...key, siteId: 's1', itemId: key.sk.slice('ITEM#'.length) }));
      return round++ === 0
        ? { Responses: { [TABLE]: items.slice(1) }, UnprocessedKeys: { [TABLE]: { Keys: keys.slice(0, 1) } } }
        : { Responses: { [TABLE]: items } };
    };
    const found = await store.getItems('s1', ['burger', 'fries', 'burger']);
    expect([...found.keys()].sort()).toEqual(['burger', 'fries']);
    expect(found.get('fries')).toEqual({ siteId: 's1', itemId: 'fries' });
    expect(dynamo.sent.map((command) => command.input.RequestItems[TABLE])).toEqual([
      { Keys: [{ pk: 'SITE#s1#MENU', sk: 'ITEM#burger' }, { pk: 'SITE#s1#MENU', sk: 'ITEM#fries' }], ConsistentRead: true },
      { Keys: [{ pk: 'SITE#s1#MENU', sk: 'ITEM#burger' }], ConsistentRead: true },
    ]);
  });
});
