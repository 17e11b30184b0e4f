// The toolkit's batched conditional writes (functions/shared/dynamodb.ts executeStatements) against the real
// DynamoDB of the target: each PartiQL statement of a batch ends on its own, as the single call it stands for would.
// The notifications consumer claims and records through them (docs/notifications.md, "Calls per notification").
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { executeStatements, insertStatement, updateStatement } from '../../functions/shared/dynamodb';
import { InboxStore } from '../../functions/notifications/inbox-store';
import type { NotificationRecord } from '../../functions/notifications/schemas';
import { dynamo, tableName, uniqueId } from './support/target';

const table = tableName('notifications');

describe('executeStatements (BatchExecuteStatement)', () => {
  it('inserts only what is absent: a second INSERT of a key answers DuplicateItem and changes nothing', async () => {
    const pk = uniqueId('STATEMENTS');
    // Reserved words as attribute names and nested maps, as an inbox item has them.
    const key = { pk, sk: 'ONE' };
    const item = { ...key, status: 'new', count: 3, data: { deviceId: 'fridge-1', nested: { x: 1 } }, deliveries: { realtime: { status: 'pending' } }, gone: undefined };
    expect(await executeStatements([insertStatement(table, key, item)])).toEqual([{ ok: true }]);
    const [again] = await executeStatements([insertStatement(table, key, { ...item, status: 'overwritten' })]);
    expect(again).toMatchObject({ ok: false, code: 'DuplicateItem' });
    const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: { pk, sk: 'ONE' }, ConsistentRead: true }));
    const { gone: _gone, ...stored } = item;
    expect(Item).toEqual(stored);
  });

  it('updates map entries and removes an attribute of an existing item; a missing item answers ConditionalCheckFailed', async () => {
    const pk = uniqueId('STATEMENTS');
    await executeStatements([insertStatement(table, { pk, sk: 'ONE' }, { deliveries: { realtime: { status: 'pending' }, sms: { status: 'pending' } }, deliveryLeaseUntil: 1 })]);
    const outcomes = await executeStatements([
      updateStatement(table, { pk, sk: 'ONE' }, { set: [[['deliveries', 'realtime'], { status: 'sent', at: 'now' }], [['deliveries', 'sms'], { status: 'skipped' }]], remove: ['deliveryLeaseUntil'] }),
      updateStatement(table, { pk, sk: 'MISSING' }, { set: [[['deliveries', 'realtime'], { status: 'sent' }]] }),
    ]);
    expect(outcomes[0]).toEqual({ ok: true });
    expect(outcomes[1]).toMatchObject({ ok: false, code: 'ConditionalCheckFailed' });
    const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: { pk, sk: 'ONE' }, ConsistentRead: true }));
    expect(Item).toEqual({ pk, sk: 'ONE', deliveries: { realtime: { status: 'sent', at: 'now' }, sms: { status: 'skipped' } } });
    const missing = await dynamo.send(new GetCommand({ TableName: table, Key: { pk, sk: 'MISSING' }, ConsistentRead: true }));
    expect(missing.Item).toBeUndefined();
  });

  it('more than 25 statements go in several round trips, outcomes in the order given', async () => {
    const pk = uniqueId('STATEMENTS');
    await executeStatements([insertStatement(table, { pk, sk: 'ITEM#07' }, {}), insertStatement(table, { pk, sk: 'ITEM#33' }, {})]);
    const keys = Array.from({ length: 40 }, (_, i) => `ITEM#${String(i).padStart(2, '0')}`);
    const outcomes = await executeStatements(keys.map((sk) => insertStatement(table, { pk, sk }, { n: 1 })));
    const refused = outcomes.flatMap((o, i) => (o.ok ? [] : [`${keys[i]} ${o.code}`]));
    expect(refused).toEqual(['ITEM#07 DuplicateItem', 'ITEM#33 DuplicateItem']);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(38);
  });

  it('statements on one item in one call (a batch names an item once): later ones follow in order, each its own outcome', async () => {
    const pk = uniqueId('STATEMENTS');
    const one = { pk, sk: 'ONE' };
    const outcomes = await executeStatements([
      insertStatement(table, one, { n: 1 }),
      insertStatement(table, { pk, sk: 'TWO' }, { n: 2 }),
      insertStatement(table, one, { n: 99 }), // a redelivery of the first in the same batch
      updateStatement(table, one, { set: [[['n'], 3]] }),
      insertStatement(table, one, { n: 100 }),
    ]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual(['ok', 'ok', 'DuplicateItem', 'ok', 'DuplicateItem']);
    const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: one, ConsistentRead: true }));
    expect(Item).toEqual({ ...one, n: 3 });
  });

  it('a name that would change the statement is refused before anything is sent', () => {
    expect(() => insertStatement(table, { pk: 'x', sk: 'y' }, { "a': 1, 'b": 2 })).toThrow('not usable as a PartiQL name');
    expect(() => updateStatement(`${table}" WHERE 1=1 --`, { pk: 'x', sk: 'y' }, { set: [[['a'], 1]] })).toThrow('not usable as a PartiQL name');
  });
});

describe('the inbox store on the real table', () => {
  it('a push recorded sent with the inbox write and not made is owed again: pending, no lease, and the retry takes it over', async () => {
    const store = new InboxStore(table);
    const userId = uniqueId('owed');
    const now = Date.now();
    const notification = {
      notificationId: `${now.toString(36)}-owed`,
      userId,
      siteId: 'site-1',
      eventId: uniqueId('evt'),
      eventType: 'iot.device-online',
      severity: 'info',
      title: 'Fridge reporting again',
      body: 'Readings resumed.',
      createdAt: new Date(now).toISOString(),
      deliveries: { realtime: { status: 'sent', at: new Date(now).toISOString() }, sms: { status: 'pending' } },
      data: {},
    } as unknown as NotificationRecord;
    const [written] = await store.createNotifications([{ notification, nowMs: now }]);
    expect(written).toMatchObject({ status: 'fulfilled', value: { created: true } });
    // The writer holds the lease (SMS pending): nobody else takes it over.
    expect(await store.takeOverPending(userId, notification.notificationId, now + 1)).toBeUndefined();
    await store.releaseLease(userId, notification.notificationId, { owePush: true });
    const owed = await store.getNotification(userId, notification.notificationId);
    expect(owed?.deliveries).toEqual({ realtime: { status: 'pending' }, sms: { status: 'pending' } });
    const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: { pk: `USER#${userId}`, sk: `NOTIF#${notification.notificationId}` }, ConsistentRead: true }));
    expect(Item).toMatchObject({ unreadPk: `UNREAD#${userId}` });
    expect(Item).not.toHaveProperty('deliveryLeaseUntil');
    expect(await store.takeOverPending(userId, notification.notificationId, now + 2)).toMatchObject({ deliveries: { realtime: { status: 'pending' } } });
  });
});
