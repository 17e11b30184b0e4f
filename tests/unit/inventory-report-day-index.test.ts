// Every movement carries the byDay index attributes the reports read a date range by: the local date of its
// instant in the site's time zone (not UTC), and its instant and id to sort a day; a movement recorded by hand
// is dated in the zone inventory learnt for its site.
import { stockItemRecord } from './fixtures/stock-item-record';
import { dynamo } from './fixtures/stub-dynamodb';
import { applyMovement } from '../../functions/inventory/ledger-rules';
import type { MovementRecord } from '../../functions/inventory/schemas';
import { movementItem, movementOf, StockStore, stockOf, type StockRead } from '../../functions/inventory/stock-store';

jest.mock('../../functions/shared/clients/dynamodb', () => jest.requireActual('./fixtures/stub-dynamodb').stubbedClients);

const TABLE = 'brigade-test-inventory';
// 23:30 UTC on 25 November: already the 26th in Paris, still the 25th in Los Angeles.
const LATE = '2026-11-25T23:30:00.000Z';

const item = stockItemRecord('flour', { name: 'Flour' });
const sale: MovementRecord = { siteId: 'bistro', itemId: 'flour', movementId: 'm1', kind: 'sale', at: LATE, by: 'orders', changes: [{ location: 'line', before: 5000, after: 4000 }], value: 2 };

describe('the byDay index attributes of a movement', () => {
  it('dates the movement in the site’s time zone, with its instant and id as the sort key', () => {
    expect(movementItem(sale, 'Europe/Paris')).toEqual({ pk: 'SITE#bistro#ITEM#flour', sk: `MOVE#${LATE}#m1`, dayPk: 'SITE#bistro#DAY#2026-11-26', daySk: `${LATE}#m1`, ...sale });
    expect(movementItem(sale, 'America/Los_Angeles')).toMatchObject({ dayPk: 'SITE#bistro#DAY#2026-11-25' });
    expect(movementItem(sale, 'UTC')).toMatchObject({ dayPk: 'SITE#bistro#DAY#2026-11-25' });
  });

  it('is on the movement a change writes, and a movement read back shows none of its keys', () => {
    const read: StockRead = { item, rows: new Map([['line', { siteId: 'bistro', itemId: 'flour', location: 'line', quantity: 5000, version: 3, updatedAt: LATE }]]) };
    const applied = applyMovement(stockOf(read), { kind: 'sale', location: 'line', quantity: 1000 });
    const writes = new StockStore(TABLE, 'arn:aws:sns:us-east-1:000000000000:brigade-test-events').changeWrites({ read, after: applied.stock, movements: [sale], requireActive: false }, LATE, 'Asia/Seoul');
    const put = writes.find((w) => w.Put?.Item?.sk === `MOVE#${LATE}#m1`)?.Put;
    expect(put).toMatchObject({ Item: { dayPk: 'SITE#bistro#DAY#2026-11-26', daySk: `${LATE}#m1` }, ConditionExpression: 'attribute_not_exists(pk)' });
    expect(movementOf(put!.Item!)).toEqual(sale);
  });
});

describe('a movement recorded by hand', () => {
  beforeAll(() => {
    process.env.TABLE_NAME = TABLE;
    process.env.EVENTS_TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:brigade-test-events';
    process.env.ALERTS_TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:brigade-test-alerts';
  });
  afterEach(() => {
    dynamo.reset();
    jest.useRealTimers();
  });

  it('is dated in the site’s time zone', async () => {
    // 16:00 UTC on the 25th is 01:00 on the 26th in Seoul.
    jest.useFakeTimers({ now: Date.parse('2026-11-25T16:00:00.000Z'), doNotFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
    const { recordMovement, wasteOf } = await import('../../functions/inventory/movements');
    const { idempotentRequest } = await import('../../functions/shared/idempotency');
    dynamo.answer = (command) => {
      const { Key, KeyConditionExpression } = command.input as { Key?: { pk: string }; KeyConditionExpression?: string };
      if (KeyConditionExpression) return { Items: [{ pk: 'SITE#bistro#STOCK', sk: 'ONHAND#flour#line', siteId: 'bistro', itemId: 'flour', location: 'line', quantity: 5_000_000, version: 3, updatedAt: LATE }] };
      if (Key?.pk === 'SITES') return { Item: { pk: 'SITES', sk: 'SITE#bistro', siteId: 'bistro', name: 'Bistro', timeZone: 'Asia/Seoul', currency: 'KRW', version: 1 } };
      if (Key?.pk === 'SITE#bistro#STOCK') return { Item: { ...Key, ...item } };
      return {};
    };
    const result = await recordMovement(
      { siteId: 'bistro', caller: { userId: 'u1', role: 'staff', sites: ['bistro'] } as never, correlationId: 'c1' },
      'flour',
      wasteOf({ location: 'line', quantity: 1, unit: 'g', reason: 'dropped' }),
      idempotentRequest({ tableName: TABLE, scope: 'test' }, 'key-0000001', 'fingerprint'),
    );
    expect(result.status).toBe(201);
    const committed = dynamo.sent.filter((c) => c.input.TransactItems).at(-1)!.input.TransactItems as Array<{ Put?: { Item: Record<string, string> } }>;
    const moved = committed.find((w) => w.Put?.Item.sk?.startsWith('MOVE#'))!.Put!.Item;
    expect(moved).toMatchObject({ at: '2026-11-25T16:00:00.000Z', dayPk: 'SITE#bistro#DAY#2026-11-26', daySk: `2026-11-25T16:00:00.000Z#${moved.movementId}` });
  });
});
