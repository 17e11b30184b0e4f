// The notifications stores against a stubbed DynamoDB client: what a failed write means (a lost race is retried
// or a 409; throttling and validation are neither), inbox cursors bound to their query, and batch reads.
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { VersionConflictError } from '#shared/dynamodb';
import { BadRequestError, HttpError } from '#shared/errors';
import { DirectoryStore } from '../../functions/notifications/directory-store';
import { InboxStore } from '../../functions/notifications/inbox-store';
import { SettingsStore } from '../../functions/notifications/settings-store';
import type { UserSettingsRecord, UserSnapshot } from '../../functions/notifications/schemas';
import { cancelled, dynamo } from './fixtures/stub-dynamodb';

jest.mock('../../functions/shared/clients/dynamodb', () => jest.requireActual('./fixtures/stub-dynamodb').stubbedClients);

const TABLE = 'brigade-test-notifications';
const sentOf = (type: new (...args: any[]) => unknown) => dynamo.sent.filter((command) => command instanceof type);

beforeEach(() => dynamo.reset());

const snapshot = (version: number): UserSnapshot => ({ userId: 'u1', name: 'Ada', email: 'ada@example.com', role: 'manager', sites: ['s1'], status: 'active', version });

/** The profile held is version 1; each TransactWrite gets the next outcome (an error to throw, or success). */
function directoryAnswers(...outcomes: Array<Error | 'ok'>) {
  dynamo.answer = (command) => {
    if (command instanceof GetCommand) return { Item: { pk: 'USER#u1', sk: 'PROFILE', ...snapshot(1) } };
    if (command instanceof TransactWriteCommand) {
      const outcome = outcomes.shift() ?? 'ok';
      if (outcome !== 'ok') throw outcome;
      return {};
    }
    throw new Error(`unexpected ${command.constructor.name}`);
  };
}

describe('a cancelled transaction is a conflict only when a condition failed', () => {
  it.each([
    ['throttled', ['ThrottlingError', 'None', 'None']],
    ['invalid', ['None', 'ValidationError', 'None']],
  ])('a directory update whose transaction is %s is neither retried nor reported as a 409: the error propagates as it is', async (_, codes) => {
    const error = cancelled(...codes);
    directoryAnswers(error);
    const outcome = await new DirectoryStore(TABLE).applyUserSnapshot(snapshot(2)).catch((e: unknown) => e);
    expect(outcome).toBe(error);
    expect(outcome).not.toBeInstanceOf(HttpError);
    expect(sentOf(TransactWriteCommand)).toHaveLength(1);
  });

  it('a lost race (the profile changed, or another transaction held an item) is re-read and written again', async () => {
    directoryAnswers(cancelled('ConditionalCheckFailed', 'None', 'None'), cancelled('None', 'TransactionConflict', 'None'), 'ok');
    await expect(new DirectoryStore(TABLE).applyUserSnapshot(snapshot(2))).resolves.toBe(true);
    expect(sentOf(GetCommand)).toHaveLength(3);
    expect(sentOf(TransactWriteCommand)).toHaveLength(3);
  });

  it('a race lost every time ends in an error for the SNS redelivery, not a 409', async () => {
    directoryAnswers(...Array.from({ length: 5 }, () => cancelled('ConditionalCheckFailed', 'None', 'None')));
    const outcome = await new DirectoryStore(TABLE).applyUserSnapshot(snapshot(2)).catch((e: unknown) => e);
    expect(outcome).toEqual(new Error('user u1: directory update kept conflicting'));
    expect(outcome).not.toBeInstanceOf(HttpError);
  });

  it('a user moved from 50 sites to 50 others (102 writes) goes in two transactions of at most 100: the ended memberships on the profile read, then the rest', async () => {
    const sites = (prefix: string) => Array.from({ length: 50 }, (_, i) => `${prefix}-${i}`);
    dynamo.answer = (command) => {
      if (command instanceof GetCommand) return { Item: { pk: 'USER#u1', sk: 'PROFILE', ...snapshot(1), sites: sites('old') } };
      if (command instanceof TransactWriteCommand) return {};
      throw new Error(`unexpected ${command.constructor.name}`);
    };
    await expect(new DirectoryStore(TABLE).applyUserSnapshot({ ...snapshot(2), sites: sites('new') })).resolves.toBe(true);
    const [ending, starting] = sentOf(TransactWriteCommand).map((c) => (c as TransactWriteCommand).input.TransactItems!);
    expect(ending).toHaveLength(51);
    expect(ending![0]).toEqual({ ConditionCheck: { TableName: TABLE, Key: { pk: 'USER#u1', sk: 'PROFILE' }, ConditionExpression: 'version = :held', ExpressionAttributeValues: { ':held': 1 } } });
    expect(ending!.slice(1).map((item) => item.Delete?.Key?.pk)).toEqual(sites('old').map((siteId) => `SITE#${siteId}`));
    expect(starting).toHaveLength(52);
    expect(starting![0]!.Put).toMatchObject({ Item: { pk: 'USER#u1', sk: 'PROFILE', version: 2 }, ConditionExpression: 'version = :held' });
    expect(starting!.slice(1, 51).map((item) => item.Put?.Item?.pk)).toEqual(sites('new').map((siteId) => `SITE#${siteId}`));
  });

  it('a stale snapshot writes nothing', async () => {
    directoryAnswers();
    await expect(new DirectoryStore(TABLE).applyUserSnapshot(snapshot(1))).resolves.toBe(false);
    expect(sentOf(TransactWriteCommand)).toEqual([]);
  });
});

describe('versioned user settings', () => {
  const record: UserSettingsRecord = { userId: 'u1', settings: {} as UserSettingsRecord['settings'], updatedAt: '2026-11-25T10:00:00.000Z', version: 3 };

  it('a save against a version that moved is a 409 (VersionConflictError)', async () => {
    dynamo.answer = () => {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    };
    const outcome = await new SettingsStore(TABLE).putUserSettings(record, 2).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(VersionConflictError);
    expect(outcome).toMatchObject({ statusCode: 409, code: 'CONFLICT' });
    expect((dynamo.sent[0] as PutCommand).input).toMatchObject({ ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': 2 } });
  });

  it('throttling is not a conflict', async () => {
    const throttled = new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
    dynamo.answer = () => {
      throw throttled;
    };
    await expect(new SettingsStore(TABLE).putUserSettings(record, 2)).rejects.toBe(throttled);
  });

  it('reads many users’ settings in one batch, retrying the keys DynamoDB left unprocessed', async () => {
    const item = (userId: string) => ({ pk: `USER#${userId}`, sk: 'SETTINGS', userId, version: 1 });
    let calls = 0;
    dynamo.answer = (command) => {
      if (!(command instanceof BatchGetCommand)) throw new Error('unexpected');
      const keys = command.input.RequestItems![TABLE]!.Keys!;
      if (calls++ === 0) return { Responses: { [TABLE]: [item('a')] }, UnprocessedKeys: { [TABLE]: { Keys: keys.slice(1) } } };
      return { Responses: { [TABLE]: keys.map((key) => item(String(key.pk).slice('USER#'.length))) } };
    };
    const found = await new SettingsStore(TABLE).userSettingsOf(['a', 'b', 'c']);
    expect([...found.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(found.get('b')).toEqual({ userId: 'b', version: 1 });
    expect(sentOf(BatchGetCommand).map((c) => c.input.RequestItems[TABLE].Keys.length)).toEqual([3, 2]);
    expect(sentOf(BatchGetCommand).every((c) => c.input.RequestItems[TABLE].ConsistentRead === true)).toBe(true);
  });
});

describe('inbox cursors', () => {
  const inbox = new InboxStore(TABLE);
  const lastKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'NOTIF#00000000a-0000000000000001', unreadPk: `UNREAD#${userId}`, unreadSk: 'NOTIF#00000000a-0000000000000001' });

  async function cursorOf(userId: string, unread: boolean): Promise<string> {
    dynamo.answer = () => ({ Items: [], LastEvaluatedKey: unread ? lastKey(userId) : { pk: `USER#${userId}`, sk: 'NOTIF#00000000a-0000000000000001' } });
    const page = await inbox.listInbox(userId, { unread, limit: 1 });
    return page.nextCursor!;
  }

  it('page 2 resumes where page 1 stopped, whatever its size', async () => {
    const cursor = await cursorOf('u1', false);
    dynamo.answer = () => ({ Items: [] });
    await inbox.listInbox('u1', { unread: false, limit: 50, cursor });
    expect((dynamo.sent.at(-1) as QueryCommand).input.ExclusiveStartKey).toEqual({ pk: 'USER#u1', sk: 'NOTIF#00000000a-0000000000000001' });
  });

  it.each([
    ['the unfiltered list, used with unread', false, 'u1', true],
    ['the unread list, used without the filter', true, 'u1', false],
    ['another user’s inbox', false, 'u2', false],
  ])('a cursor from %s is a 400, and nothing is queried', async (_, fromUnread, owner, unread) => {
    const cursor = await cursorOf(owner, fromUnread);
    const queries = sentOf(QueryCommand).length;
    await expect(inbox.listInbox('u1', { unread, limit: 10, cursor })).rejects.toBeInstanceOf(BadRequestError);
    expect(sentOf(QueryCommand)).toHaveLength(queries);
  });

  it('a tampered cursor is a 400', async () => {
    const cursor = await cursorOf('u1', false);
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    decoded.k.pk = 'USER#u2';
    const tampered = Buffer.from(JSON.stringify(decoded)).toString('base64url');
    await expect(inbox.listInbox('u1', { unread: false, limit: 10, cursor: tampered })).rejects.toMatchObject({ statusCode: 400 });
  });

  it('read-all walks the unread index once, page after page, and counts only what it marked', async () => {
    const key = (n: number) => ({ pk: 'USER#u1', sk: `NOTIF#${n}`, unreadPk: 'UNREAD#u1', unreadSk: `NOTIF#${n}` });
    dynamo.answer = (command) => {
      if (command instanceof QueryCommand) {
        return command.input.ExclusiveStartKey ? { Items: [key(3)] } : { Items: [key(1), key(2)], LastEvaluatedKey: key(2) };
      }
      if (command instanceof UpdateCommand && command.input.Key!.sk === 'NOTIF#2') {
        throw new ConditionalCheckFailedException({ message: 'read meanwhile', $metadata: {} });
      }
      return {};
    };
    await expect(inbox.markAllRead('u1', '2026-11-25T10:00:00.000Z')).resolves.toBe(2);
    expect(sentOf(QueryCommand)).toHaveLength(2);
    expect(sentOf(UpdateCommand).map((c) => c.input.Key.sk)).toEqual(['NOTIF#1', 'NOTIF#2', 'NOTIF#3']);
  });
});
