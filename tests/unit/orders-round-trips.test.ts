// POST /sites/{siteId}/orders on a warm container, counted at the SDK clients: at most 4 DynamoDB round trips
// (revocation check, one BatchGetItem with the category names, the ticket counter, one TransactWriteItems; a
// site's first order after its categories were written another way fills the names from a Query, once) and no SNS
// publish on the request path (the table's stream relays the outbox). The Idempotency-Key's record commits in the order's own
// transaction with the exact bytes answered; a replay is 2 round trips; a concurrent twin replays the winner.
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { cancelled, dynamo } from './fixtures/stub-dynamodb';
import { menuItem } from './fixtures/orders';
import { fingerprintOf } from '../../functions/shared/idempotency';
import { logger } from '../../functions/shared/logger';

jest.mock('../../functions/shared/clients/dynamodb', () => jest.requireActual('./fixtures/stub-dynamodb').stubbedClients);
const publicKeys: { keys: JWK[] } = { keys: [] };
const snsSent: unknown[] = [];
jest.mock('../../functions/shared/clients/sns', () => ({
  snsClient: () => ({ send: async (command: unknown) => snsSent.push(command) && { MessageId: 'm-1' } }),
}));

const CUSTOMER_REF_KEY = { key: Buffer.alloc(32, 3).toString('base64url') };
const secretsRead: unknown[] = [];
jest.mock('../../functions/shared/clients/secrets-manager', () => ({
  secretsManagerClient: () => ({ send: async (command: unknown) => secretsRead.push(command) && { SecretString: JSON.stringify(CUSTOMER_REF_KEY) } }),
}));

const ORDERS_TABLE = 'brigade-test-orders';
const REVOCATIONS_TABLE = 'brigade-test-revocations';
Object.assign(process.env, {
  TABLE_NAME: ORDERS_TABLE,
  EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:brigade-test-events',
  JWT_ISSUER: 'brigade-test',
  JWT_AUDIENCE: 'brigade-test-api',
  REVOCATIONS_TABLE,
  CUSTOMER_REF_KEY_SECRET: 'brigade/test/orders/customer-ref-key',
});
const { handler } = require('../../functions/orders/create-order') as typeof import('../../functions/orders/create-order');

const settings = { siteId: 'site-1', timeZone: 'Europe/Paris', currency: 'EUR', businessDayStartsAt: '04:00', version: 1 };
const burger = menuItem({ itemId: 'burger', name: 'Burger', price: 1250 });
const fries = menuItem({ itemId: 'fries', name: 'Fries', price: 450 });
const body: Record<string, unknown> = { channel: { type: 'takeaway' }, lines: [{ itemId: 'burger', quantity: 2 }, { itemId: 'fries', quantity: 1 }] };
const context = { awsRequestId: 'req-1', functionName: 'createOrder', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
let token: string;

/** The orders table as the stub answers it: the menu, plus whatever idempotency records transactions committed. */
let committed: Map<string, Record<string, unknown>>;
/** The site's category-names item (store.ts), complete unless a test says otherwise. */
let categoryNames: Record<string, unknown> | undefined;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  publicKeys.keys = [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }];
  token = await new SignJWT({ role: 'staff', sites: ['site-1'], sid: 's-1' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setSubject('u-1')
    .setIssuer('brigade-test')
    .setAudience('brigade-test-api')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
});

const tableAnswer = (command: { input: Record<string, any> }): unknown => {
  if (command instanceof BatchGetCommand) {
    const [table, { Keys }] = Object.entries(command.input.RequestItems!)[0]! as [string, { Keys: Array<{ pk: string; sk: string }> }];
    if (table === REVOCATIONS_TABLE) return { Responses: { [table]: [] } };
    const menu = [
      { pk: 'SITE#site-1#MENU', sk: 'SETTINGS', ...settings },
      ...(categoryNames ? [{ pk: 'SITE#site-1#MENU', sk: 'CATEGORY-NAMES', ...categoryNames }] : []),
      { pk: 'SITE#site-1#MENU', sk: 'ITEM#burger', ...burger },
      { pk: 'SITE#site-1#MENU', sk: 'ITEM#fries', ...fries },
      ...committed.values(),
    ];
    return { Responses: { [table]: menu.filter((item) => Keys.some((k) => k.pk === item.pk && k.sk === item.sk)) } };
  }
  if (command instanceof QueryCommand) return { Items: [{ categoryId: 'mains', name: 'Mains' }] };
  if (command instanceof UpdateCommand) return { Attributes: { lastTicket: 7 } };
  if (command instanceof TransactWriteCommand) {
    for (const item of command.input.TransactItems ?? []) if (item.Put?.Item?.sk === 'IDEMPOTENCY') committed.set(String(item.Put.Item.pk), item.Put.Item);
    return {};
  }
  if (command instanceof GetCommand && command.input.TableName === REVOCATIONS_TABLE && command.input.Key!.pk === 'JWKS') {
    return { Item: { pk: 'JWKS', document: JSON.stringify(publicKeys) } };
  }
  if (command instanceof GetCommand) return { Item: committed.get(String(command.input.Key!.pk)) };
  throw new Error(`unexpected ${command.constructor.name}`);
};

beforeEach(() => {
  committed = new Map();
  categoryNames = { complete: true, 'n#mains': 'Mains', 'n#drinks': 'Drinks' };
  dynamo.answer = tableAnswer;
});

const post = async (key: string, requestBody: Record<string, unknown> = body) =>
  (await handler(
    {
      version: '2.0',
      routeKey: 'POST /sites/{siteId}/orders',
      rawPath: '/sites/site-1/orders',
      rawQueryString: '',
      headers: { 'content-type': 'application/json', 'idempotency-key': key, authorization: `Bearer ${token}` },
      pathParameters: { siteId: 'site-1' },
      requestContext: { http: { method: 'POST', path: '/sites/site-1/orders', sourceIp: '127.0.0.1' }, requestId: 'r-1' },
      body: JSON.stringify(requestBody),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2,
    context,
  )) as APIGatewayProxyStructuredResultV2;

const calls = () => dynamo.sent.map((command) => command.constructor.name);

describe('POST /sites/{siteId}/orders round trips (warm container)', () => {
  beforeAll(async () => {
    committed = new Map();
    categoryNames = { complete: true, 'n#mains': 'Mains' };
    dynamo.answer = tableAnswer;
    expect((await post('warm-up-order-key')).statusCode).toBe(201); // loads the JWKS once per container
  });

  it('places an order in 4 DynamoDB round trips and no SNS publish, storing the bytes it answers', async () => {
    dynamo.sent.length = 0;
    snsSent.length = 0;
    const response = await post('first-order-key-1');
    expect(response.statusCode).toBe(201);
    expect(calls()).toEqual(['BatchGetCommand', 'BatchGetCommand', 'UpdateCommand', 'TransactWriteCommand']);
    expect(snsSent).toEqual([]);
    expect(dynamo.sent[1]!.input.RequestItems[ORDERS_TABLE].Keys).toContainEqual({ pk: 'SITE#site-1#MENU', sk: 'CATEGORY-NAMES' });
    const transaction = dynamo.sent[3]!.input.TransactItems as Array<{ Put?: { Item: Record<string, any> }; ConditionCheck?: unknown }>;
    const record = transaction.find((item) => item.Put?.Item.sk === 'IDEMPOTENCY')!.Put!.Item;
    expect(record).toMatchObject({ status: 'COMPLETED', response: { status: 201, body: response.body, headers: { location: expect.stringMatching(/^\/sites\/site-1\/orders\//) } } });
    expect(transaction.filter((item) => item.Put?.Item.sk === 'OUTBOX').map((item) => item.Put!.Item.eventType)).toEqual(['order.placed']);
    expect(JSON.parse(response.body!)).toMatchObject({ ticketNumber: 7, status: 'open' });
    expect(JSON.parse(response.body!).lines.map((line: Record<string, unknown>) => [line.categoryId, line.categoryName])).toEqual([
      ['mains', 'Mains'],
      ['mains', 'Mains'],
    ]);
  });

  it('keeps a customer only as its keyed hash: nothing written holds the phone, and a replay is byte-identical', async () => {
    const withPhone = { ...body, customer: { phone: '+1 (212) 555-0123' } };
    dynamo.sent.length = 0;
    const first = await post('customer-order-key', withPhone);
    expect(first.statusCode).toBe(201);
    const { customerRef } = JSON.parse(first.body!);
    expect(customerRef).toMatch(/^phone:[A-Za-z0-9_-]{43}$/);
    const written = JSON.stringify(dynamo.sent.map((command) => command.input));
    expect(written).toContain(customerRef);
    expect(written).not.toMatch(/2125550123|555-0123/);
    // The key's fingerprint is of the request with the customer hashed, not of the phone (a plain hash of a phone
    // number is reversed by trying them all).
    const record = committed.get('IDEMPOTENCY#orders-create#site-1#u-1#customer-order-key')!;
    const parsedLines = [{ itemId: 'burger', quantity: 2, modifierIds: [] }, { itemId: 'fries', quantity: 1, modifierIds: [] }];
    expect(record.fingerprint).toBe(fingerprintOf({ siteId: 'site-1' }, { channel: body.channel, lines: parsedLines, customerRef }));
    const replay = await post('customer-order-key', withPhone);
    expect(replay.body).toBe(first.body);
    expect(replay.headers).toMatchObject({ 'idempotent-replayed': 'true' });
    // Written another way, the same number is the same customer, hence the same request: still a replay.
    expect((await post('customer-order-key', { ...body, customer: { phone: '+12125550123' } })).body).toBe(first.body);
    expect(secretsRead.length).toBe(1); // the key is read once per container, not per order
  });

  it('logs no phone number, whether the order is placed or refused for a malformed one', async () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
    logger.setLogLevel('DEBUG'); // the unit tests' setup silences logs
    try {
      expect((await post('logged-order-key', { ...body, customer: { phone: '+44 20 7946 0958' } })).statusCode).toBe(201);
      const refused = await post('refused-order-key', { ...body, customer: { phone: '020 7946 0958 ext 12' } });
      expect(refused.statusCode).toBe(400);
      expect(JSON.parse(refused.body!).error.details).toEqual([{ in: 'body', path: 'customer.phone', message: expect.stringContaining('phone number') }]);
      expect(refused.body).not.toMatch(/79460958|7946 0958/);
    } finally {
      logger.setLogLevel('SILENT');
      write.mockRestore();
    }
    expect(lines.join('')).toContain('"status":400'); // the request lines were captured
    expect(lines.join('')).not.toMatch(/79460958|7946 0958/);
  });

  it('replays a used key in 2 round trips, byte-identical, without writing', async () => {
    const first = await post('replayed-order-key');
    dynamo.sent.length = 0;
    const replay = await post('replayed-order-key');
    expect(calls()).toEqual(['BatchGetCommand', 'BatchGetCommand']);
    expect(replay.statusCode).toBe(201);
    expect(replay.body).toBe(first.body);
    expect(replay.headers).toMatchObject({ 'idempotent-replayed': 'true', location: first.headers!.location });
  });

  it('the same key with another body is a 422, with no other work', async () => {
    await post('reused-order-key');
    dynamo.sent.length = 0;
    const other = { ...body, lines: [{ itemId: 'fries', quantity: 3 }] };
    const original = body.lines;
    body.lines = other.lines;
    try {
      expect((await post('reused-order-key')).statusCode).toBe(422);
    } finally {
      body.lines = original;
    }
    expect(calls()).toEqual(['BatchGetCommand', 'BatchGetCommand']);
  });

  it('a site whose category names are not yet complete fills them from one Query, keeping names a category write put there', async () => {
    categoryNames = { 'n#drinks': 'Soft drinks' }; // written by a category write since; no `complete`
    dynamo.sent.length = 0;
    const response = await post('first-order-after-seed');
    expect(response.statusCode).toBe(201);
    expect(calls()).toEqual(['BatchGetCommand', 'BatchGetCommand', 'QueryCommand', 'UpdateCommand', 'UpdateCommand', 'TransactWriteCommand']);
    const fill = dynamo.sent[3]!.input;
    expect(fill.Key).toEqual({ pk: 'SITE#site-1#MENU', sk: 'CATEGORY-NAMES' });
    expect(fill.UpdateExpression).toBe('SET complete = :complete, #n0 = if_not_exists(#n0, :n0)');
    expect(fill.ExpressionAttributeNames).toEqual({ '#n0': 'n#mains' });
    expect(fill.ExpressionAttributeValues).toEqual({ ':complete': true, ':n0': 'Mains' });
    expect(JSON.parse(response.body!).lines[0]).toMatchObject({ categoryId: 'mains', categoryName: 'Mains' });
  });

  it('a concurrent twin that commits first wins: the loser writes nothing and replays the winner', async () => {
    const winner = await post('twin-order-key');
    const winnerRecord = committed.get('IDEMPOTENCY#orders-create#site-1#u-1#twin-order-key')!;
    committed.clear(); // the loser read before the winner committed
    const answer = dynamo.answer;
    dynamo.answer = (command) => {
      if (command instanceof TransactWriteCommand) {
        committed.set(String(winnerRecord.pk), winnerRecord);
        const reasons = (command.input.TransactItems ?? []).map((item) => (item.Put?.Item?.sk === 'IDEMPOTENCY' ? 'ConditionalCheckFailed' : 'None'));
        throw cancelled(...reasons);
      }
      return answer(command);
    };
    dynamo.sent.length = 0;
    const loser = await post('twin-order-key');
    expect(calls()).toEqual(['BatchGetCommand', 'BatchGetCommand', 'UpdateCommand', 'TransactWriteCommand', 'GetCommand']);
    expect(loser.statusCode).toBe(201);
    expect(loser.body).toBe(winner.body);
    expect(loser.headers).toMatchObject({ 'idempotent-replayed': 'true' });
  });
});
