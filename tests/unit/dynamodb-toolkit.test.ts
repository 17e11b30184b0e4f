// The DynamoDB toolkit on its own, with a stubbed client: which failures are a conflict, which are retried, and
// that a cursor only ever resumes the query that issued it.
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  batchGetAll,
  conditionFailedAt,
  decodeCursor,
  encodeCursor,
  isConditionFailure,
  isTransactionConflict,
  lostRace,
  queryPage,
  queryWhile,
  retryOnConflict,
  UnprocessedItemsError,
  VersionConflictError,
  type QueryBinding,
} from '#shared/dynamodb';
import { BadRequestError, ConflictError } from '#shared/errors';
import { cancelled, dynamo } from './fixtures/stub-dynamodb';

jest.mock('../../functions/shared/clients/dynamodb', () => jest.requireActual('./fixtures/stub-dynamodb').stubbedClients);

beforeEach(() => dynamo.reset());

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const throttled = () => new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
const validation = () => Object.assign(new Error('The provided starting key is invalid'), { name: 'ValidationException' });

describe('conflicts', () => {
  it('a condition failure is ConditionalCheckFailed only: on a single write or as a reason of a cancelled transaction', () => {
    expect(isConditionFailure(conditionFailed())).toBe(true);
    expect(isConditionFailure(cancelled('None', 'ConditionalCheckFailed'))).toBe(true);
    const others = [cancelled('ThrottlingError'), cancelled('ValidationError', 'None'), cancelled('TransactionConflict'), cancelled(), throttled(), validation(), undefined];
    for (const error of others) expect(isConditionFailure(error)).toBe(false);
  });

  it('conditionFailedAt names the item, in the order the items were given', () => {
    const error = cancelled('None', 'ConditionalCheckFailed', 'TransactionConflict');
    expect([0, 1, 2, 3].map((i) => conditionFailedAt(error, i))).toEqual([false, true, false, false]);
    expect(conditionFailedAt(conditionFailed(), 0)).toBe(false); // a single write has no items
    expect(conditionFailedAt(cancelled('ThrottlingError'), 0)).toBe(false);
  });

  it('a transaction conflict and a version conflict are lost races; throttling and validation are not', () => {
    expect(isTransactionConflict(cancelled('None', 'TransactionConflict'))).toBe(true);
    expect(isTransactionConflict(cancelled('ConditionalCheckFailed'))).toBe(false);
    expect(lostRace(cancelled('TransactionConflict'))).toBe(true);
    expect(lostRace(conditionFailed())).toBe(true);
    expect(lostRace(new VersionConflictError('order'))).toBe(true);
    for (const error of [cancelled('ThrottlingError'), cancelled('ValidationError'), throttled(), validation(), new ConflictError('The order is closed')]) {
      expect(lostRace(error)).toBe(false);
    }
  });

  it('a VersionConflictError is a 409 saying what changed', () => {
    const error = new VersionConflictError('order', { version: 3 });
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.toJSON()).toEqual({ error: { code: 'CONFLICT', message: 'The order was changed by someone else; reload and retry', details: { version: 3 } } });
  });
});

describe('retryOnConflict', () => {
  const fast = { baseDelayMs: 0 };

  it('retries lost races and returns the first success, numbering the attempts from 1', async () => {
    const seen: number[] = [];
    const result = await retryOnConflict(async (n) => {
      seen.push(n);
      if (n < 3) throw n === 1 ? conditionFailed() : cancelled('TransactionConflict');
      return 'done';
    }, fast);
    expect({ result, seen }).toEqual({ result: 'done', seen: [1, 2, 3] });
  });

  it('stops at the attempt limit with the last error, or the `exhausted` one', async () => {
    let calls = 0;
    const lastError = new VersionConflictError('item');
    await expect(retryOnConflict(async () => { calls++; throw lastError; }, { ...fast, attempts: 4 })).rejects.toBe(lastError);
    expect(calls).toBe(4);
    const tooFast = new ConflictError('The menu is changing too fast; retry the order');
    const exhausted = jest.fn(() => tooFast);
    await expect(retryOnConflict(async () => { throw lastError; }, { ...fast, attempts: 2, exhausted })).rejects.toBe(tooFast);
    expect(exhausted).toHaveBeenCalledWith(lastError);
  });

  it('does not retry other errors, nor call `exhausted` for them', async () => {
    for (const error of [throttled(), cancelled('ValidationError'), new ConflictError('The order is closed'), new Error('boom')]) {
      let calls = 0;
      const exhausted = jest.fn(() => new Error('exhausted'));
      await expect(retryOnConflict(async () => { calls++; throw error; }, { ...fast, exhausted })).rejects.toBe(error);
      expect({ calls, exhausted: exhausted.mock.calls.length }).toEqual({ calls: 1, exhausted: 0 });
    }
  });

  it('retryIf decides what is worth another attempt', async () => {
    class Stale extends Error {}
    let calls = 0;
    const result = await retryOnConflict(async () => { if (++calls < 3) throw new Stale(); return calls; }, { ...fast, retryIf: (e) => e instanceof Stale });
    expect(result).toBe(3);
    const race = conditionFailed();
    await expect(retryOnConflict(async () => { throw race; }, { ...fast, retryIf: (e) => e instanceof Stale })).rejects.toBe(race);
  });
});

describe('cursors', () => {
  const query: QueryBinding = {
    TableName: 'brigade-test-orders',
    IndexName: 'byDay',
    KeyConditionExpression: 'dayPk = :pk',
    ExpressionAttributeValues: { ':pk': 'SITE#s1#DAY#2026-11-25' },
  };
  const lastKey = { pk: 'SITE#s1#ORDER#o1', sk: 'ORDER', dayPk: 'SITE#s1#DAY#2026-11-25', daySk: '2026-11-25T19:00:00.000Z#o1' };
  const cursor = encodeCursor(query, lastKey)!;
  const invalid = (binding: QueryBinding, value: string) => () => decodeCursor(binding, value);

  it('round-trips the last key of its own query, whatever the order of its attributes, and is opaque text', () => {
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(query, cursor)).toEqual(lastKey);
    expect(decodeCursor({ ...query, ExpressionAttributeValues: { ...query.ExpressionAttributeValues } }, cursor)).toEqual(lastKey);
    expect(encodeCursor(query, undefined)).toBeUndefined();
    expect(decodeCursor(query, undefined)).toBeUndefined();
  });

  it('refuses the cursor of another query: another day or site, index, table, order, filter or attribute names', () => {
    const others: QueryBinding[] = [
      { ...query, ExpressionAttributeValues: { ':pk': 'SITE#s1#DAY#2026-11-26' } },
      { ...query, ExpressionAttributeValues: { ':pk': 'SITE#s2#DAY#2026-11-25' } },
      { ...query, IndexName: 'active' },
      { ...query, TableName: 'brigade-test-users' },
      { ...query, ScanIndexForward: false },
      { ...query, FilterExpression: '#s = :open', ExpressionAttributeNames: { '#s': 'status' } },
    ];
    for (const other of others) expect(invalid(other, cursor)).toThrow(BadRequestError);
    const filtered = { ...query, FilterExpression: '#f = :pk', ExpressionAttributeNames: { '#f': 'status' } };
    expect(invalid({ ...filtered, ExpressionAttributeNames: { '#f': 'kind' } }, encodeCursor(filtered, lastKey)!)).toThrow(BadRequestError);
  });

  it('refuses a tampered cursor: another key under the old digest, another digest, another version', () => {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const reencode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(invalid(query, reencode({ ...decoded, k: { ...lastKey, daySk: '2099-01-01#zzz' } }))).toThrow(BadRequestError);
    expect(invalid(query, reencode({ ...decoded, d: 'A'.repeat(22) }))).toThrow(BadRequestError);
    expect(invalid(query, reencode({ ...decoded, v: 2 }))).toThrow(BadRequestError);
    expect(invalid(query, reencode({ k: decoded.k }))).toThrow(BadRequestError);
  });

  it('refuses empty and odd input with a 400, never anything DynamoDB would see', () => {
    const reencode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const odd = [
      '',
      '=',
      'not-a-cursor',
      '%00',
      '..',
      'é',
      'x'.repeat(5000),
      reencode(null),
      reencode(42),
      reencode([]),
      reencode('cursor'),
      reencode({ pk: '', sk: '', dayPk: '', daySk: '' }), // the raw-key cursor of old, with empty key strings
      reencode({ v: 1, k: { pk: '', sk: '', dayPk: '', daySk: '' }, d: 'x' }),
      reencode({ v: 1, k: {}, d: 'x' }),
      reencode({ v: 1, k: { a: 1, b: 2, c: 3, d: 4, e: 5 }, d: 'x' }),
      reencode({ v: 1, k: { pk: { S: 'x' } }, d: 'x' }),
    ];
    const status = (value: string) => {
      try {
        return decodeCursor(query, value);
      } catch (error) {
        return error instanceof BadRequestError ? error.statusCode : error;
      }
    };
    expect(odd.map(status)).toEqual(odd.map(() => 400));
  });
});

describe('queryPage', () => {
  const input = { TableName: 'brigade-test-users', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'SITE#s1' }, Limit: 2 };

  it('hands out a cursor bound to the query, and resumes from it', async () => {
    dynamo.answer = () => ({ Items: [{ pk: 'SITE#s1', sk: 'MEMBER#a' }], LastEvaluatedKey: { pk: 'SITE#s1', sk: 'MEMBER#a' } });
    const first = await queryPage(input, undefined);
    expect(first.items).toHaveLength(1);
    expect((dynamo.sent[0] as QueryCommand).input.ExclusiveStartKey).toBeUndefined();
    dynamo.answer = () => ({ Items: [] });
    const second = await queryPage({ ...input, Limit: 50 }, first.nextCursor); // page size is not part of the query
    expect((dynamo.sent[1] as QueryCommand).input.ExclusiveStartKey).toEqual({ pk: 'SITE#s1', sk: 'MEMBER#a' });
    expect(second).toEqual({ items: [] });
    await expect(queryPage({ ...input, ExpressionAttributeValues: { ':pk': 'SITE#s2' } }, first.nextCursor)).rejects.toThrow(BadRequestError);
    expect(dynamo.sent).toHaveLength(2);
  });

  it('a start key DynamoDB refuses is a 400; the same error without a cursor is not the client’s', async () => {
    dynamo.answer = () => ({ Items: [], LastEvaluatedKey: { pk: 'SITE#s1', sk: 'MEMBER#a' } });
    const { nextCursor } = await queryPage(input, undefined);
    dynamo.answer = () => {
      throw validation();
    };
    await expect(queryPage(input, nextCursor)).rejects.toThrow(BadRequestError);
    await expect(queryPage(input, undefined)).rejects.toMatchObject({ name: 'ValidationException' });
    dynamo.answer = () => {
      throw throttled();
    };
    await expect(queryPage(input, nextCursor)).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
  });
});

describe('queryWhile', () => {
  const input = { TableName: 'brigade-test-orders', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'SITE#s1#MENU' } };
  const keyOf = ({ pk, sk }: Record<string, unknown>) => ({ pk: String(pk), sk: String(sk) });
  const item = (n: number) => ({ pk: 'SITE#s1#MENU', sk: `ITEM#${String(n).padStart(3, '0')}`, n });
  /** DynamoDB's pages of 3 over items 0..count-1, resuming after ExclusiveStartKey. */
  const pagesOf = (count: number) => (command: unknown) => {
    const start = (command as QueryCommand).input.ExclusiveStartKey;
    const from = start ? Number(String(start.sk).slice(5)) + 1 : 0;
    const items = Array.from({ length: Math.max(0, Math.min(3, count - from)) }, (_, i) => item(from + i));
    return { Items: items, ...(from + 3 < count && { LastEvaluatedKey: items.at(-1) }) };
  };

  it('reads page after page while the items fit, and resumes at the first that did not, on any page boundary', async () => {
    dynamo.answer = pagesOf(10);
    const seen: number[] = [];
    let cursor: string | undefined;
    const pages: number[][] = [];
    do {
      let taken = 0;
      const page = await queryWhile(input, cursor, keyOf, () => ++taken <= 4);
      pages.push(page.items.map((i) => Number(i.n)));
      seen.push(...page.items.map((i) => Number(i.n)));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('answers without a cursor when everything fitted, and stops reading once an item does not', async () => {
    dynamo.answer = pagesOf(6);
    expect(await queryWhile(input, undefined, keyOf, () => true)).toEqual({ items: [0, 1, 2, 3, 4, 5].map(item) });
    expect(dynamo.sent).toHaveLength(2);
    dynamo.reset();
    dynamo.answer = pagesOf(100);
    const page = await queryWhile(input, undefined, keyOf, (i) => Number(i.n) < 2);
    expect(page.items).toEqual([item(0), item(1)]);
    expect(dynamo.sent).toHaveLength(1);
  });

  it('always takes the first item, so a page never comes back empty with a cursor', async () => {
    dynamo.answer = pagesOf(5);
    const page = await queryWhile(input, undefined, keyOf, () => false);
    expect(page.items).toEqual([item(0)]);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('refuses a cursor of another query, and a start key DynamoDB refuses, with a 400', async () => {
    dynamo.answer = pagesOf(5);
    const { nextCursor } = await queryWhile(input, undefined, keyOf, (i) => Number(i.n) < 1);
    const otherSite = { ...input, ExpressionAttributeValues: { ':pk': 'SITE#s2#MENU' } };
    await expect(queryWhile(otherSite, nextCursor, keyOf, () => true)).rejects.toThrow(BadRequestError);
    await expect(queryWhile(input, 'bm90IGEgY3Vyc29y', keyOf, () => true)).rejects.toThrow(BadRequestError);
    dynamo.answer = () => {
      throw validation();
    };
    await expect(queryWhile(input, nextCursor, keyOf, () => true)).rejects.toThrow(BadRequestError);
    await expect(queryWhile(input, undefined, keyOf, () => true)).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('batchGetAll', () => {
  const TABLE = 'brigade-test-revocations';

  it('reads every key once in one request in the normal case, repeated keys counted once', async () => {
    dynamo.answer = (command) => ({ Responses: { [TABLE]: (command.input.RequestItems[TABLE].Keys as object[]).map((key) => ({ ...key, found: true })) } });
    const items = await batchGetAll(TABLE, [{ pk: 'USER#u1' }, { pk: 'SESSION#s1' }, { pk: 'USER#u1' }], { consistentRead: true });
    expect(items).toHaveLength(2);
    expect(dynamo.sent).toHaveLength(1);
    expect(dynamo.sent[0]).toBeInstanceOf(BatchGetCommand);
    expect(dynamo.sent[0]!.input.RequestItems[TABLE]).toEqual({ Keys: [{ pk: 'USER#u1' }, { pk: 'SESSION#s1' }], ConsistentRead: true });
  });

  it('retries unprocessed keys until none is left, in chunks of 100', async () => {
    let round = 0;
    dynamo.answer = (command) => {
      const keys = command.input.RequestItems[TABLE].Keys as Array<{ pk: string }>;
      round++;
      // The first round leaves the last key of each request unprocessed.
      const left = round <= 2 ? keys.slice(-1) : [];
      return { Responses: { [TABLE]: keys.slice(0, keys.length - left.length) }, ...(left.length && { UnprocessedKeys: { [TABLE]: { Keys: left } } }) };
    };
    const keys = Array.from({ length: 150 }, (_, i) => ({ pk: `SESSION#${i}` }));
    const items = await batchGetAll(TABLE, keys);
    expect(items.map((item) => item.pk).sort()).toEqual(keys.map((key) => key.pk).sort());
    expect(dynamo.sent.map((command) => command.input.RequestItems[TABLE].Keys.length)).toEqual([100, 50, 2]);
  });

  it('fails loudly when keys stay unprocessed', async () => {
    dynamo.answer = (command) => ({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: command.input.RequestItems[TABLE].Keys } } });
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const read = batchGetAll(TABLE, [{ pk: 'USER#u1' }]);
      const outcome = read.catch((error: unknown) => error);
      await jest.runAllTimersAsync();
      expect(await outcome).toBeInstanceOf(UnprocessedItemsError);
    } finally {
      jest.useRealTimers();
    }
    expect(dynamo.sent).toHaveLength(6);
  });

  it('makes no request for no keys', async () => {
    expect(await batchGetAll(TABLE, [])).toEqual([]);
    expect(dynamo.sent).toHaveLength(0);
  });
});
