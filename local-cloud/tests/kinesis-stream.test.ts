// The Kinesis stream emulator: shards own equal ranges of the 128-bit hash-key space and a record goes to the shard
// owning the MD5 of its partition key, as on AWS; sequence numbers grow and compare the same as strings and as
// numbers; PutRecord's validation; records kept until every reader checkpointed past them, then for the retention
// period within a byte limit.
import { AwsJsonError } from '../aws-json/protocol';
import { createKinesisEmulator, hashKeyOf, type KinesisEmulator } from '../kinesis';

let kinesis: KinesisEmulator;

beforeEach(() => {
  kinesis = createKinesisEmulator();
});

describe('shards', () => {
  it('split the hash-key space evenly, as AWS does (3 shards)', () => {
    const stream = kinesis.createStream({ name: 's', shardCount: 3 });
    expect(stream.arn).toBe('arn:aws:kinesis:us-east-1:000000000000:stream/s');
    expect(stream.shards.map((s) => [s.id, s.startingHashKey.toString(), s.endingHashKey.toString()])).toEqual([
      ['shardId-000000000000', '0', '113427455640312821154458202477256070484'],
      ['shardId-000000000001', '113427455640312821154458202477256070485', '226854911280625642308916404954512140969'],
      ['shardId-000000000002', '226854911280625642308916404954512140970', '340282366920938463463374607431768211455'],
    ]);
  });

  it('take a record by the MD5 of its partition key', () => {
    // md5('a') = 0cc175b9…, md5('b') = 92eb5ffe…, md5('device-1') = d111f50a…
    expect(hashKeyOf('a').hashKey).toBe(0x0cc175b9c0f1b6a831c399e269772661n);
    kinesis.createStream({ name: 'two', shardCount: 2 });
    kinesis.createStream({ name: 'three', shardCount: 3 });
    const shardOf = (stream: string, key: string) => kinesis.putRecord(stream, key, Buffer.from('x')).shardId;
    expect(['a', 'b', 'device-1'].map((key) => shardOf('two', key))).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000001']);
    expect(['a', 'b', 'device-1'].map((key) => shardOf('three', key))).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    expect(shardOf('two', 'a')).toBe(shardOf('two', 'a'));
  });
});

it('numbers records with increasing sequence numbers of one length, so strings and numbers compare alike', () => {
  kinesis.createStream({ name: 's', shardCount: 2 });
  const puts = Array.from({ length: 30 }, (_, i) => kinesis.putRecord('s', `key-${i}`, Buffer.from(String(i))));
  const numbers = puts.map((p) => p.sequenceNumber);
  expect(new Set(numbers.map((n) => n.length))).toEqual(new Set([56]));
  expect(numbers.every((n) => /^\d+$/.test(n))).toBe(true);
  for (const shardId of ['shardId-000000000000', 'shardId-000000000001']) {
    const ofShard = puts.filter((p) => p.shardId === shardId).map((p) => p.sequenceNumber);
    expect(ofShard.length).toBeGreaterThan(1);
    for (let i = 1; i < ofShard.length; i++) {
      expect(ofShard[i]! > ofShard[i - 1]!).toBe(true);
      expect(BigInt(ofShard[i]!) > BigInt(ofShard[i - 1]!)).toBe(true);
    }
  }
});

it("refuses what PutRecord refuses: an empty or too long partition key, more than 1 MiB of data, a stream that doesn't exist", () => {
  kinesis.createStream({ name: 's', shardCount: 1 });
  const refusal = (put: () => unknown) => {
    try {
      put();
    } catch (error) {
      return error instanceof AwsJsonError ? `${error.type}: ${error.message}` : String(error);
    }
    return 'accepted';
  };
  expect(refusal(() => kinesis.putRecord('s', '', Buffer.from('x')))).toMatch(/^ValidationException: .*'partitionKey'.*greater than or equal to 1/);
  expect(refusal(() => kinesis.putRecord('s', 'k'.repeat(257), Buffer.from('x')))).toMatch(/^ValidationException: .*'partitionKey'.*less than or equal to 256/);
  expect(refusal(() => kinesis.putRecord('s', 'k'.repeat(256), Buffer.from('x')))).toBe('accepted');
  expect(refusal(() => kinesis.putRecord('s', 'k', Buffer.alloc(1024 * 1024 + 1)))).toMatch(/^ValidationException: .*'data'/);
  expect(refusal(() => kinesis.putRecord('s', 'k', Buffer.alloc(1024 * 1024)))).toBe('accepted');
  expect(refusal(() => kinesis.putRecord('nope', 'k', Buffer.from('x')))).toBe('ResourceNotFoundException: Stream nope under account 000000000000 not found.');
});

it('finds a stream by name or ARN; creating it again with the same shards returns it, with others fails', () => {
  const stream = kinesis.createStream({ name: 's', shardCount: 2 });
  expect(kinesis.stream('s')).toBe(stream);
  expect(kinesis.stream(stream.arn)).toBe(stream);
  expect(kinesis.createStream({ name: 's', shardCount: 2 })).toBe(stream);
  expect(() => kinesis.createStream({ name: 's', shardCount: 3 })).toThrow(/already exists/);
  expect(kinesis.putRecord(stream.arn, 'k', Buffer.from('x')).shardId).toMatch(/^shardId-/);
});

it('without retention, keeps a record until every reader checkpointed past it, and none when nothing reads the shard', () => {
  kinesis = createKinesisEmulator({ retention: { ms: 0 } });
  const shard = kinesis.createStream({ name: 's', shardCount: 1 }).shards[0]!;
  kinesis.putRecord('s', 'k', Buffer.from('unread'));
  expect(shard.size).toBe(0);
  let first = shard.end;
  let second = shard.end;
  const unregister = shard.addReader(() => first);
  shard.addReader(() => second);
  for (let i = 0; i < 3; i++) kinesis.putRecord('s', 'k', Buffer.from(String(i)));
  expect(shard.at(first)!.data.toString()).toBe('0');
  first += 3;
  shard.trim();
  expect(shard.size).toBe(3);
  second += 2;
  shard.trim();
  expect(shard.size).toBe(1);
  expect(shard.at(second)!.data.toString()).toBe('2');
  expect(shard.at(second - 1)).toBeUndefined();
  unregister();
  second += 1;
  shard.trim();
  expect(shard.size).toBe(0);
});

describe('retention', () => {
  const at = (ms: number) => jest.spyOn(Date, 'now').mockReturnValue(ms);
  afterEach(() => jest.restoreAllMocks());

  it('keeps what every reader is done with for the retention period (RetentionPeriodHours), then drops it', () => {
    const shard = kinesis.createStream({ name: 's', shardCount: 1, retentionHours: 24 }).shards[0]!;
    at(1_000_000);
    kinesis.putRecord('s', 'k', Buffer.from('old'));
    at(1_000_000 + 3_600_000);
    kinesis.putRecord('s', 'k', Buffer.from('newer'));
    expect([shard.size, shard.at(shard.start)!.data.toString()]).toEqual([2, 'old']);
    at(1_000_000 + 24 * 3_600_000 + 1);
    kinesis.putRecord('s', 'k', Buffer.from('newest'));
    expect([shard.size, shard.at(shard.start)!.data.toString()]).toEqual([2, 'newer']);
    expect(shard.indexOf(shard.at(shard.start)!.sequenceNumber)).toBe(shard.start);
  });

  it('keeps at most maxRetainedBytes of it, the newest; a record no reader has read yet stays whatever its size', () => {
    kinesis = createKinesisEmulator({ retention: { maxRetainedBytes: 10 } });
    const shard = kinesis.createStream({ name: 's', shardCount: 1 }).shards[0]!;
    let read = shard.end;
    shard.addReader(() => read);
    for (const data of ['aaaa', 'bbbb', 'cccc', 'dddddddddddd']) kinesis.putRecord('s', 'k', Buffer.from(data));
    expect(shard.size).toBe(4); // unread
    read += 3;
    shard.trim();
    // 'bbbb' and 'cccc' fit in 10 bytes; 'dddddddddddd' is unread.
    expect([shard.size, shard.at(shard.start)!.data.toString()]).toEqual([3, 'bbbb']);
    read += 1;
    shard.trim();
    expect([shard.size, shard.at(shard.start)]).toEqual([0, undefined]);
  });
});
