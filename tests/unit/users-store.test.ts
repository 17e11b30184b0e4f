// The users store against a stubbed DynamoDB client: only a failed condition is a 409 (or a refused refresh);
// a cancelled transaction for any other reason (throttling, validation) is the server error it is. Members are
// paged with cursors bound to their site.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { HttpError } from '#shared/errors';
import { UsersStore } from '../../functions/users/store';
import type { SiteRecord, UserRecord } from '../../functions/users/schemas';
import { cancelled, dynamo } from './fixtures/stub-dynamodb';

jest.mock('../../functions/shared/clients/dynamodb', () => jest.requireActual('./fixtures/stub-dynamodb').stubbedClients);

const store = new UsersStore('brigade-test-users', 'brigade-test-revocations', 'arn:aws:sns:us-east-1:000000000000:brigade-test-events');

beforeEach(() => dynamo.reset());

const fail = (error: Error) => {
  dynamo.answer = () => {
    throw error;
  };
};
/** What a call ends in: its result, the HTTP status and message of an HTTP error, or the class of another error. */
async function outcome(call: () => Promise<unknown>) {
  try {
    return await call();
  } catch (error) {
    return error instanceof HttpError ? `${error.statusCode} ${error.message}` : (error as Error).constructor.name;
  }
}

const user: UserRecord = {
  userId: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  role: 'staff',
  sites: ['s1'],
  status: 'active',
  passwordHash: 'hash',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};
const site: SiteRecord = { siteId: 's1', name: 'Main', timeZone: 'Europe/Paris', currency: 'EUR', createdAt: user.createdAt, updatedAt: user.updatedAt, version: 1 };
const OTHER_FAILURES = [['ThrottlingError'], ['ValidationError'], ['None', 'ThrottlingError']];

describe('what a failed write means', () => {
  it('a user or site changed meanwhile (or being changed at the same moment) → 409; throttling or validation → a server error, not a conflict', async () => {
    const replaceUser = () => store.replaceUser(user, { ...user, name: 'Ada L.', version: 2 }, []);
    const replaceSite = () => store.replaceSite(site, { ...site, name: 'Main St', version: 2 }, []);
    for (const codes of [['ConditionalCheckFailed', 'None'], ['TransactionConflict', 'None']]) {
      fail(cancelled(...codes));
      expect(await outcome(replaceUser)).toBe('409 The user was changed by someone else; reload and retry');
      expect(await outcome(replaceSite)).toBe('409 The site was changed by someone else; reload and retry');
    }
    for (const codes of OTHER_FAILURES) {
      fail(cancelled(...codes));
      expect([codes, await outcome(replaceUser), await outcome(replaceSite)]).toEqual([codes, 'TransactionCanceledException', 'TransactionCanceledException']);
    }
  });

  it('registration: a failed condition is the one "invitation unusable" 409; throttling is not', async () => {
    const create = () => store.createUser(user, [], 'invite-hash', 'attempt-1');
    fail(cancelled('ConditionalCheckFailed', 'None', 'None', 'None'));
    expect(await outcome(create)).toBe('409 This invitation cannot be used');
    fail(cancelled('None', 'ThrottlingError', 'None', 'None'));
    expect(await outcome(create)).toBe('TransactionCanceledException');
  });

  it('a site id taken is a 409; throttling is not', async () => {
    fail(cancelled('ConditionalCheckFailed'));
    expect(await outcome(() => store.createSite(site, []))).toBe('409 Site s1 already exists');
    fail(cancelled('ThrottlingError'));
    expect(await outcome(() => store.createSite(site, []))).toBe('TransactionCanceledException');
  });

  it('a refresh token already spent is refused (false); a throttled rotation is an error, not a refusal', async () => {
    const rotate = () => store.rotateRefresh('old', 'new', { userId: 'u1', sessionId: 's', status: 'active', expiresAt: 2_000_000_000 });
    fail(cancelled('ConditionalCheckFailed', 'None', 'None'));
    expect(await outcome(rotate)).toBe(false);
    fail(cancelled('ThrottlingError', 'None', 'None'));
    expect(await outcome(rotate)).toBe('TransactionCanceledException');
    dynamo.answer = () => ({});
    expect(await outcome(rotate)).toBe(true);
    expect(dynamo.sent.at(-1)).toBeInstanceOf(TransactWriteCommand);
  });

  it('single writes: a held email is a plain "no"', async () => {
    fail(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    expect(await outcome(() => store.reserveEmail('ada@example.com', 'attempt-1', 60))).toBe(false);
    expect(await outcome(() => store.releaseEmail('ada@example.com', 'attempt-1'))).toBeUndefined();
  });

  it('revoking a session writes the revocation marker first, then deletes the session; one already gone is a plain "no"', async () => {
    expect(await outcome(() => store.revokeSession('u1', 'sid', 'logout'))).toBe(true);
    expect(dynamo.sent.map((c) => c.constructor.name)).toEqual(['PutCommand', 'DeleteCommand']);
    expect(dynamo.sent[0]!.input).toMatchObject({ TableName: 'brigade-test-revocations', Item: { pk: 'SESSION#sid', userId: 'u1', reason: 'logout' } });
    expect(dynamo.sent[1]!.input).toMatchObject({ TableName: 'brigade-test-users', Key: { pk: 'USER#u1', sk: 'SESSION#sid' } });
    dynamo.reset();
    dynamo.answer = (command) => {
      if (command instanceof DeleteCommand) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      return {};
    };
    expect(await outcome(() => store.revokeSession('u1', 'sid', 'logout'))).toBe(false);
  });
});

describe('site members page by page', () => {
  const lastKey = { pk: 'SITE#s1', sk: 'MEMBER#u1' };
  const member = { userId: 'u1', email: 'ada@example.com', name: 'Ada', role: 'staff', status: 'active' };
  beforeEach(() => {
    dynamo.answer = (command) => (command instanceof QueryCommand ? { Items: [{ ...lastKey, ...member }], LastEvaluatedKey: lastKey } : {});
  });

  it('the next-page cursor is opaque and resumes after the last member', async () => {
    const first = await store.listMembers('s1', 1);
    expect(first.members).toEqual([member]);
    expect(first.nextCursor).not.toContain('u1');
    await store.listMembers('s1', 1, first.nextCursor);
    expect(dynamo.sent.map((command) => command.input.ExclusiveStartKey)).toEqual([undefined, lastKey]);
  });

  it('a raw user id (the cursor of old), another site’s cursor or an empty one is a 400, never a query', async () => {
    const { nextCursor } = await store.listMembers('s1', 1);
    dynamo.sent.length = 0;
    const invalid = '400 Invalid cursor: it belongs to another query or was altered; start again without it';
    expect(await outcome(() => store.listMembers('s1', 1, 'u1'))).toBe(invalid);
    expect(await outcome(() => store.listMembers('s2', 1, nextCursor))).toBe(invalid);
    expect(await outcome(() => store.listMembers('s1', 1, ''))).toBe(invalid);
    expect(dynamo.sent).toHaveLength(0);
  });
});
