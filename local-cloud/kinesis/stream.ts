// Kinesis Data Streams in memory: a stream's shards own equal contiguous ranges of the 128-bit hash-key space and a
// record goes to the shard owning the MD5 of its partition key, as on AWS. Each shard numbers its records with
// decimal sequence numbers that only grow and all have the same length (string order = numeric order). A shard
// keeps a record until every reader registered on it (an event source mapping) has checkpointed past it, and past
// that for the stream's retention period (24 h, AWS's default), so GetRecords can read a batch again (the telemetry
// DLQ's redrive); but only while the records every reader is done with fit in `maxRetainedBytes` (16 MiB of data a
// shard): a local stack running for days keeps the newest of them, not its whole history.
import { createHash } from 'node:crypto';
import { validationError } from '../aws-json/protocol';

/** The largest data blob PutRecord takes (before base64). */
export const MAX_RECORD_DATA_BYTES = 1024 * 1024;
export const MAX_PARTITION_KEY_LENGTH = 256;
/** Hash keys run from 0 to 2^128 − 1. */
export const HASH_SPACE = 2n ** 128n;
/** AWS's sequence numbers have 56 digits; ours too: '49' and a zero-padded counter. */
const SEQUENCE_DIGITS = 54;
/** Once this many dropped records sit at the front of a shard's array, it is compacted. */
const COMPACT_AFTER = 4096;

/** How long a shard keeps what its readers are done with: AWS's retention, bounded locally by memory. */
export interface Retention {
  ms: number;
  /** Of data kept only for the retention (checkpointed by every reader); the oldest go first beyond it. */
  maxRetainedBytes: number;
}
export const DEFAULT_RETENTION: Retention = { ms: 24 * 3600_000, maxRetainedBytes: 16 * 1024 * 1024 };

export interface KinesisRecord {
  partitionKey: string;
  sequenceNumber: string;
  data: Buffer;
  /** Epoch seconds, with milliseconds (what Lambda's event carries). */
  approximateArrivalTimestamp: number;
  /** The low 32 bits of the partition key's MD5: what picks a record's lane in an event source mapping. */
  keyHash: number;
}

export interface PutRecordResult {
  shardId: string;
  sequenceNumber: string;
}

/** What creates a stream: the service definition's KinesisStreamDefinition fits. */
export interface StreamSpec {
  name: string;
  shardCount: number;
  arn?: string;
  /** RetentionPeriodHours; the emulator's retention when absent. */
  retentionHours?: number;
}

/** The n-th sequence number of a stream (the 0th: before any record, a shard's StartingSequenceNumber). */
export function sequenceNumberOf(n: bigint): string {
  return `49${n.toString().padStart(SEQUENCE_DIGITS, '0')}`;
}

/** MD5 of the partition key's UTF-8 bytes as an unsigned 128-bit big-endian integer, and its low 32 bits. */
export function hashKeyOf(partitionKey: string): { hashKey: bigint; keyHash: number } {
  const digest = createHash('md5').update(partitionKey, 'utf8').digest();
  return { hashKey: BigInt(`0x${digest.toString('hex')}`), keyHash: digest.readUInt32BE(12) };
}

/** A notification many can wait on: `wait()` resolves at the next `fire()` (one promise shared until then). */
export class Signal {
  private pending: { promise: Promise<void>; resolve: () => void } | undefined;

  wait(): Promise<void> {
    if (!this.pending) {
      let resolve = () => undefined as void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.pending = { promise, resolve };
    }
    return this.pending.promise;
  }

  fire(): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve();
  }
}

export class KinesisShard {
  /** Absolute index of the first record kept (records before it were dropped). */
  private base = 0;
  /** Position in `records` of the record at `base`. */
  private head = 0;
  private records: KinesisRecord[] = [];
  /** Per kept record, the data bytes appended to the shard before it (so the bytes between two records are a difference). */
  private offsets: number[] = [];
  private appendedBytes = 0;
  private readonly readers = new Set<() => number>();
  private readonly appended = new Signal();

  constructor(
    readonly id: string,
    readonly startingHashKey: bigint,
    readonly endingHashKey: bigint,
    private readonly retention: Retention = DEFAULT_RETENTION,
  ) {}

  /** Absolute index just after the newest record: where a reader starting at LATEST starts. */
  get end(): number {
    return this.base + this.records.length - this.head;
  }

  /** Absolute index of the oldest record kept: where a reader starting at TRIM_HORIZON starts. */
  get start(): number {
    return this.base;
  }

  /** The record at an absolute index, if it is still kept. */
  at(index: number): KinesisRecord | undefined {
    return index < this.base ? undefined : this.records[this.head + index - this.base];
  }

  append(record: KinesisRecord): void {
    this.records.push(record);
    this.offsets.push(this.appendedBytes);
    this.appendedBytes += record.data.length;
    this.trim();
    this.appended.fire();
  }

  /** The absolute index of the first kept record whose sequence number is at least `sequenceNumber` (`end` if none). */
  indexOf(sequenceNumber: string): number {
    let low = this.head;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.records[middle]!.sequenceNumber < sequenceNumber) low = middle + 1;
      else high = middle;
    }
    return this.base + low - this.head;
  }

  /** The absolute index of the first kept record that arrived at or after `epochMs` (`end` if none). */
  indexAtTime(epochMs: number): number {
    let low = this.head;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.records[middle]!.approximateArrivalTimestamp * 1000 < epochMs) low = middle + 1;
      else high = middle;
    }
    return this.base + low - this.head;
  }

  /** Resolves at the next append, or when `wake()` is called (a reader stopping). */
  nextAppend(): Promise<void> {
    return this.appended.wait();
  }

  wake(): void {
    this.appended.fire();
  }

  /**
   * Registers a reader: `position` is the absolute index before which it needs no record any more (its
   * checkpoint). Returns the function that unregisters it.
   */
  addReader(position: () => number): () => void {
    this.readers.add(position);
    return () => {
      this.readers.delete(position);
      this.trim();
    };
  }

  /**
   * Drops, from the oldest, the records every reader has checkpointed past (all of them when none is registered)
   * that are older than the retention period or do not fit in its byte limit.
   */
  trim(): void {
    let readFrom = this.end;
    for (const position of this.readers) readFrom = Math.max(this.base, Math.min(readFrom, position()));
    const expired = Date.now() - this.retention.ms;
    const offsetOf = (index: number) => (index === this.end ? this.appendedBytes : this.offsets[this.head + index - this.base]!);
    const readFromOffset = offsetOf(readFrom);
    let keepFrom = this.base;
    for (; keepFrom < readFrom; keepFrom++) {
      const at = this.head + keepFrom - this.base;
      const retainedBytes = readFromOffset - this.offsets[at]!;
      if (Math.round(this.records[at]!.approximateArrivalTimestamp * 1000) > expired && retainedBytes <= this.retention.maxRetainedBytes) break;
    }
    if (keepFrom <= this.base) return;
    // Dropped records are not kept alive by the array until it is compacted.
    this.records.fill(undefined as never, this.head, this.head + keepFrom - this.base);
    this.head += keepFrom - this.base;
    this.base = keepFrom;
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.records.length) {
      this.records = this.records.slice(this.head);
      this.offsets = this.offsets.slice(this.head);
      this.head = 0;
    }
  }

  /** Records kept now: not yet checkpointed by every reader, or within the retention. */
  get size(): number {
    return this.records.length - this.head;
  }
}

export class KinesisStream {
  readonly shards: KinesisShard[];
  readonly createdAt = Date.now();
  private sequence = 0n;

  constructor(
    readonly name: string,
    readonly arn: string,
    shardCount: number,
    readonly retention: Retention = DEFAULT_RETENTION,
  ) {
    if (!Number.isInteger(shardCount) || shardCount < 1) throw validationError('shardCount', 'have value greater than or equal to 1', shardCount);
    // AWS splits the hash-key space evenly: shard i starts at i × ⌊2^128 / n⌋, the last one ends at 2^128 − 1.
    const width = HASH_SPACE / BigInt(shardCount);
    this.shards = Array.from({ length: shardCount }, (_, i) => {
      const first = BigInt(i) * width;
      const last = i === shardCount - 1 ? HASH_SPACE - 1n : first + width - 1n;
      return new KinesisShard(`shardId-${String(i).padStart(12, '0')}`, first, last, retention);
    });
  }

  /** The shard whose hash-key range holds `hashKey`. */
  shardOf(hashKey: bigint): KinesisShard {
    const index = Number(hashKey / (HASH_SPACE / BigInt(this.shards.length)));
    return this.shards[Math.min(index, this.shards.length - 1)]!;
  }

  /**
   * Checks a record as PutRecord does: throws AWS's ValidationException (an AwsJsonError). `member` prefixes the
   * member names (PutRecords' `records.1.member.`).
   */
  static validate(partitionKey: string, data: Buffer, member = ''): void {
    const keyLength = [...partitionKey].length;
    if (keyLength < 1) throw validationError(`${member}partitionKey`, 'have length greater than or equal to 1', partitionKey);
    if (keyLength > MAX_PARTITION_KEY_LENGTH) throw validationError(`${member}partitionKey`, `have length less than or equal to ${MAX_PARTITION_KEY_LENGTH}`, partitionKey);
    if (data.length > MAX_RECORD_DATA_BYTES) {
      throw validationError(`${member}data`, `have length less than or equal to ${MAX_RECORD_DATA_BYTES}`, `java.nio.HeapByteBuffer[pos=0 lim=${data.length} cap=${data.length}]`);
    }
  }

  /** Appends a record to the shard of its partition key's hash, or of `explicitHashKey` (PutRecord's ExplicitHashKey). */
  put(partitionKey: string, data: Buffer, explicitHashKey?: bigint): PutRecordResult {
    KinesisStream.validate(partitionKey, data);
    const { hashKey, keyHash } = hashKeyOf(partitionKey);
    const shard = this.shardOf(explicitHashKey ?? hashKey);
    // One counter for the stream: unique across its shards and increasing within each.
    const sequenceNumber = sequenceNumberOf(++this.sequence);
    shard.append({ partitionKey, sequenceNumber, data, approximateArrivalTimestamp: Date.now() / 1000, keyHash });
    return { shardId: shard.id, sequenceNumber };
  }
}
