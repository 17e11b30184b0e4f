// withIdempotency keeps the first response in one DynamoDB item, which holds 400 KB: a larger answer (a fortnight's
// rota copied answers every shift made) failed to be stored after its work was done, left the key locked, and a
// retry after the lock did the work again. Here the table is a map that refuses items past 400 KB, as DynamoDB does.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { fingerprintOf, GZIPPED_BODY_BYTES, INLINE_BODY_BYTES, withIdempotency } from '#shared/idempotency';
import { dynamo, type Command } from './fixtures/stub-dynamodb';

jest.mock('../../functions/shared/clients/dynamodb', () => jest.requireActual('./fixtures/stub-dynamodb').stubbedClients);

const ITEM_LIMIT = 400 * 1024;
const items = new Map<string, Record<string, any>>();
type Item = Record<string, any>;
const keyOf = (key: { pk: string; sk: string }) => `${key.pk}|${key.sk}`;
/** DynamoDB's item size, near enough: names and values, strings in UTF-8, binaries as their bytes. */
const sizeOf = (value: unknown): number =>
  value instanceof Uint8Array
    ? value.length
    : typeof value === 'string'
      ? Buffer.byteLength(value)
      : value && typeof value === 'object'
        ? Object.entries(value).reduce((sum, [name, v]) => sum + Buffer.byteLength(name) + sizeOf(v), 0)
        : 8;

beforeEach(() => {
  items.clear();
  dynamo.reset();
  dynamo.answer = (command: Command) => {
    if (command instanceof PutCommand) {
      if (items.has(keyOf(command.input.Item as any))) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      items.set(keyOf(command.input.Item as any), { ...command.input.Item });
      return {};
    }
    if (command instanceof UpdateCommand) {
      const { lockedUntil: _lock, ...item }: Item = { ...items.get(keyOf(command.input.Key as any)), status: 'COMPLETED', response: command.input.ExpressionAttributeValues![':response'] };
      if (sizeOf(item) > ITEM_LIMIT) throw Object.assign(new Error('Item size has exceeded the maximum allowed size'), { name: 'ValidationException' });
      items.set(keyOf(command.input.Key as any), item);
      return {};
    }
    if (command instanceof GetCommand) return { Item: items.get(keyOf(command.input.Key as any)) };
    if (command instanceof DeleteCommand) {
      items.delete(keyOf(command.input.Key as any));
      return {};
    }
    throw new Error(`unexpected ${command.constructor.name}`);
  };
});

/** The same request twice with one key: both answers, and how often the work ran. */
async function twice(body: unknown) {
  let runs = 0;
  const options = { tableName: 'brigade-test-staff', scope: 'POST /sites/{siteId}/schedule/copy#s1#u1' };
  const request = () =>
    withIdempotency(options, 'key-12345678', fingerprintOf({ from: '2027-06-07' }), async () => {
      runs += 1;
      return { status: 200, body };
    });
  const first = await request();
  const again = await request();
  return { first, again, runs, stored: [...items.values()][0]!.response };
}

/** Shifts as a copy answers them: ids, times and a note each. */
const shifts = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    shiftId: `${randomBytes(16).toString('hex')}`,
    siteId: 'site-1',
    userId: `user-${i % 60}`,
    date: '2027-06-14',
    start: '2027-06-14T09:00:00.000Z',
    end: '2027-06-14T17:00:00.000Z',
    positionId: 'server',
    status: 'draft',
    breakMinutes: 30,
    note: `Deliveries at the back door; check the walk-in temperatures (${i})`,
    version: 1,
  }));

it('keeps an ordinary answer as text and replays it byte for byte', async () => {
  const { first, again, runs, stored } = await twice({ copied: shifts(10), skipped: [] });
  expect(runs).toBe(1);
  expect(stored.body).toBe(first.rawBody);
  expect(again.rawBody).toBe(first.rawBody);
  expect(again.headers).toMatchObject({ 'idempotent-replayed': 'true' });
});

it('regression: keeps an answer past 200 KB gzipped and replays it byte for byte (past 400 KB it was a 500 after the work, and a retry did it again)', async () => {
  const body = { copied: shifts(1500), skipped: [] };
  const { first, again, runs, stored } = await twice(body);
  expect(Buffer.byteLength(first.rawBody!)).toBeGreaterThan(ITEM_LIMIT);
  expect(runs).toBe(1);
  expect(stored.body).toBeUndefined();
  expect(stored.bodyGzip.length).toBeLessThanOrEqual(GZIPPED_BODY_BYTES);
  expect(again.rawBody).toBe(first.rawBody);
  expect(again.headers).toMatchObject({ 'idempotent-replayed': 'true' });
  expect(again.headers).not.toHaveProperty('idempotent-response-kept');
});

it('does the work once when even gzipped the answer is too large, and a replay says it was not kept', async () => {
  const body = { blob: randomBytes(450 * 1024).toString('base64') };
  const { first, again, runs, stored } = await twice(body);
  expect(runs).toBe(1);
  expect(JSON.parse(first.rawBody!)).toEqual(body);
  expect(stored).toMatchObject({ status: 200, bodyBytes: Buffer.byteLength(first.rawBody!) });
  expect(again.status).toBe(200);
  expect(again.headers).toMatchObject({ 'idempotent-replayed': 'true', 'idempotent-response-kept': 'false' });
  expect(JSON.parse(again.rawBody!)).toMatchObject({ replayed: true, message: expect.stringMatching(/too large to keep/) });
});

it('the inline limit leaves room in the item for the key, fingerprint and headers', () => {
  expect(INLINE_BODY_BYTES + 8 * 1024).toBeLessThan(ITEM_LIMIT);
  expect(GZIPPED_BODY_BYTES + 8 * 1024).toBeLessThan(ITEM_LIMIT);
});
