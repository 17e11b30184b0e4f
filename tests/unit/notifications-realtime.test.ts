import {
  ApiGatewayManagementApiServiceException,
  DeleteConnectionCommand,
  GoneException,
  type PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { UnauthorizedError } from '#shared/errors';
import { connectionToken, createRealtime, notificationMessages, PUSH_MESSAGE_BYTES, replyTo, websocketRoute } from '../../functions/notifications/realtime';

// realtime.ts wires its defaults from the domain's configuration at import; these tests inject their own.
jest.mock('../../functions/notifications/config', () => ({
  config: { TABLE_NAME: 'notifications', WEBSOCKET_API_ENDPOINT: 'http://127.0.0.1:1' },
}));

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl';

describe('connectionToken', () => {
  it('takes the bearer token from the Authorization header, whatever its case', () => {
    expect(connectionToken({ headers: { Authorization: `Bearer ${JWT}` } })).toBe(JWT);
    expect(connectionToken({ headers: { authorization: `Bearer ${JWT}` } })).toBe(JWT);
  });

  it('takes ?token= when there is no header (browsers cannot set one)', () => {
    expect(connectionToken({ headers: { host: 'x' }, queryStringParameters: { token: JWT } })).toBe(JWT);
  });

  it('lets the header decide when both are given', () => {
    expect(() => connectionToken({ headers: { authorization: 'Basic dTpw' }, queryStringParameters: { token: JWT } })).toThrow(
      UnauthorizedError,
    );
  });

  it.each([
    ['nothing', {}],
    ['a header that is not Bearer', { headers: { authorization: `Token ${JWT}` } }],
    ['a bearer that is not a JWT', { headers: { authorization: 'Bearer garbage' } }],
    ['a query token that is not a JWT', { queryStringParameters: { token: 'garbage' } }],
    ['a query token with a space smuggled in', { queryStringParameters: { token: `${JWT} x` } }],
    ['an empty query token', { queryStringParameters: { token: '' } }],
  ])('refuses %s', (_what, event) => {
    expect(() => connectionToken(event)).toThrow(UnauthorizedError);
  });
});

describe('replyTo', () => {
  it('answers ping with pong', () => {
    expect(replyTo('{"action":"ping"}')).toEqual({ type: 'pong' });
    expect(replyTo('{"action":"ping","id":7}')).toEqual({ type: 'pong' });
  });

  it('answers an unknown action with an error message', () => {
    expect(replyTo('{"action":"subscribe"}')).toEqual({ type: 'error', error: { code: 'UNKNOWN_ACTION', message: expect.any(String) } });
    expect(replyTo('{}')).toMatchObject({ type: 'error', error: { code: 'UNKNOWN_ACTION' } });
  });

  it.each([['not json'], ['[1]'], ['42'], ['null'], [''], [undefined], [Buffer.from('{"action":"ping"}')]])(
    'answers %p with BAD_MESSAGE',
    (body) => {
      expect(replyTo(body)).toMatchObject({ type: 'error', error: { code: 'BAD_MESSAGE' } });
    },
  );
});

describe('pushToUser', () => {
  const gone = () => new GoneException({ message: 'Gone', $metadata: { httpStatusCode: 410 } });
  // What the SDK makes of serverless-offline's 410 without an error type: an unnamed service exception.
  const bare410 = () =>
    new ApiGatewayManagementApiServiceException({ name: 'Unknown', $fault: 'client', message: 'UnknownError', $metadata: { httpStatusCode: 410 } });

  function setup(ids: string[], outcome: (connectionId: string) => Promise<unknown>, remove = jest.fn(async () => undefined)) {
    const sent: Array<{ connectionId: string; data: unknown }> = [];
    const realtime = createRealtime({
      connections: { listForUser: jest.fn(async () => ids.map((connectionId) => ({ userId: 'u1', connectionId }))), remove },
      api: {
        send: async (command: PostToConnectionCommand | DeleteConnectionCommand) => {
          if (command instanceof DeleteConnectionCommand) throw new Error('no connection here is revoked');
          const { ConnectionId, Data } = command.input as PostToConnectionCommand['input'];
          sent.push({ connectionId: ConnectionId!, data: JSON.parse(String(Data)) });
          return outcome(ConnectionId!);
        },
      },
      revokedSessions: async () => new Map(),
    });
    return { realtime, sent, remove };
  }

  it('posts the message as JSON to every connection of the user', async () => {
    const { realtime, sent } = setup(['a', 'b'], async () => ({}));
    const message = { type: 'notification', notification: { id: 'n1' } };
    await expect(realtime.pushToUser('u1', message)).resolves.toEqual({ pushed: 2, gone: 0, closed: 0 });
    expect(sent).toEqual([
      { connectionId: 'a', data: message },
      { connectionId: 'b', data: message },
    ]);
  });

  it('deletes a gone connection, counts a failed one, and pushes to the rest', async () => {
    const outcomes: Record<string, () => Promise<unknown>> = {
      ok: async () => ({}),
      gone: async () => Promise.reject(gone()),
      offline: async () => Promise.reject(bare410()),
      throttled: async () => Promise.reject(new Error('LimitExceededException')),
    };
    const { realtime, remove } = setup(Object.keys(outcomes), (id) => outcomes[id]!());
    await expect(realtime.pushToUser('u1', { type: 'notification' })).resolves.toEqual({ pushed: 1, gone: 2, closed: 0 });
    expect(remove.mock.calls).toEqual([[{ userId: 'u1', connectionId: 'gone' }], [{ userId: 'u1', connectionId: 'offline' }]]);
  });

  it('posts to all connections at once, not one after the other', async () => {
    const releases: Array<() => void> = [];
    const { realtime, sent } = setup(['a', 'b', 'c'], () => new Promise((resolve) => releases.push(() => resolve({}))));
    const pushing = realtime.pushToUser('u1', {});
    await new Promise((r) => setImmediate(r));
    expect(sent.map((s) => s.connectionId)).toEqual(['a', 'b', 'c']);
    releases.forEach((release) => release());
    await expect(pushing).resolves.toEqual({ pushed: 3, gone: 0, closed: 0 });
  });

  it('does not throw when deleting a gone connection fails; that connection counts as neither', async () => {
    const remove = jest.fn(async () => Promise.reject(new Error('ProvisionedThroughputExceeded')));
    const { realtime } = setup(['gone', 'ok'], (id) => (id === 'gone' ? Promise.reject(gone()) : Promise.resolve({})), remove);
    await expect(realtime.pushToUser('u1', {})).resolves.toEqual({ pushed: 1, gone: 0, closed: 0 });
  });

  it('closes a connection whose session was revoked instead of pushing to it', async () => {
    const remove = jest.fn(async () => undefined);
    const realtime = createRealtime({
      connections: {
        listForUser: async () => [
          { userId: 'u1', connectionId: 'phone', sessionId: 's-live', issuedAt: 100 },
          { userId: 'u1', connectionId: 'old-tablet', sessionId: 's-logged-out', issuedAt: 100 },
        ],
        remove,
      },
      api: { send: async () => ({}) },
      revokedSessions: async (sessionsByUser) =>
        new Map([...sessionsByUser].map(([userId, sessions]) => [userId, new Map(sessions.filter((s) => s.sessionId === 's-logged-out').map((s) => [s.sessionId, 'session']))])),
    });
    await expect(realtime.pushToUser('u1', {})).resolves.toEqual({ pushed: 1, gone: 0, closed: 1 });
    expect(remove.mock.calls).toEqual([[{ userId: 'u1', connectionId: 'old-tablet', sessionId: 's-logged-out', issuedAt: 100 }]]);
  });

  it('pushToUsers checks every user\'s sessions in one revocation read and pushes each user their own message', async () => {
    const revocationReads: Array<Map<string, Array<{ sessionId: string; issuedAt: number }>>> = [];
    const sent: Array<{ connectionId: string; data: unknown }> = [];
    const realtime = createRealtime({
      connections: {
        listForUser: async (userId: string) => [
          { userId, connectionId: `${userId}-phone`, sessionId: `${userId}-s1`, issuedAt: 100 },
          { userId, connectionId: `${userId}-laptop`, sessionId: `${userId}-s2`, issuedAt: 100 },
        ],
        remove: async () => undefined,
      },
      api: postsInto(sent),
      revokedSessions: async (sessionsByUser) => {
        revocationReads.push(sessionsByUser);
        return new Map([['u2', new Map([['u2-s2', 'user']])]]);
      },
    });
    const outcomes = await realtime.pushToUsers(new Map([['u1', { to: 'u1' }], ['u2', { to: 'u2' }], ['u3', { to: 'u3' }]]));
    expect(revocationReads).toHaveLength(1);
    expect([...revocationReads[0]!.keys()]).toEqual(['u1', 'u2', 'u3']);
    expect(revocationReads[0]!.get('u2')).toEqual([{ sessionId: 'u2-s1', issuedAt: 100 }, { sessionId: 'u2-s2', issuedAt: 100 }]);
    expect(outcomes).toEqual(
      new Map([
        ['u1', { pushed: 2, gone: 0, closed: 0 }],
        ['u2', { pushed: 1, gone: 0, closed: 1 }],
        ['u3', { pushed: 2, gone: 0, closed: 0 }],
      ]),
    );
    expect(sent.filter((s) => s.connectionId.startsWith('u3-')).map((s) => s.data)).toEqual([{ to: 'u3' }, { to: 'u3' }]);
    expect(sent.map((s) => s.connectionId)).not.toContain('u2-laptop');
  });

  it('pushToUsers makes no revocation read when no connection carries a session', async () => {
    const revokedSessions = jest.fn(async () => new Map<string, Map<string, unknown>>());
    const realtime = createRealtime({
      connections: { listForUser: async (userId: string) => [{ userId, connectionId: `${userId}-c` }], remove: async () => undefined },
      api: { send: async () => ({}) },
      revokedSessions,
    });
    await expect(realtime.pushToUsers(new Map([['u1', {}], ['u2', {}]]))).resolves.toEqual(
      new Map([
        ['u1', { pushed: 1, gone: 0, closed: 0 }],
        ['u2', { pushed: 1, gone: 0, closed: 0 }],
      ]),
    );
    expect(revokedSessions).not.toHaveBeenCalled();
  });

  it('pushEach lists each user\'s connections once however many messages they get, and pushes every message', async () => {
    const listed: string[] = [];
    const sent: Array<{ connectionId: string; data: unknown }> = [];
    const revokedSessions = jest.fn(async () => new Map([['u1', new Map([['u1-old', 'logout']])]]));
    const realtime = createRealtime({
      connections: {
        listForUser: async (userId: string) => {
          listed.push(userId);
          return [
            { userId, connectionId: `${userId}-phone`, sessionId: `${userId}-s1`, issuedAt: 100 },
            { userId, connectionId: `${userId}-old`, sessionId: `${userId}-old`, issuedAt: 100 },
          ];
        },
        remove: async () => undefined,
      },
      api: postsInto(sent),
      revokedSessions,
    });
    const outcomes = await realtime.pushEach([
      { userId: 'u1', message: { n: 1 } },
      { userId: 'u2', message: { n: 2 } },
      { userId: 'u1', message: { n: 3 } },
    ]);
    expect(listed.sort()).toEqual(['u1', 'u2']);
    expect(revokedSessions).toHaveBeenCalledTimes(1);
    // u1's revoked connection is closed once and counted on its first message only.
    expect(outcomes).toEqual([
      { pushed: 1, gone: 0, closed: 1 },
      { pushed: 2, gone: 0, closed: 0 },
      { pushed: 1, gone: 0, closed: 0 },
    ]);
    expect(sent.filter((s) => s.connectionId === 'u1-phone').map((s) => s.data)).toEqual([{ n: 1 }, { n: 3 }]);
    expect(sent.map((s) => s.connectionId)).not.toContain('u1-old');
  });

  it('pushes nothing to a user without connections', async () => {
    const { realtime, sent } = setup([], async () => ({}));
    await expect(realtime.pushToUser('u1', {})).resolves.toEqual({ pushed: 0, gone: 0, closed: 0 });
    expect(sent).toEqual([]);
  });
});

describe('pushNotifications: a user\'s notifications of one round in as few messages as fit', () => {
  it('sends one notification as `notification`, several as one `notifications` in their order', () => {
    expect(notificationMessages([{ id: 1 }])).toEqual([{ type: 'notification', notification: { id: 1 } }]);
    expect(notificationMessages([{ id: 1 }, { id: 2 }, { id: 3 }])).toEqual([{ type: 'notifications', notifications: [{ id: 1 }, { id: 2 }, { id: 3 }] }]);
  });

  it('splits a round past PUSH_MESSAGE_BYTES so that every message stays within API Gateway\'s 128 KB; one larger notification goes alone', () => {
    const big = (id: number) => ({ id, body: 'é'.repeat(10_000) }); // ~20 KB of JSON each
    const messages = notificationMessages(Array.from({ length: 12 }, (_, i) => big(i)));
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(PUSH_MESSAGE_BYTES);
    expect(messages.flatMap((m) => (m.type === 'notifications' ? m.notifications : m.type === 'notification' ? [m.notification] : []))).toEqual(Array.from({ length: 12 }, (_, i) => big(i)));
    const huge = { id: 'huge', body: 'x'.repeat(PUSH_MESSAGE_BYTES) };
    expect(notificationMessages([{ id: 'a' }, huge, { id: 'b' }])).toEqual([
      { type: 'notification', notification: { id: 'a' } },
      { type: 'notification', notification: huge },
      { type: 'notification', notification: { id: 'b' } },
    ]);
  });

  it('makes one PostToConnection per connection for a user\'s whole round, each notification\'s outcome its message\'s', async () => {
    const sent: Array<{ connectionId: string; data: unknown }> = [];
    const realtime = createRealtime({
      connections: {
        listForUser: async (userId: string) => (userId === 'u3' ? [] : [{ userId, connectionId: `${userId}-phone` }, { userId, connectionId: `${userId}-tablet` }]),
        remove: async () => undefined,
      },
      api: postsInto(sent),
      revokedSessions: async () => new Map(),
    });
    const found = await realtime.openConnections(['u1', 'u2', 'u3']);
    const outcomes = await realtime.pushNotifications(found, [
      { userId: 'u1', notification: { n: 1 } },
      { userId: 'u2', notification: { n: 2 } },
      { userId: 'u1', notification: { n: 3 } },
      { userId: 'u3', notification: { n: 4 } },
    ]);
    expect(sent).toEqual([
      { connectionId: 'u1-phone', data: { type: 'notifications', notifications: [{ n: 1 }, { n: 3 }] } },
      { connectionId: 'u1-tablet', data: { type: 'notifications', notifications: [{ n: 1 }, { n: 3 }] } },
      { connectionId: 'u2-phone', data: { type: 'notification', notification: { n: 2 } } },
      { connectionId: 'u2-tablet', data: { type: 'notification', notification: { n: 2 } } },
    ]);
    expect(outcomes).toEqual([
      { pushed: 2, gone: 0, closed: 0 },
      { pushed: 2, gone: 0, closed: 0 },
      { pushed: 2, gone: 0, closed: 0 },
      { pushed: 0, gone: 0, closed: 0 },
    ]);
  });
});

/** A management API that records every PostToConnection (connection and parsed message) and accepts deletes. */
function postsInto(sent: Array<{ connectionId: string; data: unknown }>) {
  return {
    send: async (command: PostToConnectionCommand | DeleteConnectionCommand) => {
      const { ConnectionId, Data } = command.input as PostToConnectionCommand['input'];
      if (!(command instanceof DeleteConnectionCommand)) sent.push({ connectionId: ConnectionId!, data: JSON.parse(String(Data)) });
      return {};
    },
  };
}

describe('websocketRoute', () => {
  const event = { requestContext: { connectionId: 'c1', requestId: 'r1' } } as APIGatewayProxyWebsocketEventV2;

  it('answers 200 when the handler returns, the kit error status for a client error, 500 for anything else', async () => {
    await expect(websocketRoute('$connect', async () => undefined)(event)).resolves.toEqual({ statusCode: 200 });
    await expect(websocketRoute('$connect', async () => Promise.reject(new UnauthorizedError()))(event)).resolves.toEqual({ statusCode: 401 });
    await expect(websocketRoute('$connect', async () => Promise.reject(new Error('DynamoDB down')))(event)).resolves.toEqual({ statusCode: 500 });
  });
});
