// The DynamoDB stream event source mapping emulation against a real DynamoDB Local: filter criteria, batch size,
// order, partial batch responses (retry from the first failed record), bisection, the retry limit, pause and
// resume, and stop().
import { CreateTableCommand, DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal, type DynamoDbLocal } from '../dynamodb-local';
import { compileFilters, startStreamPoller, streamMappingsOf, UnsupportedFilterError, type StreamMapping, type StreamPoller } from '../dynamodb-streams';
import type { InvokeResult } from '../types';

// Not a port the stack or other suites use by default (ports.ts); BRIGADE_TEST_DYNAMODB_PORT moves it.
const PORT = Number(process.env.BRIGADE_TEST_DYNAMODB_PORT ?? 27081);
const OUTBOX_FILTER = { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: ['OUTBOX'] } } } };

let db: DynamoDbLocal;
let tableCount = 0;

beforeAll(async () => {
  db = await startDynamoDbLocal({ port: PORT });
}, 60_000);
afterAll(() => db?.stop());

type Received = Array<{ Records: Array<{ eventName: string; dynamodb: { SequenceNumber: string; NewImage?: Record<string, { S?: string }> } }> }>;

/** A fresh table with a stream, a poller on it and a fake function that records its batches and answers `answer`. */
async function setUp(
  mapping: Partial<StreamMapping>,
  answer: (batch: Received[number], call: number) => InvokeResult = () => ({ ok: true, payload: null }),
  beforeStart: (put: (pk: string) => Promise<unknown>) => Promise<void> = async () => undefined,
  maxIdleIntervalMs?: number,
) {
  const tableName = `streams-${++tableCount}`;
  await db.client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  const put = (pk: string, sk = 'OUTBOX') => db.client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: pk }, sk: { S: sk } } }));
  await beforeStart(put);
  const received: Received = [];
  const poller: StreamPoller = await startStreamPoller({
    endpoint: db.endpoint,
    pollIntervalMs: 20,
    maxIdleIntervalMs,
    retryDelayMs: 5,
    mappings: [
      {
        functionName: 'relay',
        tableName,
        batchSize: 10,
        filterPatterns: [OUTBOX_FILTER],
        reportBatchItemFailures: true,
        bisectOnError: false,
        maximumRetryAttempts: -1,
        maximumRecordAgeSeconds: -1,
        ...mapping,
      },
    ],
    invokeLambda: async (_name, event) => {
      const batch = event as Received[number];
      received.push(batch);
      return answer(batch, received.length);
    },
  });
  const remove = (pk: string, sk = 'OUTBOX') => db.client.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: sk } } }));
  return { poller, received, put, remove, pks: (batch: Received[number]) => batch.Records.map((r) => r.dynamodb.NewImage?.pk?.S) };
}

describe('DynamoDB stream event source mappings (local cloud)', () => {
  it('delivers only records that match the filter, in order, in batches of at most batchSize', async () => {
    const { poller, received, put, remove, pks } = await setUp({ batchSize: 4 });
    try {
      for (let i = 1; i <= 9; i++) await put(`e${i}`);
      await put('order-1', 'ORDER');
      await remove('e1');
      await poller.idle();
      expect(received.every((batch) => batch.Records.length <= 4)).toBe(true);
      expect(received.flatMap(pks)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9']);
      expect(received.flatMap((b) => b.Records.map((r) => r.eventName))).toEqual(Array(9).fill('INSERT'));
      expect(poller.counters()).toMatchObject({ delivered: 9, retried: 0, dropped: 0 });
    } finally {
      await poller.stop();
    }
  }, 30_000);

  it('retries from the lowest failed sequence number of a partial batch response', async () => {
    let failedOnce = false;
    const { poller, received, put, pks } = await setUp({}, (batch) => {
      const b = batch.Records.find((r) => r.dynamodb.NewImage?.pk?.S === 'b');
      if (failedOnce || !b) return { ok: true, payload: { batchItemFailures: [] } };
      failedOnce = true;
      return { ok: true, payload: { batchItemFailures: [{ itemIdentifier: b.dynamodb.SequenceNumber }] } };
    });
    try {
      for (const pk of ['a', 'b', 'c']) await put(pk);
      await poller.idle();
      const all = received.flatMap(pks);
      // Only 'b' failed: it is delivered again, 'a' (before it) is not.
      expect(all.filter((pk) => pk === 'a')).toHaveLength(1);
      expect(all.filter((pk) => pk === 'b')).toHaveLength(2);
      const failedAt = received.findIndex((batch) => pks(batch).includes('b'));
      expect(pks(received[failedAt + 1]!)[0]).toBe('b');
      expect(all).toContain('c');
      expect(poller.counters()).toMatchObject({ dropped: 0, retried: expect.any(Number) });
      expect(poller.counters().retried).toBeGreaterThanOrEqual(1);
    } finally {
      await poller.stop();
    }
  }, 30_000);

  it('splits a failing batch when bisecting and drops a record after maximumRetryAttempts', async () => {
    const { poller, received, put, pks } = await setUp({ bisectOnError: true, maximumRetryAttempts: 2 }, (batch) =>
      batch.Records.some((r) => r.dynamodb.NewImage?.pk?.S === 'poison') ? { ok: false, error: 'Error: cannot publish' } : { ok: true, payload: null },
    );
    try {
      for (const pk of ['ok-1', 'poison', 'ok-2', 'ok-3']) await put(pk);
      await poller.idle();
      const delivered = received.filter((b) => !pks(b).includes('poison')).flatMap(pks);
      expect(new Set(delivered)).toEqual(new Set(['ok-1', 'ok-2', 'ok-3']));
      // The first call and 2 retries, never more.
      expect(received.filter((b) => pks(b).includes('poison'))).toHaveLength(3);
      expect(poller.counters().dropped).toBe(1);
    } finally {
      await poller.stop();
    }
  }, 30_000);

  it('delivers nothing written before the poller started (LATEST), everything after', async () => {
    const { poller, received, put, pks } = await setUp({}, undefined, async (putBefore) => {
      for (const pk of ['old-1', 'old-2']) await putBefore(pk);
    });
    try {
      await put('new-1');
      await poller.idle();
      expect(received.flatMap(pks)).toEqual(['new-1']);
    } finally {
      await poller.stop();
    }
  }, 30_000);

  it('keeps reading a shard that was empty while other tables wrote (DynamoDB Local numbers records across tables)', async () => {
    const other = await setUp({});
    const { poller, received, put, pks } = await setUp({});
    try {
      for (let i = 0; i < 5; i++) await other.put(`elsewhere-${i}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await put('here');
      await poller.idle();
      expect(received.flatMap(pks)).toEqual(['here']);
    } finally {
      await Promise.all([poller.stop(), other.poller.stop()]);
    }
  }, 30_000);

  it('delivers a write that lands while an idle shard backs off', async () => {
    const { poller, received, put, pks } = await setUp({}, undefined, undefined, 10 * 60_000);
    try {
      await put('first');
      await poller.idle();
      await new Promise((resolve) => setTimeout(resolve, 300)); // several empty reads: the shard is backing off
      await put('while-backing-off');
      await poller.idle();
      expect(received.flatMap(pks)).toEqual(['first', 'while-backing-off']);
    } finally {
      await poller.stop();
    }
  }, 10_000);

  it('reads nothing while paused, and everything written meanwhile, in order, once resumed', async () => {
    const { poller, received, put, pks } = await setUp({});
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      await put('before');
      await poller.idle();
      poller.pause();
      await sleep(100); // a read already sent when pausing is delivered; none after it
      for (const pk of ['p1', 'p2', 'p3']) await put(pk);
      const idle = poller.idle().then(() => 'idle');
      expect(await Promise.race([idle, sleep(400).then(() => 'still waiting')])).toBe('still waiting');
      expect(received.flatMap(pks)).toEqual(['before']);
      poller.resume();
      expect(await idle).toBe('idle');
      expect(received.flatMap(pks)).toEqual(['before', 'p1', 'p2', 'p3']);
    } finally {
      await poller.stop();
    }
  }, 10_000);

  it('stops polling on stop()', async () => {
    const { poller, received, put } = await setUp({});
    await poller.stop();
    await put('after-stop');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toEqual([]);
  }, 30_000);
});

describe('filter criteria', () => {
  it('matches literals, nested fields and the operators, and refuses an operator it does not know', () => {
    const accepts = compileFilters([OUTBOX_FILTER, { dynamodb: { NewImage: { pk: { S: [{ prefix: 'SITE#' }] } } }, eventName: [{ 'anything-but': ['REMOVE'] }] }]);
    const record = (eventName: string, pk: string, sk: string) => ({ eventName, dynamodb: { NewImage: { pk: { S: pk }, sk: { S: sk } } } });
    expect(accepts(record('INSERT', 'x', 'OUTBOX'))).toBe(true);
    expect(accepts(record('MODIFY', 'x', 'OUTBOX'))).toBe(false);
    expect(accepts(record('MODIFY', 'SITE#1', 'ORDER'))).toBe(true);
    expect(accepts(record('REMOVE', 'SITE#1', 'ORDER'))).toBe(false);
    expect(compileFilters([{ dynamodb: { Keys: [{ exists: false }] } }])({ dynamodb: {} })).toBe(true);
    expect(compileFilters([{ n: [{ numeric: ['>', 0, '<=', 5] }] }])({ n: 5 })).toBe(true);
    expect(() => compileFilters([{ a: [{ wildcard: '*' }] }])).toThrow(UnsupportedFilterError);
  });

  it('reads the mappings from the service: stream events on the service own tables', () => {
    const service = {
      service: 's',
      provider: { stage: 'local' },
      functions: {
        relay: {
          name: 's-local-relay',
          handler: 'h',
          events: [{ stream: { type: 'dynamodb', arn: { 'Fn::GetAtt': ['OrdersTable', 'StreamArn'] }, batchSize: 25, functionResponseType: 'ReportBatchItemFailures', filterPatterns: [OUTBOX_FILTER] } }],
        },
      },
    };
    expect(streamMappingsOf(service, [{ logicalId: 'OrdersTable', properties: { TableName: 's-local-orders' } }])).toEqual([
      {
        functionName: 's-local-relay',
        tableName: 's-local-orders',
        batchSize: 25,
        filterPatterns: [OUTBOX_FILTER],
        reportBatchItemFailures: true,
        bisectOnError: false,
        maximumRetryAttempts: -1,
        maximumRecordAgeSeconds: -1,
      },
    ]);
  });
});
