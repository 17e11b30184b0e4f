// Kinesis Data Streams on the edge port (awsJson 1.1, `X-Amz-Target: Kinesis_20131202.<Action>`): PutRecord,
// PutRecords, DescribeStreamSummary, ListShards, GetShardIterator and GetRecords, on the streams of the service (no
// CreateStream: they exist as the template defines them). The streams themselves are stream.ts; the IoT rule
// engine and the event source mappings use them in process. GetRecords reads what a shard keeps: records no
// mapping has checkpointed yet, and for the retention period those it has (what the telemetry DLQ's redrive reads
// again). Not emulated: GetRecords' 5 calls a second per shard, and KMS encryption.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AwsJsonError,
  epochSeconds,
  optionalString,
  requiredString,
  serveAwsJson,
  validationError,
  type AwsJsonAction,
  type AwsJsonService,
  type JsonObject,
} from '../aws-json/protocol';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type EdgeService } from '../types';
import { DEFAULT_RETENTION, HASH_SPACE, KinesisStream, sequenceNumberOf, type PutRecordResult, type Retention, type StreamSpec } from './stream';

const MAX_PUT_RECORDS = 500;
const MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;
const MAX_LIST_SHARDS = 10_000;
const MAX_GET_RECORDS = 10_000;
/** GetRecords answers at most this much data per call. */
const MAX_GET_RECORDS_BYTES = 10 * 1024 * 1024;
/** A shard iterator is good for 5 minutes after GetShardIterator (or the GetRecords that returned it). */
const ITERATOR_LIFETIME_MS = 5 * 60_000;
const ITERATOR_TYPES = ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] as const;
const SEQUENCE_NUMBER = /^(0|[1-9]\d{0,128})$/;

export interface KinesisEmulator extends EdgeService {
  /** Creates the stream (the same name and shard count again returns it) and returns it. */
  createStream(spec: StreamSpec): KinesisStream;
  /** By name or ARN. */
  stream(nameOrArn: string): KinesisStream | undefined;
  streams(): KinesisStream[];
  /** PutRecord: throws AWS's ResourceNotFoundException or ValidationException (an AwsJsonError). */
  putRecord(streamName: string, partitionKey: string, data: Buffer): PutRecordResult;
}

export function createKinesisEmulator(options: { region?: string; accountId?: string; retention?: Partial<Retention> } = {}): KinesisEmulator {
  const region = options.region ?? LOCAL_REGION;
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  const byName = new Map<string, KinesisStream>();
  const nameOf = (nameOrArn: string) => (nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.indexOf(':stream/') + ':stream/'.length) : nameOrArn);
  const stream = (nameOrArn: string) => byName.get(nameOf(nameOrArn));
  const mustFind = (nameOrArn: string) => {
    const found = stream(nameOrArn);
    if (!found) throw new AwsJsonError('ResourceNotFoundException', `Stream ${nameOf(nameOrArn)} under account ${accountId} not found.`);
    return found;
  };
  /** The request's StreamName or StreamARN (one of them is required). */
  const streamOf = (input: JsonObject) => {
    const ref = optionalString(input, 'StreamARN') ?? optionalString(input, 'StreamName');
    if (ref === undefined) throw new AwsJsonError('InvalidArgumentException', 'Either StreamName or StreamARN should be provided.');
    return mustFind(ref);
  };

  const actions: Record<string, AwsJsonAction> = {
    PutRecord: (input) => {
      const record = recordOf(input, '');
      const target = streamOf(input);
      const { shardId, sequenceNumber } = target.put(record.partitionKey, record.data, record.explicitHashKey);
      return { ShardId: shardId, SequenceNumber: sequenceNumber, EncryptionType: 'NONE' };
    },
    PutRecords: (input) => {
      const entries = input.Records;
      if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_PUT_RECORDS) {
        throw validationError('records', `have length less than or equal to ${MAX_PUT_RECORDS} and greater than or equal to 1`, null);
      }
      // Validated as a whole first, as the API model is: an invalid entry fails the request and puts nothing.
      const records = entries.map((entry, i) => recordOf(isObject(entry) ? entry : {}, `records.${i + 1}.member.`));
      const bytes = records.reduce((sum, r) => sum + r.data.length + Buffer.byteLength(r.partitionKey), 0);
      if (bytes > MAX_PUT_RECORDS_BYTES) throw new AwsJsonError('InvalidArgumentException', `Records size exceeds ${MAX_PUT_RECORDS_BYTES} bytes`);
      const target = streamOf(input);
      const results = records.map((r) => target.put(r.partitionKey, r.data, r.explicitHashKey));
      return { FailedRecordCount: 0, Records: results.map((r) => ({ ShardId: r.shardId, SequenceNumber: r.sequenceNumber })), EncryptionType: 'NONE' };
    },
    DescribeStreamSummary: (input) => {
      const target = streamOf(input);
      return {
        StreamDescriptionSummary: {
          StreamName: target.name,
          StreamARN: target.arn,
          StreamStatus: 'ACTIVE',
          StreamModeDetails: { StreamMode: 'PROVISIONED' },
          RetentionPeriodHours: target.retention.ms / 3_600_000,
          StreamCreationTimestamp: epochSeconds(target.createdAt),
          EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
          EncryptionType: 'NONE',
          OpenShardCount: target.shards.length,
          ConsumerCount: 0,
        },
      };
    },
    GetShardIterator: (input) => {
      const target = streamOf(input);
      const shardId = requiredString(input, 'ShardId');
      const shard = target.shards.find((s) => s.id === shardId);
      if (!shard) throw new AwsJsonError('ResourceNotFoundException', `Shard ${shardId} in stream ${target.name} under account ${accountId} does not exist`);
      const type = requiredString(input, 'ShardIteratorType');
      if (!(ITERATOR_TYPES as readonly string[]).includes(type)) throw validationError('shardIteratorType', `satisfy enum value set: [${ITERATOR_TYPES.join(', ')}]`, type);
      let index: number;
      if (type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER') {
        const sequenceNumber = optionalString(input, 'StartingSequenceNumber');
        if (sequenceNumber === undefined) throw new AwsJsonError('InvalidArgumentException', `The StartingSequenceNumber must be specified for ShardIteratorType ${type}.`);
        if (!SEQUENCE_NUMBER.test(sequenceNumber)) throw validationError('startingSequenceNumber', 'satisfy regular expression pattern: 0|([1-9]\\d{0,128})', sequenceNumber);
        // Sequence numbers share one length (stream.ts), so a shorter or longer one is not of this stream.
        if (sequenceNumber.length !== sequenceNumberOf(0n).length) throw new AwsJsonError('InvalidArgumentException', `StartingSequenceNumber ${sequenceNumber} used in GetShardIterator on shard ${shardId} in stream ${target.name} under account ${accountId} is invalid.`);
        index = shard.indexOf(sequenceNumber);
        if (type === 'AFTER_SEQUENCE_NUMBER' && shard.at(index)?.sequenceNumber === sequenceNumber) index++;
      } else if (type === 'AT_TIMESTAMP') {
        const timestamp = input.Timestamp;
        if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) throw new AwsJsonError('InvalidArgumentException', 'The timestamp must be specified for ShardIteratorType AT_TIMESTAMP.');
        index = shard.indexAtTime(timestamp * 1000);
      } else index = type === 'LATEST' ? shard.end : shard.start;
      return { ShardIterator: iteratorOf(target.name, shardId, index) };
    },
    GetRecords: (input) => {
      const limit = input.Limit === undefined ? MAX_GET_RECORDS : Number(input.Limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_GET_RECORDS) throw validationError('limit', `have value less than or equal to ${MAX_GET_RECORDS}`, String(input.Limit));
      const { streamName, shardId, index } = parseIterator(requiredString(input, 'ShardIterator'));
      const target = mustFind(streamName);
      const shard = target.shards.find((s) => s.id === shardId);
      if (!shard) throw new AwsJsonError('ResourceNotFoundException', `Shard ${shardId} in stream ${streamName} under account ${accountId} does not exist`);
      // An iterator whose records have been trimmed since reads on from the oldest kept, as after TRIM_HORIZON.
      let next = Math.max(index, shard.start);
      let bytes = 0;
      const records: object[] = [];
      for (; next < shard.end && records.length < limit; next++) {
        const record = shard.at(next)!;
        if (records.length > 0 && bytes + record.data.length > MAX_GET_RECORDS_BYTES) break;
        bytes += record.data.length;
        records.push({
          SequenceNumber: record.sequenceNumber,
          ApproximateArrivalTimestamp: record.approximateArrivalTimestamp,
          Data: record.data.toString('base64'),
          PartitionKey: record.partitionKey,
        });
      }
      const behind = next < shard.end ? Math.max(0, Date.now() - shard.at(next)!.approximateArrivalTimestamp * 1000) : 0;
      return { Records: records, NextShardIterator: iteratorOf(streamName, shardId, next), MillisBehindLatest: Math.round(behind) };
    },
    ListShards: (input) => {
      const nextToken = optionalString(input, 'NextToken');
      const max = input.MaxResults === undefined ? MAX_LIST_SHARDS : Number(input.MaxResults);
      if (!Number.isInteger(max) || max < 1 || max > MAX_LIST_SHARDS) throw validationError('maxResults', `have value less than or equal to ${MAX_LIST_SHARDS}`, String(input.MaxResults));
      // The token carries the stream and where the page ends; it stands for both.
      const [ref, from] = nextToken === undefined ? [undefined, 0] : parseToken(nextToken);
      const target = ref === undefined ? streamOf(input) : mustFind(ref);
      const page = target.shards.slice(from, from + max);
      const more = from + max < target.shards.length;
      return {
        Shards: page.map((shard) => ({
          ShardId: shard.id,
          HashKeyRange: { StartingHashKey: shard.startingHashKey.toString(), EndingHashKey: shard.endingHashKey.toString() },
          SequenceNumberRange: { StartingSequenceNumber: sequenceNumberOf(0n) },
        })),
        ...(more && { NextToken: Buffer.from(JSON.stringify([target.name, from + max])).toString('base64') }),
      };
    },
  };
  const protocol: AwsJsonService = { targetPrefix: 'Kinesis_20131202.', messageKey: 'message', actions: new Map(Object.entries(actions)) };

  return {
    name: 'kinesis',
    handle: async (req: IncomingMessage, body: Buffer, res: ServerResponse) => serveAwsJson(protocol, req, body, res),
    createStream(spec) {
      const existing = byName.get(spec.name);
      if (existing) {
        if (existing.shards.length !== spec.shardCount) throw new AwsJsonError('ResourceInUseException', `Stream ${spec.name} under account ${accountId} already exists.`);
        return existing;
      }
      const created = new KinesisStream(spec.name, spec.arn ?? `arn:aws:kinesis:${region}:${accountId}:stream/${spec.name}`, spec.shardCount, spec.retentionHours === undefined ? retention : { ...retention, ms: spec.retentionHours * 3_600_000 });
      byName.set(spec.name, created);
      return created;
    },
    stream,
    streams: () => [...byName.values()],
    putRecord: (streamName, partitionKey, data) => mustFind(streamName).put(partitionKey, data),
  };
}

/** A PutRecord input or a PutRecords entry, checked as AWS checks it. */
function recordOf(input: JsonObject, member: string): { partitionKey: string; data: Buffer; explicitHashKey?: bigint } {
  const partitionKey = requiredString(input, 'PartitionKey');
  const data = Buffer.from(requiredString(input, 'Data'), 'base64');
  KinesisStream.validate(partitionKey, data, member);
  const explicit = optionalString(input, 'ExplicitHashKey');
  if (explicit === undefined) return { partitionKey, data };
  if (!/^(0|[1-9]\d{0,38})$/.test(explicit)) throw validationError(`${member}explicitHashKey`, 'satisfy regular expression pattern: 0|([1-9]\\d{0,38})', explicit);
  const explicitHashKey = BigInt(explicit);
  if (explicitHashKey >= HASH_SPACE) throw new AwsJsonError('InvalidArgumentException', `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${explicit}`);
  return { partitionKey, data, explicitHashKey };
}

/** A shard iterator: where to read next in which shard, and when it was handed out (it expires). Opaque to callers. */
function iteratorOf(streamName: string, shardId: string, index: number): string {
  return Buffer.from(JSON.stringify([streamName, shardId, index, Date.now()])).toString('base64');
}

function parseIterator(iterator: string): { streamName: string; shardId: string; index: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(iterator, 'base64').toString('utf8'));
  } catch {}
  if (!Array.isArray(parsed) || parsed.length !== 4) throw new AwsJsonError('InvalidArgumentException', `Invalid ShardIterator.`);
  const [streamName, shardId, index, issuedAt] = parsed as unknown[];
  if (typeof streamName !== 'string' || typeof shardId !== 'string' || !Number.isInteger(index) || (index as number) < 0 || !Number.isInteger(issuedAt)) {
    throw new AwsJsonError('InvalidArgumentException', `Invalid ShardIterator.`);
  }
  if (Date.now() - (issuedAt as number) > ITERATOR_LIFETIME_MS) {
    throw new AwsJsonError('ExpiredIteratorException', `Iterator expired. The iterator was created at time ${new Date(issuedAt as number).toUTCString()} while right now it is ${new Date().toUTCString()} which is further in the future than the tolerated delay of 300000 milliseconds.`);
  }
  return { streamName, shardId, index: index as number };
}

function parseToken(token: string): [string, number] {
  try {
    const [name, from] = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as [unknown, unknown];
    if (typeof name === 'string' && Number.isInteger(from)) return [name, from as number];
  } catch {}
  throw new AwsJsonError('InvalidArgumentException', `NextToken ${token} is invalid.`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
