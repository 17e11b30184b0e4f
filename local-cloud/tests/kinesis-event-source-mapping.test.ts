// Lambda's Kinesis event source mapping as the telemetry ingest relies on it: batches up to batchSize gathered
// within the batching window, the Kinesis event shape, one partition key's records in order and never in two
// batches at once (parallelizationFactor lanes running side by side), partial batch responses retried from the
// lowest failed sequence number, failed batches retried and, after maximumRetryAttempts, their place in the stream
// sent to the on-failure queue while the lane goes on.
import { createKinesisEmulator, hashKeyOf, startKinesisEventSources, type KinesisEmulator, type KinesisEventRecord, type KinesisEventSources } from '../kinesis';
import type { KinesisEventDefinition } from '../service-definition';
import { createSqsEmulator, type SqsEmulator } from '../sqs';
import type { InvokeResult } from '../types';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const STREAM_ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/telemetry';

let kinesis: KinesisEmulator;
let sqs: SqsEmulator;
let sources: KinesisEventSources[];
let batches: KinesisEventRecord[][];
let logged: string[];

beforeEach(() => {
  // No retention: what every mapping checkpointed is dropped at once, so the tests see what the mappings hold.
  kinesis = createKinesisEmulator({ retention: { ms: 0 } });
  kinesis.createStream({ name: 'telemetry', shardCount: 1 });
  sqs = createSqsEmulator({ edgeUrl: 'http://127.0.0.1:1' });
  sqs.createQueue('telemetry-dlq');
  sources = [];
  batches = [];
  logged = [];
});

afterEach(async () => {
  await Promise.all(sources.map((s) => s.stop()));
});

type Answer = (records: KinesisEventRecord[]) => InvokeResult | Promise<InvokeResult>;

/** Starts a mapping of function `ingest` whose function records each batch and answers with `answer(records)`. */
function start(mapping: Partial<KinesisEventDefinition>, answer: Answer = ok, functionName = 'ingest', retryDelayMs = 10) {
  const started = startKinesisEventSources({
    kinesis,
    sqs,
    invokeLambda: async (_name, event) => {
      const records = (event as { Records: KinesisEventRecord[] }).Records;
      batches.push(records);
      return answer(records);
    },
    mappings: [
      {
        functionName,
        streamName: 'telemetry',
        batchSize: 100,
        maximumBatchingWindowS: 0,
        parallelizationFactor: 1,
        startingPosition: 'LATEST',
        reportBatchItemFailures: true,
        maximumRetryAttempts: -1,
        enabled: true,
        ...mapping,
      },
    ],
    log: (message) => logged.push(message),
    retryDelayMs,
  });
  sources.push(started);
  return started;
}

const ok = (): InvokeResult => ({ ok: true, payload: { batchItemFailures: [] } });
const put = (key: string, body: string) => kinesis.putRecord('telemetry', key, Buffer.from(body));
const bodyOf = (record: KinesisEventRecord) => Buffer.from(record.kinesis.data, 'base64').toString();
const bodies = () => batches.map((batch) => batch.map(bodyOf));
const failing = (...sequenceNumbers: string[]): InvokeResult => ({ ok: true, payload: { batchItemFailures: sequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })) } });

it('gathers up to batchSize records within the batching window into one invocation, in the Kinesis event shape', async () => {
  const mapping = start({ batchSize: 100, maximumBatchingWindowS: 0.3 });
  const puts = Array.from({ length: 250 }, (_, i) => put(`device-${i % 7}`, JSON.stringify({ i })));
  await mapping.idle();
  expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
  expect(batches.flat().map((r) => JSON.parse(bodyOf(r)).i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
  expect(batches[0]![0]).toEqual({
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: 'device-0',
      sequenceNumber: puts[0]!.sequenceNumber,
      data: Buffer.from('{"i":0}').toString('base64'),
      approximateArrivalTimestamp: expect.any(Number),
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${puts[0]!.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/local',
    awsRegion: 'us-east-1',
    eventSourceARN: STREAM_ARN,
  });
  expect(Math.abs(batches[0]![0]!.kinesis.approximateArrivalTimestamp - Date.now() / 1000)).toBeLessThan(5);
  expect(mapping.stats().ingest).toEqual({ invocations: 3, failedInvocations: 0, records: 250, reportedFailures: 0, retries: 0, sentToOnFailure: 0, checkpointed: 250 });
});

it('a record trickling in waits for the window after the first one, not for a full batch; window 0 invokes at once', async () => {
  const windowed = start({ maximumBatchingWindowS: 0.3 });
  const first = Date.now();
  put('k', 'a');
  await new Promise(setImmediate); // the lane has 'a' and waits out the window
  put('k', 'b');
  await windowed.idle();
  expect(bodies()).toEqual([['a', 'b']]);
  expect(Date.now() - first).toBeGreaterThanOrEqual(290);

  await windowed.stop();
  batches = [];
  const immediate = start({ maximumBatchingWindowS: 0 });
  put('k', 'c');
  await sleep(30);
  put('k', 'd');
  await immediate.idle();
  expect(bodies()).toEqual([['c'], ['d']]);
});

it('starts at LATEST: records put before the mapping started are not delivered', async () => {
  put('k', 'before');
  const mapping = start({});
  put('k', 'after');
  await mapping.idle();
  expect(bodies()).toEqual([['after']]);
});

it("keeps one partition key's records in order and never in two batches at once, while the lanes run side by side", async () => {
  const keys = Array.from({ length: 11 }, (_, i) => `site/device-${i}`);
  // parallelizationFactor 2: both lanes get keys.
  expect(new Set(keys.map((k) => hashKeyOf(k).keyHash % 2))).toEqual(new Set([0, 1]));
  const inFlight = new Set<string>();
  const overlaps: string[] = [];
  let concurrent = 0;
  let mostConcurrent = 0;
  const mapping = start({ batchSize: 5, parallelizationFactor: 2 }, async (records) => {
    const batchKeys = new Set(records.map((r) => r.kinesis.partitionKey));
    for (const key of batchKeys) {
      if (inFlight.has(key)) overlaps.push(key);
      inFlight.add(key);
    }
    mostConcurrent = Math.max(mostConcurrent, ++concurrent);
    await sleep(15);
    concurrent--;
    for (const key of batchKeys) inFlight.delete(key);
    return ok();
  });
  for (let n = 0; n < 10; n++) for (const key of keys) put(key, String(n));
  await mapping.idle();
  expect(overlaps).toEqual([]);
  expect(mostConcurrent).toBe(2);
  const delivered = batches.flat();
  expect(delivered).toHaveLength(110);
  for (const key of keys) {
    expect(delivered.filter((r) => r.kinesis.partitionKey === key).map(bodyOf)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  }
  // Within a batch, in sequence order.
  for (const batch of batches) {
    const sequence = batch.map((r) => BigInt(r.kinesis.sequenceNumber));
    expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : 1)));
  }
});

it('a partial batch response retries from the lowest failed sequence number, with the records after it; those before are not redelivered', async () => {
  let calls = 0;
  const puts: Array<{ sequenceNumber: string }> = [];
  const mapping = start({ batchSize: 10 }, async (records) => {
    if (calls++ > 0) return ok();
    // While the first batch runs, more records arrive: the retry batch takes them too.
    puts.push(put('k', 'r6'), put('k', 'r7'));
    return failing(records[4]!.kinesis.sequenceNumber, records[3]!.kinesis.sequenceNumber);
  });
  for (let i = 0; i < 6; i++) puts.push(put('k', `r${i}`));
  await mapping.idle();
  expect(bodies()).toEqual([
    ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'],
    ['r3', 'r4', 'r5', 'r6', 'r7'],
  ]);
  expect(mapping.stats().ingest).toMatchObject({ invocations: 2, failedInvocations: 0, records: 11, reportedFailures: 2, retries: 1, checkpointed: 8 });
});

it('an itemIdentifier that is empty, not a string or not in the batch fails the whole batch: it is retried from its first record', async () => {
  const answers = [failing('not-in-the-batch'), failing(''), { ok: true, payload: { batchItemFailures: [{ itemIdentifier: 7 }] } } as InvokeResult, ok()];
  const mapping = start({}, () => answers.shift()!);
  put('k', 'a');
  put('k', 'b');
  await mapping.idle();
  expect(bodies()).toEqual([
    ['a', 'b'],
    ['a', 'b'],
    ['a', 'b'],
    ['a', 'b'],
  ]);
  expect(mapping.stats().ingest).toMatchObject({ invocations: 4, failedInvocations: 3, retries: 3, checkpointed: 2 });
  expect(logged.filter((m) => m.includes('invalid batchItemFailures'))).toHaveLength(3);
});

it('a null or absent batchItemFailures counts as success; without ReportBatchItemFailures the payload is not read', async () => {
  const answers: InvokeResult[] = [{ ok: true, payload: null }, { ok: true, payload: {} }];
  const mapping = start({}, () => answers.shift() ?? ok());
  put('k', 'a');
  await sleep(10);
  put('k', 'b');
  await mapping.idle();
  expect(bodies()).toEqual([['a'], ['b']]);

  await mapping.stop();
  batches = [];
  const plain = start({ reportBatchItemFailures: false }, (records) => failing(records[0]!.kinesis.sequenceNumber));
  put('k', 'c');
  await plain.idle();
  expect(bodies()).toEqual([['c']]);
  expect(plain.stats().ingest).toMatchObject({ retries: 0, checkpointed: 1 });
});

it('a failed invocation is retried; after maximumRetryAttempts the on-failure record goes to the queue and later records still flow', async () => {
  const mapping = start({ batchSize: 2, maximumRetryAttempts: 2, onFailureQueueName: 'telemetry-dlq' }, (records) =>
    records.some((r) => bodyOf(r) === 'poison') ? { ok: false, error: 'Error: boom' } : ok(),
  );
  const first = put('k', 'poison');
  const second = put('k', 'a');
  put('k', 'b');
  put('k', 'c');
  await mapping.idle();
  expect(bodies()).toEqual([['poison', 'a'], ['poison', 'a'], ['poison', 'a'], ['b', 'c']]);
  const [message] = sqs.receive(sqs.queue('telemetry-dlq')!, 10);
  const failure = JSON.parse(message!.body);
  expect(failure).toEqual({
    requestContext: {
      requestId: expect.any(String),
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:ingest',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 3,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    KinesisBatchInfo: {
      shardId: 'shardId-000000000000',
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: second.sequenceNumber,
      approximateArrivalOfFirstRecord: expect.stringMatching(/Z$/),
      approximateArrivalOfLastRecord: expect.stringMatching(/Z$/),
      batchSize: 2,
      streamArn: STREAM_ARN,
    },
  });
  expect(mapping.stats().ingest).toEqual({ invocations: 4, failedInvocations: 3, records: 8, reportedFailures: 0, retries: 2, sentToOnFailure: 1, checkpointed: 4 });
  expect(logged.filter((m) => m.includes('invocation failed'))).toHaveLength(3);
  expect(logged.filter((m) => m.includes('on-failure queue'))).toHaveLength(1);
});

it('a batch that failed as a whole is retried as it was; one whose first record was reported failed is gathered anew', async () => {
  let calls = 0;
  const mapping = start({}, (records) => {
    if (++calls === 1) {
      put('k', 'c'); // arrives while the batch runs
      return { ok: false, error: 'Error: boom' };
    }
    if (calls === 2) {
      put('k', 'd');
      return failing(records[0]!.kinesis.sequenceNumber);
    }
    return ok();
  });
  put('k', 'a');
  put('k', 'b');
  await mapping.idle();
  expect(bodies()).toEqual([['a', 'b'], ['a', 'b'], ['a', 'b', 'c', 'd']]);
});

it('a record failing at the head of its retries is skipped from there, the records checkpointed before it are not in the on-failure record', async () => {
  const mapping = start({ maximumRetryAttempts: 1, onFailureQueueName: 'telemetry-dlq' }, (records) => {
    const bad = records.find((r) => bodyOf(r) === 'bad');
    return bad ? failing(bad.kinesis.sequenceNumber) : ok();
  });
  put('k', 'good');
  const bad = put('k', 'bad');
  const last = put('k', 'after');
  await mapping.idle();
  expect(bodies()).toEqual([['good', 'bad', 'after'], ['bad', 'after']]);
  const failure = JSON.parse(sqs.receive(sqs.queue('telemetry-dlq')!, 10)[0]!.body);
  expect(failure.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
  expect(failure.requestContext.approximateInvokeCount).toBe(2);
  expect(failure.KinesisBatchInfo).toMatchObject({ startSequenceNumber: bad.sequenceNumber, endSequenceNumber: last.sequenceNumber, batchSize: 2 });
  expect(mapping.stats().ingest).toMatchObject({ retries: 1, sentToOnFailure: 1, checkpointed: 3 });
});

it('retries without limit at -1; with no on-failure queue, exhausted retries are logged', async () => {
  let failures = 6;
  const unlimited = start({ maximumRetryAttempts: -1 }, () => (failures-- > 0 ? { ok: false, error: 'Error: flaky' } : ok()));
  put('k', 'a');
  await unlimited.idle();
  expect(bodies()).toHaveLength(7);
  await unlimited.stop();

  const logging = start({ maximumRetryAttempts: 0 }, () => ({ ok: false, error: 'Error: boom' }));
  put('k', 'b');
  await logging.idle();
  expect(logging.stats().ingest).toMatchObject({ invocations: 1, retries: 0, sentToOnFailure: 0, checkpointed: 1 });
  expect(logged.some((m) => m.includes('retries exhausted') && m.includes('no on-failure destination'))).toBe(true);
});

it('idle() waits for the invocation in flight and the records not yet handed over; the stream then drops what every mapping checkpointed', async () => {
  let release = () => undefined as void;
  const blocked = new Promise<void>((resolve) => (release = resolve));
  const fast = start({}, ok, 'fast');
  const slow = start({}, async () => {
    await blocked;
    return ok();
  }, 'slow');
  await Promise.all([fast.idle(), slow.idle()]); // nothing to do: at once
  put('k', 'a');
  put('k', 'b');
  await fast.idle();
  const shard = kinesis.stream('telemetry')!.shards[0]!;
  // The slow mapping has not checkpointed them: the stream keeps them.
  expect(shard.size).toBe(2);
  let idle = false;
  const waiting = slow.idle().then(() => (idle = true));
  await sleep(30);
  expect(idle).toBe(false);
  release();
  await waiting;
  expect(slow.stats().slow!.checkpointed).toBe(2);
  expect(shard.size).toBe(0);
});

it('stop() ends promptly, a lane waiting out a long batching window or a back-off included', async () => {
  const windowed = start({ maximumBatchingWindowS: 300 });
  // Back-off: 1 s (capped) from the first failure on.
  const retrying = start({ maximumRetryAttempts: -1 }, () => ({ ok: false, error: 'Error: boom' }), 'retrying', 5_000);
  put('k', 'a');
  await sleep(20);
  expect(batches).toHaveLength(1);
  const before = Date.now();
  await Promise.all([windowed.stop(), retrying.stop()]);
  expect(Date.now() - before).toBeLessThan(500);
  expect(await windowed.idle()).toBeUndefined();
});

it('a batch stays under the 6 MB invocation payload', async () => {
  const mapping = start({ batchSize: 10 });
  const megabyte = 'x'.repeat(1024 * 1024);
  for (let i = 0; i < 6; i++) put('k', megabyte);
  await mapping.idle();
  // 1 MiB of data is about 1.4 MB of base64: four of them fit in 6 MB, five do not.
  expect(batches.map((b) => b.length)).toEqual([4, 2]);
});

it('an unknown stream stops the start; a disabled mapping reads nothing', () => {
  expect(() => start({ streamName: 'nope' })).toThrow(/unknown stream nope/);
  const disabled = start({ enabled: false });
  put('k', 'a');
  expect(disabled.stats()).toEqual({});
  expect(kinesis.stream('telemetry')!.shards[0]!.size).toBe(0);
});
