// Realtime notifications over the WebSocket API (docs/notifications.md, "Realtime"): who may connect, the
// connection items in the notifications table, PostToConnection reaching the client, ping/pong, cleanup on close
// and of connections API Gateway reports gone. Real WebSockets, the real management API client, the real table.
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { api, describeNeeding, dynamo, eventually, region, tableName, topicArn, stage } from './support/target';
import { bearer, createSite, createUser, login, type TestUser } from './support/identity';
import { claimsOf, genuineClaims, genuineSigningKey, nowSeconds, sign, unsigned } from './support/tokens';
import { openRealtime, upgradeStatus, websocketUrl, type RealtimeClient } from './support/websocket';

const table = tableName('notifications');
// The management API lives where the WebSocket API does: ws://host:port locally, wss://{api}.execute-api…/{stage} on AWS.
const managementEndpoint = websocketUrl().replace(/^ws/, 'http');
const management = new ApiGatewayManagementApiClient({ region, endpoint: managementEndpoint, maxAttempts: 1 });
const post = (connectionId: string, message: unknown) =>
  management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(message) }));

const connectionItems = async (userId: string) =>
  (
    await dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :conn)',
        ExpressionAttributeValues: { ':pk': `USER#${userId}`, ':conn': 'CONN#' },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];
const connectionIdsOf = async (userId: string) => (await connectionItems(userId)).map((item) => item.connectionId as string).sort();
const reverseItem = async (connectionId: string) =>
  (await dynamo.send(new GetCommand({ TableName: table, Key: { pk: `CONN#${connectionId}`, sk: 'CONN' }, ConsistentRead: true }))).Item;

/** Opens a connection for a user who has none yet and returns it with the connection id the table recorded. */
async function connectFresh(user: TestUser, via: 'header' | 'query' = 'header') {
  const before = new Set(await connectionIdsOf(user.userId));
  const client = await openRealtime(user.accessToken, via);
  const added = (await connectionIdsOf(user.userId)).filter((id) => !before.has(id));
  expect(added).toHaveLength(1);
  return { client, connectionId: added[0]! };
}

let siteId: string;
let user: TestUser;
const open: RealtimeClient[] = [];
beforeAll(async () => {
  siteId = await createSite();
  user = await createUser('staff', [siteId]);
}, 60_000);
afterAll(async () => {
  await Promise.all(open.map((client) => client.close()));
  management.destroy();
});

describeNeeding('websocketApi')('$connect refuses the upgrade (401) without a valid access token', () => {
  it('no token at all', async () => {
    expect(await upgradeStatus(undefined)).toBe(401);
  });

  it('garbage in the header or in ?token=', async () => {
    expect(await upgradeStatus('garbage', 'header')).toBe(401);
    expect(await upgradeStatus('garbage', 'query')).toBe(401);
    expect(await upgradeStatus(unsigned({ alg: 'none', typ: 'JWT' }, genuineClaims(claimsOf(user.accessToken))), 'query')).toBe(401);
  });

  it('a genuinely signed token that has expired, or is meant for another audience', async () => {
    const key = await genuineSigningKey();
    const real = claimsOf(user.accessToken);
    const header = { alg: 'ES256', kid: key.kid };
    const positiveControl = await sign(genuineClaims(real), key.privateKey, header);
    const expired = await sign(genuineClaims(real, nowSeconds() - 60 * 60), key.privateKey, header);
    const otherAudience = await sign({ ...genuineClaims(real), aud: 'brigade-admin' }, key.privateKey, header);
    expect(await upgradeStatus(expired)).toBe(401);
    expect(await upgradeStatus(otherAudience, 'query')).toBe(401);
    // The same key and claims, fresh and for this audience, are accepted: the refusals above are about exp and aud.
    expect(await upgradeStatus(positiveControl)).toBe(101);
  });

  it('the token of a session that has logged out', async () => {
    const session = await login(user.email, user.password);
    expect((await api('POST', '/auth/logout', { headers: bearer(session) })).status).toBe(204);
    expect(await upgradeStatus(session.accessToken)).toBe(401);
    expect(await upgradeStatus(session.accessToken, 'query')).toBe(401);
  });

  it('a refused attempt stores no connection', async () => {
    const stranger = await createUser('staff', [siteId]);
    const key = await genuineSigningKey();
    const otherAudience = await sign({ ...genuineClaims(claimsOf(stranger.accessToken)), aud: 'elsewhere' }, key.privateKey, { alg: 'ES256', kid: key.kid });
    expect(await upgradeStatus(otherAudience)).toBe(401);
    expect(await connectionItems(stranger.userId)).toEqual([]);
  });
});

describeNeeding('websocketApi')('an open connection', () => {
  let client: RealtimeClient;
  let connectionId: string;
  beforeAll(async () => {
    ({ client, connectionId } = await connectFresh(user));
    open.push(client);
  });

  it('is stored as the two items of the table design, with a TTL past API Gateway’s 2-hour limit', async () => {
    const [item] = await connectionItems(user.userId);
    const expectedExpiry = nowSeconds() + 2 * 60 * 60;
    expect(item).toMatchObject({ pk: `USER#${user.userId}`, sk: `CONN#${connectionId}`, userId: user.userId, connectionId });
    expect(item!.expiresAt).toBeGreaterThan(expectedExpiry);
    expect(item!.expiresAt).toBeLessThan(expectedExpiry + 30 * 60);
    expect(await reverseItem(connectionId)).toMatchObject({ pk: `CONN#${connectionId}`, sk: 'CONN', userId: user.userId, expiresAt: item!.expiresAt });
  });

  it('receives what PostToConnection sends to its id', async () => {
    const message = { type: 'notification', notification: { id: randomUUID(), title: 'Walk-in freezer at -12 °C' } };
    await post(connectionId, message);
    expect(await client.next((m) => m.type === 'notification')).toEqual(message);
  });

  it('gets a pong for a ping, and an error message (not a dropped connection) for anything else', async () => {
    client.send({ action: 'ping' });
    expect(await client.next((m) => m.type === 'pong')).toEqual({ type: 'pong' });
    client.send({ action: 'subscribe', topic: 'everything' });
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ error: { code: 'UNKNOWN_ACTION' } });
    client.send('this is not json');
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ error: { code: 'BAD_MESSAGE' } });
    client.send({ action: 'ping' });
    expect(await client.next((m) => m.type === 'pong')).toEqual({ type: 'pong' });
  });

  it('also opens with ?token= (browsers), as a second connection of the same user', async () => {
    const second = await connectFresh(user, 'query');
    open.push(second.client);
    expect(await connectionIdsOf(user.userId)).toEqual([connectionId, second.connectionId].sort());
    await post(second.connectionId, { type: 'notification', notification: { id: 'second' } });
    expect(await second.client.next()).toEqual({ type: 'notification', notification: { id: 'second' } });
  });
});

describeNeeding('websocketApi')('what API Gateway refuses on a connection closes that connection only', () => {
  /** Sends the frames (`fin` on the last) on a fresh connection; the close code, or 'open' if it stayed open. */
  async function closeCodeAfter(frames: Array<{ data: Buffer; binary?: boolean }>): Promise<number | 'open'> {
    const { client } = await connectFresh(user);
    const closed = new Promise<number>((resolve) => client.socket.once('close', resolve));
    frames.forEach(({ data, binary = false }, i) => client.socket.send(data, { binary, fin: i === frames.length - 1 }));
    const code = await Promise.race([closed, new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 3_000))]);
    await client.close();
    return code;
  }
  const frame = (bytes: number) => ({ data: Buffer.alloc(bytes, 'a') });
  const KB = 1024;

  it('a frame past 32 KB or a message past 128 KB is closed with 1009; 128 KB in frames of 32 KB is a message', async () => {
    expect(await closeCodeAfter([frame(32 * KB + 1)])).toBe(1009);
    expect(await closeCodeAfter([frame(32 * KB), frame(32 * KB), frame(32 * KB), frame(32 * KB), frame(1)])).toBe(1009);
    const { client } = await connectFresh(user);
    open.push(client);
    // 128 KB of text that is not JSON: the app's answer is an error message, on a connection still open.
    [0, 1, 2, 3].forEach((i) => client.socket.send(Buffer.alloc(32 * KB, 'a'), { binary: false, fin: i === 3 }));
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ error: { code: 'BAD_MESSAGE' } });
  });

  it('regression: text that is not UTF-8 closes its connection, and the API goes on (locally it ended serverless-offline, the HTTP API with it)', async () => {
    expect(await closeCodeAfter([{ data: Buffer.from([0xff, 0xfe, 0xfd]) }])).not.toBe('open');
    expect((await api('GET', '/health')).status).toBe(200);
    const { client } = await connectFresh(user);
    open.push(client);
    client.send({ action: 'ping' });
    expect(await client.next((m) => m.type === 'pong')).toEqual({ type: 'pong' });
  });
});

describeNeeding('websocketApi')('closing and gone connections', () => {
  it('closing deletes both items ($disconnect)', async () => {
    const closer = await createUser('staff', [siteId]);
    const { client, connectionId } = await connectFresh(closer);
    await client.close();
    await eventually(async () => ((await connectionItems(closer.userId)).length === 0 ? true : undefined), 10_000, 'USER#/CONN# item deleted');
    expect(await reverseItem(connectionId)).toBeUndefined();
  });

  it('PostToConnection to a connection id that is not open fails with 410 Gone', async () => {
    const error = await post(`not-open-${randomUUID()}`, { type: 'notification' }).then(
      () => undefined,
      (e: unknown) => e as { name: string; $metadata: { httpStatusCode?: number } },
    );
    // AWS names it GoneException; serverless-offline answers a bare 410 that the SDK cannot name.
    expect(error?.$metadata.httpStatusCode).toBe(410);
  });

  describe('pushToUser (the domain’s own code, wired to this stack)', () => {
    let pushToUser: typeof import('../../functions/notifications/realtime').pushToUser;
    beforeAll(async () => {
      // What serverless.yml gives the notifications functions (functions/notifications/config.ts reads it at import).
      Object.assign(process.env, {
        TABLE_NAME: table,
        EMAIL_TOPIC_ARN: topicArn('notification-email'),
        WEBSOCKET_API_ENDPOINT: managementEndpoint,
        REVOCATIONS_TABLE: tableName('revocations'),
        STAGE: stage,
      });
      ({ pushToUser } = await import('../../functions/notifications/realtime'));
    });

    it('reaches every open connection and deletes the stored one that is gone', async () => {
      const pushed = await createUser('staff', [siteId]);
      const phone = await connectFresh(pushed);
      const browser = await connectFresh(pushed, 'query');
      open.push(phone.client, browser.client);
      // A connection whose $disconnect never ran (API Gateway dropped it; the handler failed): still in the table.
      const stale = `stale-${randomUUID()}`;
      const attributes = { userId: pushed.userId, connectionId: stale, connectedAt: new Date().toISOString(), expiresAt: nowSeconds() + 3600 };
      await dynamo.send(new PutCommand({ TableName: table, Item: { pk: `USER#${pushed.userId}`, sk: `CONN#${stale}`, ...attributes } }));
      await dynamo.send(new PutCommand({ TableName: table, Item: { pk: `CONN#${stale}`, sk: 'CONN', ...attributes } }));

      const message = { type: 'notification', notification: { id: randomUUID() } };
      expect(await pushToUser(pushed.userId, message)).toEqual({ pushed: 2, gone: 1, closed: 0 });
      expect(await phone.client.next()).toEqual(message);
      expect(await browser.client.next()).toEqual(message);
      expect(await connectionIdsOf(pushed.userId)).toEqual([phone.connectionId, browser.connectionId].sort());
      expect(await reverseItem(stale)).toBeUndefined();
    });

    it('pushes nothing to a user with no connection', async () => {
      expect(await pushToUser(`nobody-${randomUUID()}`, { type: 'notification' })).toEqual({ pushed: 0, gone: 0, closed: 0 });
    });
  });
});
