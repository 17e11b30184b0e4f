// Lambda's SQS event source mapping as the telemetry ingest relies on it: batches up to batchSize gathered within
// the batching window, one invocation each, the SQS event shape; partial batch responses delete only the
// successes; a failed invocation deletes nothing; what is not deleted comes back after the visibility timeout
// with its receive count up, then goes to the DLQ after maxReceiveCount.
import { createSqsEmulator, failedIds, startSqsEventSources, type SqsEmulator, type SqsEventSources, type SqsRecord } from '../sqs';
import type { InvokeResult } from '../types';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:telemetry-dlq';

let sqs: SqsEmulator;
let sources: SqsEventSources | undefined;
let batches: SqsRecord[][];

beforeEach(() => {
  sqs = createSqsEmulator({ edgeUrl: 'http://127.0.0.1:1' });
  sqs.createQueue('telemetry-dlq');
  batches = [];
});

afterEach(async () => {
  await sources?.stop();
  sources = undefined;
});

/** Starts a mapping whose function records each batch and answers with `answer(records)`. */
function start(options: { batchSize: number; windowS?: number; pollers?: number; visibilityS?: number; maxReceiveCount?: number }, answer: (records: SqsRecord[]) => InvokeResult) {
  sqs.createQueue('telemetry', {
    VisibilityTimeout: String(options.visibilityS ?? 30),
    ...(options.maxReceiveCount && { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: options.maxReceiveCount }) }),
  });
  sources = startSqsEventSources({
    sqs,
    invokeLambda: async (_name, event) => {
      const records = (event as { Records: SqsRecord[] }).Records;
      batches.push(records);
      return answer(records);
    },
    mappings: [
      {
        functionName: 'ingest',
        queue: 'telemetry',
        batchSize: options.batchSize,
        maximumBatchingWindowS: options.windowS,
        reportBatchItemFailures: true,
        maximumConcurrency: options.pollers,
      },
    ],
    log: () => undefined,
  });
  return sources;
}

const ok = (): InvokeResult => ({ ok: true, payload: { batchItemFailures: [] } });
const depth = (name: string) => sqs.queue(name)!.counts();

it('gathers up to batchSize messages within the batching window into one invocation, in the SQS event shape', async () => {
  const mapping = start({ batchSize: 100, windowS: 0.3, pollers: 1 }, ok);
  for (let i = 0; i < 250; i++) sqs.sendMessage('telemetry', JSON.stringify({ i }));
  await mapping.idle();
  expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
  expect(batches.flat().map((r) => JSON.parse(r.body).i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
  expect(batches[0]![0]).toMatchObject({
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:telemetry',
    attributes: { ApproximateReceiveCount: '1' },
    messageId: expect.any(String),
    receiptHandle: expect.any(String),
  });
  expect(depth('telemetry')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  expect(mapping.stats().ingest).toMatchObject({ invocations: 3, messages: 250, deleted: 250 });
});

it('a message trickling in waits for the window, not for a full batch', async () => {
  const mapping = start({ batchSize: 100, windowS: 0.2, pollers: 1 }, ok);
  sqs.sendMessage('telemetry', 'a');
  await sleep(50);
  sqs.sendMessage('telemetry', 'b');
  await mapping.idle();
  expect(batches.map((b) => b.map((r) => r.body))).toEqual([['a', 'b']]);
});

it('a partial batch response deletes the successes only; the failures come back after the visibility timeout', async () => {
  let calls = 0;
  const mapping = start({ batchSize: 10, pollers: 1, visibilityS: 1 }, (records) =>
    calls++ === 0 ? { ok: true, payload: { batchItemFailures: records.filter((r) => r.body.startsWith('bad')).map((r) => ({ itemIdentifier: r.messageId })) } } : ok(),
  );
  for (const body of ['good-1', 'bad-1', 'good-2', 'bad-2']) sqs.sendMessage('telemetry', body);
  await mapping.idle();
  expect(depth('telemetry')).toMatchObject({ visible: 0, inFlight: 2 });
  await sleep(1_200);
  await mapping.idle();
  expect(batches.map((b) => b.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`))).toEqual([
    ['good-1#1', 'bad-1#1', 'good-2#1', 'bad-2#1'],
    ['bad-1#2', 'bad-2#2'],
  ]);
  expect(depth('telemetry')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
});

it('a failed invocation deletes nothing; a message that keeps failing lands in the DLQ after maxReceiveCount receives', async () => {
  const mapping = start({ batchSize: 10, pollers: 1, visibilityS: 0, maxReceiveCount: 3 }, (records) =>
    records.some((r) => r.body === 'poison') ? { ok: false, error: 'Error: boom' } : ok(),
  );
  sqs.sendMessage('telemetry', 'poison');
  await sleep(300);
  await mapping.idle();
  expect(batches.map((b) => b[0]!.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
  expect(depth('telemetry')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  expect(depth('telemetry-dlq').visible).toBe(1);
  expect(mapping.stats().ingest).toMatchObject({ invocations: 3, failedInvocations: 3, deleted: 0 });
});

it('several pollers invoke concurrently, each message handed to one of them', async () => {
  let running = 0;
  let most = 0;
  sqs.createQueue('telemetry', { VisibilityTimeout: '30' });
  sources = startSqsEventSources({
    sqs,
    invokeLambda: async (_name, event) => {
      most = Math.max(most, ++running);
      await sleep(50);
      running--;
      batches.push((event as { Records: SqsRecord[] }).Records);
      return ok();
    },
    mappings: [{ functionName: 'ingest', queue: 'telemetry', batchSize: 10, reportBatchItemFailures: true }],
    log: () => undefined,
  });
  for (let i = 0; i < 100; i++) sqs.sendMessage('telemetry', String(i));
  await sources.idle();
  expect(most).toBeGreaterThan(1);
  expect(batches.flat().map((r) => Number(r.body)).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
});

it('an invalid partial batch response (an id not in the batch) fails the whole batch, as Lambda does', () => {
  const batch = new Map([['m1', 'h1']]);
  expect(failedIds({ batchItemFailures: [{ itemIdentifier: 'm1' }] }, batch)).toEqual(new Set(['m1']));
  expect(failedIds({ batchItemFailures: [] }, batch)).toEqual(new Set());
  expect(failedIds(null, batch)).toEqual(new Set());
  expect(failedIds({ batchItemFailures: [{ itemIdentifier: 'other' }] }, batch)).toBeUndefined();
  expect(failedIds({ batchItemFailures: [{ itemIdentifier: '' }] }, batch)).toBeUndefined();
});

it('receives nothing for a paused function, and everything that arrived meanwhile once resumed', async () => {
  const mapping = start({ batchSize: 10, windowS: 0.05, pollers: 2 }, ok);
  sqs.sendMessage('telemetry', 'before');
  await mapping.idle();
  expect(mapping.pause('ingest')).toBe(true);
  for (let i = 0; i < 25; i++) sqs.sendMessage('telemetry', `paused-${i}`);
  await sleep(400); // several idle polls and windows: a poller that ignored the pause would have received by now
  expect(batches.flat().map((r) => r.body)).toEqual(['before']);
  expect(depth('telemetry')).toEqual({ visible: 25, inFlight: 0, delayed: 0 });
  mapping.resume('ingest');
  await mapping.idle();
  expect(batches.flat().map((r) => r.body).sort()).toEqual(['before', ...Array.from({ length: 25 }, (_, i) => `paused-${i}`)].sort());
  expect(mapping.stats().ingest).toMatchObject({ messages: 26, deleted: 26 });
});

it('a function with no SQS mapping cannot be paused', () => {
  const mapping = start({ batchSize: 10 }, ok);
  expect(mapping.pause('archiveEvents')).toBe(false);
});

it('stop() ends pollers waiting on a pause', async () => {
  const mapping = start({ batchSize: 10, pollers: 3 }, ok);
  mapping.pause('ingest');
  await sleep(300);
  await mapping.stop();
  sources = undefined;
  expect(batches).toEqual([]);
});
