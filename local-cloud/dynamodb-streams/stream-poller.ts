// The event source mappings of DynamoDB streams, which serverless-offline does not run: polls each mapped table's
// stream on DynamoDB Local and invokes the function through the local Lambda endpoint, like AWS's pollers.
// Emulated semantics (local-cloud/README.md):
//   - starting position LATEST when the poller starts (records written before are not delivered);
//   - per shard, records in order, in batches of at most `batchSize`, one batch of a shard at a time;
//   - FilterCriteria: records that match no pattern are skipped (never delivered, never retried);
//   - ReportBatchItemFailures: the batch is retried from the lowest reported sequence number; a function error
//     retries the whole batch, split in two first when bisectBatchOnFunctionError is set;
//   - after maximumRetryAttempts retries, or past maximumRecordAgeInSeconds, the records are dropped (logged);
//   - stop() lets the batches in flight finish and polls no more.
// Not emulated: AWS's fixed read rate. A shard that keeps coming back empty is read less and less often (up to
// maxIdleIntervalMs apart), since every read competes with the table's own writes for DynamoDB Local's CPU; a read
// that finds records puts the shard back on pollIntervalMs, and idle() reads every shard at once.
import { DescribeStreamCommand, DynamoDBStreamsClient, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isKinesisStreamEvent, type ResolvedService, type TableDefinition } from '../service-definition';
import { LOCAL_REGION, type LambdaInvoker } from '../types';
import { compileFilters } from './event-filter';
import { getRecords, StreamsError, type WireRecord } from './get-records';

export interface StreamMapping {
  functionName: string;
  tableName: string;
  batchSize: number;
  filterPatterns: unknown[];
  reportBatchItemFailures: boolean;
  bisectOnError: boolean;
  /** -1: retry until the record expires (AWS's default). */
  maximumRetryAttempts: number;
  /** -1: no limit. */
  maximumRecordAgeSeconds: number;
}

/**
 * The `stream` events of type dynamodb whose table is one of the service's own (Fn::GetAtt [Table, StreamArn]);
 * kinesis ones are left to their own mapping, anything else stops the start.
 */
export function streamMappingsOf(service: ResolvedService, tables: TableDefinition[]): StreamMapping[] {
  const mappings: StreamMapping[] = [];
  for (const fn of Object.values(service.functions)) {
    for (const event of fn.events ?? []) {
      const stream = event.stream as Record<string, unknown> | undefined;
      // Kinesis streams have their own event source mapping (kinesis/event-source-mapping.ts).
      if (!stream || typeof stream !== 'object' || isKinesisStreamEvent(stream)) continue;
      const logicalId = (stream.arn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
      const table = tables.find((t) => t.logicalId === logicalId);
      if (stream.type !== 'dynamodb' || !table) throw new Error(`${fn.name}: the local cloud runs only dynamodb streams of the service's own tables`);
      if (stream.enabled === false) continue;
      mappings.push({
        functionName: fn.name,
        tableName: String(table.properties.TableName),
        batchSize: Number(stream.batchSize ?? 100),
        filterPatterns: (stream.filterPatterns as unknown[] | undefined) ?? [],
        reportBatchItemFailures: stream.functionResponseType === 'ReportBatchItemFailures',
        bisectOnError: stream.bisectBatchOnFunctionError === true,
        maximumRetryAttempts: Number(stream.maximumRetryAttempts ?? -1),
        maximumRecordAgeSeconds: Number(stream.maximumRecordAgeInSeconds ?? -1),
      });
    }
  }
  return mappings;
}

export interface StreamPollerOptions {
  /** DynamoDB Local's endpoint: it serves the Streams API too. */
  endpoint: string;
  mappings: StreamMapping[];
  invokeLambda: LambdaInvoker;
  log?: (message: string, extra?: object) => void;
  /**
   * Wait between two reads of a shard, full or empty (AWS's pollers read a shard about 4 times a second). Reading
   * again at once after a full page starves DynamoDB Local's JVM of the CPU the writes need: measured, it halved
   * the write rate of bench/orders-throughput.ts.
   */
  pollIntervalMs?: number;
  /** The longest wait between two reads of a shard that keeps coming back empty (doubling from pollIntervalMs). */
  maxIdleIntervalMs?: number;
  /** Back-off before the first retry of a failed batch, doubled each retry up to 2 s. */
  retryDelayMs?: number;
}

export interface StreamPollerCounters {
  invocations: number;
  delivered: number;
  retried: number;
  dropped: number;
}

export interface StreamPoller {
  counters(): StreamPollerCounters;
  /**
   * Resolves once every shard has been read to its end and no batch is in flight or waiting to be retried. While
   * paused, not before resume().
   */
  idle(): Promise<void>;
  /**
   * Stops reading the shards, as disabling an event source mapping does on AWS (UpdateEventSourceMapping, Enabled
   * false): a batch already read is still delivered; what is written meanwhile waits in the stream. A benchmark
   * defers the functions' work this way, to measure the writes alone and then how long the backlog takes.
   */
  pause(): void;
  /** Reads on from where each shard stopped: nothing written while paused is skipped. */
  resume(): void;
  stop(): Promise<void>;
}

/** A Lambda event record, as the poller hands it to the function. */
type LambdaRecord = Record<string, unknown> & { dynamodb: { SequenceNumber: string; ApproximateCreationDateTime?: number } };

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const log = options.log ?? (() => undefined);
  const idleMs = options.pollIntervalMs ?? 200;
  const maxIdleMs = Math.max(idleMs, options.maxIdleIntervalMs ?? 1_600);
  const retryDelayMs = options.retryDelayMs ?? 100;
  const config = { endpoint: options.endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const dynamodb = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  const counters: StreamPollerCounters = { invocations: 0, delivered: 0, retried: 0, dropped: 0 };
  let stopped = false;
  // Per shard polled: when its latest read that came back empty was sent (absent while it has records to work).
  const caughtUpAt = new Map<string, number | undefined>();
  const loops: Array<Promise<void>> = [];
  let wakeUp = () => undefined as void;
  const stopping = new Promise<void>((resolve) => (wakeUp = resolve));
  let resumed: Promise<void> | undefined; // set while paused
  let unpause = () => undefined as void;
  // Every wait ends at stop(), so stopping does not sit out a poll interval or a retry back-off.
  const sleep = (ms: number) => Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms).unref()), stopping]);
  // A shard backing off while idle waits here too: idle() ends those waits, so it never sits out a long back-off.
  const nudges = new Set<() => void>();
  const idleSleep = (ms: number) => {
    let nudge = () => undefined as void;
    const nudged = new Promise<void>((resolve) => nudges.add((nudge = resolve)));
    return Promise.race([sleep(ms), nudged]).finally(() => nudges.delete(nudge));
  };

  /** Delivers `batch` until it succeeds or its retries run out; honours partial batch responses and bisection. */
  const deliver = async (mapping: StreamMapping, batch: LambdaRecord[], attempt = 0): Promise<void> => {
    if (batch.length === 0) return;
    if (mapping.maximumRecordAgeSeconds >= 0) {
      const oldestAllowed = Date.now() / 1000 - mapping.maximumRecordAgeSeconds;
      const fresh = batch.filter((r) => (r.dynamodb.ApproximateCreationDateTime ?? Infinity) >= oldestAllowed);
      if (fresh.length < batch.length) drop(mapping, batch.length - fresh.length, 'older than maximumRecordAgeInSeconds');
      batch = fresh;
      if (batch.length === 0) return;
    }
    counters.invocations++;
    const result = await options.invokeLambda(mapping.functionName, { Records: batch });
    let retry: LambdaRecord[] = [];
    let split = false;
    if (!result.ok) {
      log('stream batch failed', { function: mapping.functionName, records: batch.length, error: result.error.slice(0, 300) });
      retry = batch;
      split = mapping.bisectOnError && batch.length > 1;
    } else if (mapping.reportBatchItemFailures) {
      const failed = ((result.payload as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | null)?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
      // AWS retries from the lowest failed sequence number: that record and every one after it in the batch.
      const first = batch.findIndex((r) => failed.includes(r.dynamodb.SequenceNumber));
      if (first >= 0) retry = batch.slice(first);
      else if (failed.length > 0) retry = batch; // an identifier that names no record fails the whole batch, as on AWS
    }
    counters.delivered += batch.length - retry.length;
    if (retry.length === 0) return;
    if (mapping.maximumRetryAttempts >= 0 && attempt >= mapping.maximumRetryAttempts) {
      drop(mapping, retry.length, `after ${attempt} retries`);
      return;
    }
    if (stopped) return;
    counters.retried += retry.length;
    await sleep(Math.min(retryDelayMs * 2 ** attempt, 2_000));
    if (split) {
      const half = Math.ceil(retry.length / 2);
      await deliver(mapping, retry.slice(0, half), attempt + 1);
      await deliver(mapping, retry.slice(half), attempt + 1);
    } else {
      await deliver(mapping, retry, attempt + 1);
    }
  };

  const drop = (mapping: StreamMapping, count: number, why: string) => {
    counters.dropped += count;
    log('stream records dropped', { function: mapping.functionName, records: count, why });
  };

  /**
   * Reads one shard to its end (a closed shard) or until stop(), delivering its matching records in order. `from`
   * 'now' skips what the shard holds already (AWS's LATEST; DynamoDB Local refuses reads from a LATEST iterator on
   * an empty shard, so the shard is read from its start and the records before the first empty read are skipped).
   */
  const pollShard = async (mapping: StreamMapping, streamArn: string, shardId: string, from: 'now' | 'start') => {
    const accepts = compileFilters(mapping.filterPatterns);
    const shardKey = `${streamArn}/${shardId}`;
    let lastSequence: string | undefined;
    // After the last record read; from the shard's start before any.
    const freshIterator = async () =>
      (
        await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ...(lastSequence ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: lastSequence } : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
        )
      ).ShardIterator;
    let iterator = await freshIterator();
    let skipping = from === 'now';
    let wait = idleMs;
    caughtUpAt.set(shardKey, undefined);
    while (iterator && !stopped) {
      if (resumed) {
        await Promise.race([resumed, stopping]);
        continue;
      }
      const sentAt = Date.now();
      let page;
      try {
        page = await getRecords(options.endpoint, iterator, 1000);
      } catch (error) {
        // DynamoDB Local numbers records across all tables: an iterator taken on an empty shard can point before
        // the shard's first record once other tables have written, and is refused. Take a new one where we are.
        const refused = error instanceof StreamsError && (error.type === 'TrimmedDataAccessException' || error.type === 'ExpiredIteratorException');
        if (!refused) throw error;
        await sleep(idleMs);
        iterator = await freshIterator();
        continue;
      }
      lastSequence = page.Records.at(-1)?.dynamodb?.SequenceNumber ?? lastSequence;
      const records = skipping ? [] : page.Records.map((record) => lambdaRecord(record, streamArn)).filter(accepts);
      if (page.Records.length === 0) skipping = false;
      for (let i = 0; i < records.length && !stopped; i += mapping.batchSize) await deliver(mapping, records.slice(i, i + mapping.batchSize));
      iterator = page.NextShardIterator;
      const empty = page.Records.length === 0;
      caughtUpAt.set(shardKey, empty ? sentAt : undefined);
      wait = empty ? Math.min(wait * 2, maxIdleMs) : idleMs;
      await idleSleep(wait);
    }
    caughtUpAt.delete(shardKey);
  };

  /** Follows the stream's shards: those open at start from LATEST, any that appear later from their start. */
  const pollStream = async (mapping: StreamMapping) => {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: mapping.tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${mapping.tableName} has no stream for ${mapping.functionName}: add StreamSpecification to it`);
    const known = new Set<string>();
    const shardLoops: Array<Promise<void>> = [];
    let first = true;
    while (!stopped) {
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      for (const shard of StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || known.has(shard.ShardId)) continue;
        known.add(shard.ShardId);
        // At start, only open shards matter (LATEST); a closed one holds nothing newer.
        if (first && shard.SequenceNumberRange?.EndingSequenceNumber) continue;
        shardLoops.push(
          pollShard(mapping, streamArn, shard.ShardId, first ? 'now' : 'start').catch((error: Error) => {
            if (!stopped) log('stream shard poll failed', { function: mapping.functionName, shard: shard.ShardId, error: error.message });
          }),
        );
      }
      first = false;
      await sleep(5_000);
    }
    await Promise.all(shardLoops);
  };

  // Describe every stream before returning, so a write made right after start is delivered.
  for (const mapping of options.mappings) {
    const started = pollStream(mapping);
    loops.push(
      started.catch((error: Error) => {
        if (!stopped) log('stream poller failed', { function: mapping.functionName, error: error.message });
      }),
    );
  }
  // Each stream's open shard read up to now: a write made after start is delivered, none made before.
  await waitFor(() => caughtUpAt.size >= options.mappings.length && [...caughtUpAt.values()].every((at) => at !== undefined), 10_000);

  return {
    counters: () => ({ ...counters }),
    idle: async () => {
      const since = Date.now();
      while ([...caughtUpAt.values()].some((at) => at === undefined || at < since)) {
        for (const nudge of nudges) nudge();
        await sleep(idleMs / 2);
      }
    },
    pause: () => {
      resumed ??= new Promise<void>((resolve) => (unpause = resolve));
    },
    resume: () => {
      resumed = undefined;
      unpause();
    },
    stop: async () => {
      stopped = true;
      wakeUp();
      await Promise.all(loops);
      dynamodb.destroy();
      streams.destroy();
    },
  };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** A GetRecords record in the shape Lambda gives the function (epoch seconds, the source ARN). */
function lambdaRecord(record: WireRecord, streamArn: string): LambdaRecord {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? LOCAL_REGION,
    eventSourceARN: streamArn,
    dynamodb: {
      ...record.dynamodb,
      SequenceNumber: record.dynamodb?.SequenceNumber ?? '',
      ApproximateCreationDateTime: typeof created === 'number' ? Math.floor(created) : undefined,
    },
  };
}
