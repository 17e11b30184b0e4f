// Lambda's Kinesis event source mapping, locally. Per mapping and shard, `parallelizationFactor` lanes; a record
// goes to the lane its partition key hashes to, so one key's records are always in the same lane, in sequence
// order, and a lane runs one batch at a time: a key is never in two batches at once. Lanes run concurrently.
// A lane gathers up to `batchSize` records (and at most 6 MB of event), waiting at most `maximumBatchingWindowS`
// after its first record arrived, and invokes the function once with the Kinesis event. Success checkpoints the
// batch; with ReportBatchItemFailures, the records before the lowest failed sequence number, and the lane goes on
// from that record (a new batch from there). A failed invocation, or an invalid partial response, retries the
// same batch. After `maximumRetryAttempts` retries of a batch starting at the same record, the
// batch's place in the stream goes to the on-failure queue (AWS's record; not the records themselves) and the lane
// skips it. The stream drops a record once every mapping of it has checkpointed past it.
import { randomUUID } from 'node:crypto';
import type { KinesisEventDefinition } from '../service-definition';
import { failedIds } from '../sqs/event-source-mapping';
import type { InvokeResult, LambdaInvoker } from '../types';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../types';
import type { KinesisEmulator } from './kinesis-service';
import { Signal, type KinesisRecord, type KinesisShard, type KinesisStream } from './stream';

/** Lambda's limit on a synchronous invocation's payload, which a batch must fit in. */
export const MAX_BATCH_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** The event record's JSON around the data and partition key (field names, sequence number, event id, ARNs). */
const RECORD_OVERHEAD_BYTES = 512;
const DEFAULT_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 1_000;

/** One record of the event, as Lambda hands it to the function. */
export interface KinesisEventRecord {
  kinesis: {
    kinesisSchemaVersion: '1.0';
    partitionKey: string;
    sequenceNumber: string;
    /** base64 */
    data: string;
    /** Epoch seconds. */
    approximateArrivalTimestamp: number;
  };
  eventSource: 'aws:kinesis';
  eventVersion: '1.0';
  /** `<shardId>:<sequenceNumber>` */
  eventID: string;
  eventName: 'aws:kinesis:record';
  invokeIdentityArn: string;
  awsRegion: string;
  eventSourceARN: string;
}

/** What Lambda sends to the on-failure destination when a batch's retries run out. */
export interface KinesisOnFailureRecord {
  requestContext: { requestId: string; functionArn: string; condition: 'RetryAttemptsExhausted'; approximateInvokeCount: number };
  responseContext: { statusCode: number; executedVersion: '$LATEST'; functionError?: string };
  version: '1.0';
  /** ISO 8601 */
  timestamp: string;
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export interface KinesisMappingStats {
  invocations: number;
  /** Invocations that failed, or whose partial batch response was invalid (the whole batch failed). */
  failedInvocations: number;
  /** Records handed to the function, retries included. */
  records: number;
  /** Items named in valid `batchItemFailures`. */
  reportedFailures: number;
  /** Batches retried (after a failure or a partial batch response). */
  retries: number;
  /** Batches whose retries ran out and whose on-failure record went to the on-failure queue. */
  sentToOnFailure: number;
  /** Records the mapping checkpointed past: processed, or skipped once their retries ran out. */
  checkpointed: number;
}

export interface KinesisEventSources {
  /** Per function. */
  stats(): Record<string, KinesisMappingStats>;
  /** Resolves once no lane holds a record it has not checkpointed and no invocation runs. */
  idle(): Promise<void>;
  /** Finishes the invocations in flight and reads no more. */
  stop(): Promise<void>;
}

interface Entry {
  /** Absolute index in the shard. */
  index: number;
  record: KinesisRecord;
}

interface Lane {
  mapping: KinesisEventDefinition;
  stream: KinesisStream;
  shard: KinesisShard;
  number: number;
  /** Absolute index before which every record of this lane is checkpointed: where the next batch starts. */
  next: number;
  /** Holds records: gathering a batch, invoking, or backing off before a retry. */
  busy: boolean;
  /** The record the lane retries from, and how many times its batch failed. */
  retry?: { sequenceNumber: string; attempts: number };
  counters: KinesisMappingStats;
}

export function startKinesisEventSources(options: {
  kinesis: KinesisEmulator;
  /** Where on-failure records go (the SQS emulator). */
  sqs: { sendMessage(queueName: string, body: string): unknown };
  invokeLambda: LambdaInvoker;
  mappings: KinesisEventDefinition[];
  log: (message: string, extra?: object) => void;
  /** Back-off before a retry: this × the batch's failures so far, at most 1 s. */
  retryDelayMs?: number;
}): KinesisEventSources {
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  let running = true;
  const stats: Record<string, KinesisMappingStats> = {};
  const lanes: Lane[] = [];
  const unregisters: Array<() => void> = [];
  const changed = new Signal();
  // Timers the lanes wait on: stop() ends them, so stopping sits out no batching window or back-off.
  const timers = new Set<() => void>();
  const sleep = (ms: number) => {
    let wake = () => undefined as void;
    const promise = new Promise<void>((resolve) => {
      const timer = setTimeout(() => wake(), ms);
      wake = () => {
        clearTimeout(timer);
        timers.delete(wake);
        resolve();
      };
      timers.add(wake);
    });
    return { promise, cancel: () => wake() };
  };

  // Every stream looked up before any mapping registers on one: an unknown stream leaves nothing behind.
  const mapped = options.mappings
    .filter((m) => m.enabled)
    .map((mapping) => {
      const stream = options.kinesis.stream(mapping.streamName);
      if (!stream) throw new Error(`the kinesis event of ${mapping.functionName} refers to unknown stream ${mapping.streamName}`);
      return { mapping, stream };
    });
  for (const { mapping, stream } of mapped) {
    const counters = (stats[mapping.functionName] ??= {
      invocations: 0,
      failedInvocations: 0,
      records: 0,
      reportedFailures: 0,
      retries: 0,
      sentToOnFailure: 0,
      checkpointed: 0,
    });
    for (const shard of stream.shards) {
      const from = mapping.startingPosition === 'LATEST' ? shard.end : shard.start;
      const shardLanes = Array.from({ length: mapping.parallelizationFactor }, (_, number): Lane => ({ mapping, stream, shard, number, next: from, busy: false, counters }));
      lanes.push(...shardLanes);
      unregisters.push(shard.addReader(() => Math.min(...shardLanes.map((lane) => lane.next))));
    }
  }
  const loops = lanes.map((lane) => runLane(lane));

  async function runLane(lane: Lane): Promise<void> {
    // A batch that failed as a whole is retried as it was; after a partial failure the lane gathers anew.
    let again: Entry[] | undefined;
    while (running) {
      const batch = again ?? (await gather(lane));
      again = batch && running ? await deliver(lane, batch) : undefined;
    }
  }

  /** Moves the lane's checkpoint to `index`, past `count` records of its own. */
  function checkpoint(lane: Lane, index: number, count: number): void {
    lane.next = index;
    lane.counters.checkpointed += count;
    lane.shard.trim();
  }

  /**
   * The lane's next batch, from its checkpoint: its own records up to batchSize and the payload limit, once the
   * batch is full or the window after its first record's arrival has passed. Undefined when stopping.
   */
  async function gather(lane: Lane): Promise<Entry[] | undefined> {
    const { mapping, shard } = lane;
    const windowMs = mapping.maximumBatchingWindowS * 1000;
    const entries: Entry[] = [];
    let bytes = 0;
    let full = false;
    let scan = lane.next;
    while (running) {
      for (; scan < shard.end && !full; scan++) {
        const record = shard.at(scan)!;
        if (record.keyHash % mapping.parallelizationFactor !== lane.number) continue;
        const size = Math.ceil(record.data.length / 3) * 4 + record.partitionKey.length + lane.stream.arn.length + RECORD_OVERHEAD_BYTES;
        if (entries.length > 0 && bytes + size > MAX_BATCH_PAYLOAD_BYTES) break;
        entries.push({ index: scan, record });
        bytes += size;
        full = entries.length >= mapping.batchSize || bytes >= MAX_BATCH_PAYLOAD_BYTES;
      }
      full ||= scan < shard.end; // stopped by the payload limit
      if (entries.length === 0) {
        // Nothing of this lane up to the shard's end: the records in between are other lanes'.
        lane.next = scan;
        lane.busy = false;
        shard.trim();
        changed.fire();
        await shard.nextAppend();
        continue;
      }
      lane.next = entries[0]!.index;
      lane.busy = true;
      const left = entries[0]!.record.approximateArrivalTimestamp * 1000 + windowMs - Date.now();
      if (full || left <= 0) return entries;
      const nap = sleep(left);
      await Promise.race([nap.promise, shard.nextAppend()]);
      nap.cancel();
    }
    return undefined;
  }

  /** Invokes the function with the batch and checkpoints what succeeded; returns the batch when it is to be retried as is. */
  async function deliver(lane: Lane, batch: Entry[]): Promise<Entry[] | undefined> {
    const { mapping, counters, shard, stream } = lane;
    const records = batch.map((entry) => entry.record);
    counters.invocations++;
    counters.records += records.length;
    const event = { Records: records.map((record) => toEventRecord(record, shard.id, stream.arn)) };
    const result = await options.invokeLambda(mapping.functionName, event).catch((error: unknown): InvokeResult => ({ ok: false, error: String(error) }));
    const where = { function: mapping.functionName, stream: stream.name, shard: shard.id, records: records.length };
    // Where the retry starts in the batch (undefined: all of it succeeded), and whether the whole batch failed.
    let failedAt: number | undefined;
    let whole = false;
    if (!result.ok) {
      counters.failedInvocations++;
      [failedAt, whole] = [0, true];
      options.log('kinesis event source: invocation failed', { ...where, error: result.error.slice(0, 500) });
    } else if (mapping.reportBatchItemFailures) {
      const failed = failedIds(result.payload, new Map(records.map((r) => [r.sequenceNumber, r.sequenceNumber])));
      if (failed === undefined) {
        counters.failedInvocations++;
        [failedAt, whole] = [0, true];
        options.log('kinesis event source: invalid batchItemFailures; the whole batch counts as failed', where);
      } else if (failed.size > 0) {
        counters.reportedFailures += failed.size;
        failedAt = records.findIndex((r) => failed.has(r.sequenceNumber));
      }
    }
    const after = batch.at(-1)!.index + 1;
    if (failedAt === undefined) {
      lane.retry = undefined;
      checkpoint(lane, after, batch.length);
      return undefined;
    }
    if (failedAt > 0) checkpoint(lane, batch[failedAt]!.index, failedAt);
    const rest = records.slice(failedAt);
    const sequenceNumber = rest[0]!.sequenceNumber;
    const attempts = lane.retry?.sequenceNumber === sequenceNumber ? lane.retry.attempts + 1 : 1;
    lane.retry = { sequenceNumber, attempts };
    if (mapping.maximumRetryAttempts >= 0 && attempts > mapping.maximumRetryAttempts) {
      sendToOnFailure(lane, rest, attempts, result.ok ? undefined : 'Unhandled');
      lane.retry = undefined;
      checkpoint(lane, after, rest.length);
      return undefined;
    }
    counters.retries++;
    await sleep(Math.min(retryDelayMs * attempts, MAX_RETRY_DELAY_MS)).promise;
    return whole ? batch : undefined;
  }

  function sendToOnFailure(lane: Lane, records: KinesisRecord[], attempts: number, functionError: string | undefined): void {
    const { mapping, shard, stream } = lane;
    const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
    const failure: KinesisOnFailureRecord = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${mapping.functionName}`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: attempts,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(functionError && { functionError }) },
      version: '1.0',
      timestamp: new Date().toISOString(),
      KinesisBatchInfo: {
        shardId: shard.id,
        startSequenceNumber: records[0]!.sequenceNumber,
        endSequenceNumber: records.at(-1)!.sequenceNumber,
        approximateArrivalOfFirstRecord: iso(records[0]!.approximateArrivalTimestamp),
        approximateArrivalOfLastRecord: iso(records.at(-1)!.approximateArrivalTimestamp),
        batchSize: records.length,
        streamArn: stream.arn,
      },
    };
    const extra = { function: mapping.functionName, attempts, batch: failure.KinesisBatchInfo };
    if (!mapping.onFailureQueueName) {
      options.log('kinesis event source: retries exhausted; the batch is skipped (no on-failure destination)', extra);
      return;
    }
    try {
      options.sqs.sendMessage(mapping.onFailureQueueName, JSON.stringify(failure));
      lane.counters.sentToOnFailure++;
      options.log('kinesis event source: retries exhausted; the batch is skipped, its place in the stream sent to the on-failure queue', { ...extra, queue: mapping.onFailureQueueName });
    } catch (error) {
      options.log('kinesis event source: retries exhausted and the on-failure queue refused the record; the batch is skipped', {
        ...extra,
        queue: mapping.onFailureQueueName,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  const isIdle = () => lanes.every((lane) => !lane.busy && lane.next >= lane.shard.end);

  return {
    stats: () => structuredClone(stats),
    async idle() {
      while (running && !isIdle()) await changed.wait();
    },
    async stop() {
      running = false;
      for (const wake of [...timers]) wake();
      for (const lane of lanes) lane.shard.wake();
      changed.fire();
      await Promise.all(loops);
      for (const unregister of unregisters) unregister();
    },
  };
}

function toEventRecord(record: KinesisRecord, shardId: string, streamArn: string): KinesisEventRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.partitionKey,
      sequenceNumber: record.sequenceNumber,
      data: record.data.toString('base64'),
      approximateArrivalTimestamp: record.approximateArrivalTimestamp,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${record.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/local`,
    awsRegion: LOCAL_REGION,
    eventSourceARN: streamArn,
  };
}
