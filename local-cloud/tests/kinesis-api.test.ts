// Kinesis on the edge port, as @aws-sdk/client-kinesis and the AWS CLI call it (awsJson 1.1,
// `X-Amz-Target: Kinesis_20131202.<Action>`): PutRecord, PutRecords, DescribeStreamSummary, ListShards,
// GetShardIterator and GetRecords; AWS's error types; the records land in the stream the event source mappings read.
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createKinesisEmulator, type KinesisEmulator } from '../kinesis';
import { serveEmulator, type TestServer } from './support/emulator-server';

let kinesis: KinesisEmulator;
let server: TestServer;

beforeAll(async () => {
  server = await serveEmulator(() => kinesis);
});
afterAll(() => server.close());
beforeEach(() => {
  kinesis = createKinesisEmulator();
  kinesis.createStream({ name: 'telemetry', shardCount: 2 });
});

async function call(action: string, input: object): Promise<{ status: number; body: any }> {
  const response = await fetch(server.baseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Kinesis_20131202.${action}` },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: await response.json() };
}

const b64 = (text: string) => Buffer.from(text).toString('base64');
const ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/telemetry';

it('PutRecord puts in the shard of the key (or of ExplicitHashKey), by stream name or ARN', async () => {
  const shard = kinesis.stream('telemetry')!.shards[1]!;
  shard.addReader(() => shard.start);
  const put = await call('PutRecord', { StreamName: 'telemetry', PartitionKey: 'b', Data: b64('{"t":1}') });
  expect(put).toEqual({ status: 200, body: { ShardId: 'shardId-000000000001', SequenceNumber: expect.stringMatching(/^\d{56}$/), EncryptionType: 'NONE' } });
  expect(shard.at(shard.end - 1)).toMatchObject({ partitionKey: 'b', sequenceNumber: put.body.SequenceNumber, data: Buffer.from('{"t":1}') });
  const explicit = await call('PutRecord', { StreamARN: ARN, PartitionKey: 'b', Data: b64('x'), ExplicitHashKey: '0' });
  expect(explicit.body.ShardId).toBe('shardId-000000000000');
});

it('PutRecords puts each entry and answers in order', async () => {
  const put = await call('PutRecords', { StreamName: 'telemetry', Records: [{ PartitionKey: 'a', Data: b64('1') }, { PartitionKey: 'b', Data: b64('2') }] });
  expect(put.body).toEqual({
    FailedRecordCount: 0,
    Records: [
      { ShardId: 'shardId-000000000000', SequenceNumber: expect.any(String) },
      { ShardId: 'shardId-000000000001', SequenceNumber: expect.any(String) },
    ],
    EncryptionType: 'NONE',
  });
  const invalid = await call('PutRecords', { StreamName: 'telemetry', Records: [{ PartitionKey: 'a', Data: b64('1') }, { PartitionKey: '', Data: b64('2') }] });
  expect(invalid).toEqual({ status: 400, body: { __type: 'ValidationException', message: expect.stringContaining("at 'records.2.member.partitionKey'") } });
});

it('DescribeStreamSummary and ListShards describe the stream and its hash-key ranges', async () => {
  const summary = await call('DescribeStreamSummary', { StreamName: 'telemetry' });
  expect(summary.body.StreamDescriptionSummary).toMatchObject({ StreamName: 'telemetry', StreamARN: ARN, StreamStatus: 'ACTIVE', OpenShardCount: 2 });
  const first = await call('ListShards', { StreamName: 'telemetry', MaxResults: 1 });
  expect(first.body.Shards).toEqual([
    { ShardId: 'shardId-000000000000', HashKeyRange: { StartingHashKey: '0', EndingHashKey: String(2n ** 127n - 1n) }, SequenceNumberRange: { StartingSequenceNumber: expect.any(String) } },
  ]);
  const second = await call('ListShards', { NextToken: first.body.NextToken });
  expect(second.body.Shards.map((s: any) => s.ShardId)).toEqual(['shardId-000000000001']);
  expect(second.body.NextToken).toBeUndefined();
});

it("answers AWS's errors: no such stream, no stream named, an invalid record, an operation it does not emulate", async () => {
  expect(await call('PutRecord', { StreamName: 'nope', PartitionKey: 'k', Data: b64('x') })).toEqual({
    status: 400,
    body: { __type: 'ResourceNotFoundException', message: 'Stream nope under account 000000000000 not found.' },
  });
  expect((await call('DescribeStreamSummary', {})).body.__type).toBe('InvalidArgumentException');
  expect((await call('PutRecord', { StreamName: 'telemetry', PartitionKey: 'k'.repeat(257), Data: b64('x') })).body.__type).toBe('ValidationException');
  expect((await call('PutRecord', { StreamName: 'telemetry', PartitionKey: 'k', Data: b64('x'), ExplicitHashKey: String(2n ** 128n) })).body.__type).toBe('InvalidArgumentException');
  expect(await call('SplitShard', { StreamName: 'telemetry' })).toEqual({ status: 400, body: { __type: 'UnknownOperationException', message: 'SplitShard is not supported by the local emulator' } });
});

describe('reading a shard again (GetShardIterator, GetRecords), as the telemetry redrive does', () => {
  // HTTP/1.1, as scripts/kinesis-client.ts: the SDK's default for Kinesis is HTTP/2, which the edge server does not speak.
  const client = () =>
    new KinesisClient({ endpoint: server.baseUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, requestHandler: new NodeHttpHandler() });
  /** Puts `count` records on one key (one shard) through the SDK; their sequence numbers, in order. */
  const putMany = async (sdk: KinesisClient, count: number, key = 'device-1') => {
    const put = await sdk.send(new PutRecordsCommand({ StreamName: 'telemetry', Records: Array.from({ length: count }, (_, i) => ({ PartitionKey: key, Data: Buffer.from(`r${i}`) })) }));
    return { shardId: put.Records![0]!.ShardId!, sequenceNumbers: put.Records!.map((r) => r.SequenceNumber!) };
  };

  it('reads from a sequence number, at or after it, in pages of Limit, until the tip (the SDK client)', async () => {
    const sdk = client();
    // No event source mapping reads this shard: the records are kept for the retention period all the same.
    const { shardId, sequenceNumbers } = await putMany(sdk, 5);
    const at = await sdk.send(new GetShardIteratorCommand({ StreamName: 'telemetry', ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: sequenceNumbers[1] }));
    const page1 = await sdk.send(new GetRecordsCommand({ ShardIterator: at.ShardIterator, Limit: 3 }));
    expect(page1.Records!.map((r) => [r.SequenceNumber, Buffer.from(r.Data!).toString(), r.PartitionKey])).toEqual([1, 2, 3].map((i) => [sequenceNumbers[i], `r${i}`, 'device-1']));
    expect(page1.Records![0]!.ApproximateArrivalTimestamp).toBeInstanceOf(Date);
    expect(page1.MillisBehindLatest).toBeGreaterThanOrEqual(0);
    const page2 = await sdk.send(new GetRecordsCommand({ ShardIterator: page1.NextShardIterator }));
    expect(page2.Records!.map((r) => r.SequenceNumber)).toEqual([sequenceNumbers[4]]);
    expect(page2.MillisBehindLatest).toBe(0);
    // At the tip: no records, an iterator that reads what comes next.
    const page3 = await sdk.send(new GetRecordsCommand({ ShardIterator: page2.NextShardIterator }));
    expect(page3.Records).toEqual([]);
    const later = await putMany(sdk, 1);
    expect((await sdk.send(new GetRecordsCommand({ ShardIterator: page3.NextShardIterator }))).Records!.map((r) => r.SequenceNumber)).toEqual(later.sequenceNumbers);

    const after = await sdk.send(new GetShardIteratorCommand({ StreamName: 'telemetry', ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: sequenceNumbers[3] }));
    expect((await sdk.send(new GetRecordsCommand({ ShardIterator: after.ShardIterator }))).Records!.map((r) => r.SequenceNumber)).toEqual([sequenceNumbers[4], ...later.sequenceNumbers]);
    const horizon = await sdk.send(new GetShardIteratorCommand({ StreamName: 'telemetry', ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
    expect((await sdk.send(new GetRecordsCommand({ ShardIterator: horizon.ShardIterator }))).Records).toHaveLength(6);
    const latest = await sdk.send(new GetShardIteratorCommand({ StreamName: 'telemetry', ShardId: shardId, ShardIteratorType: 'LATEST' }));
    expect((await sdk.send(new GetRecordsCommand({ ShardIterator: latest.ShardIterator }))).Records).toEqual([]);
    sdk.destroy();
  });

  it('AT_TIMESTAMP starts at the first record that arrived then or later', async () => {
    const sdk = client();
    const now = jest.spyOn(Date, 'now');
    now.mockReturnValue(1_800_000_000_000);
    const { shardId } = await putMany(sdk, 2);
    now.mockReturnValue(1_800_000_060_000);
    const { sequenceNumbers } = await putMany(sdk, 1);
    const at = await sdk.send(new GetShardIteratorCommand({ StreamName: 'telemetry', ShardId: shardId, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(1_800_000_030_000) }));
    expect((await sdk.send(new GetRecordsCommand({ ShardIterator: at.ShardIterator }))).Records!.map((r) => r.SequenceNumber)).toEqual(sequenceNumbers);
    now.mockRestore();
    sdk.destroy();
  });

  it("answers AWS's errors: unknown shard, missing or foreign sequence number, bad Limit, an invalid or expired iterator", async () => {
    const { shardId, sequenceNumbers } = await putMany(client(), 1);
    const iterator = async (input: object) => call('GetShardIterator', { StreamName: 'telemetry', ShardId: shardId, ...input });
    expect((await iterator({ ShardId: 'shardId-000000000009', ShardIteratorType: 'LATEST' })).body).toEqual({
      __type: 'ResourceNotFoundException',
      message: 'Shard shardId-000000000009 in stream telemetry under account 000000000000 does not exist',
    });
    expect((await iterator({ ShardIteratorType: 'AT_SEQUENCE_NUMBER' })).body.__type).toBe('InvalidArgumentException');
    expect((await iterator({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: '12' })).body.__type).toBe('InvalidArgumentException');
    expect((await iterator({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: 'abc' })).body.__type).toBe('ValidationException');
    expect((await iterator({ ShardIteratorType: 'AT_TIMESTAMP' })).body.__type).toBe('InvalidArgumentException');
    expect((await iterator({ ShardIteratorType: 'SOMEWHERE' })).body.__type).toBe('ValidationException');
    const { ShardIterator } = (await iterator({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: sequenceNumbers[0] })).body;
    expect((await call('GetRecords', { ShardIterator, Limit: 10_001 })).body.__type).toBe('ValidationException');
    expect((await call('GetRecords', { ShardIterator, Limit: 0 })).body.__type).toBe('ValidationException');
    expect((await call('GetRecords', { ShardIterator: 'not an iterator' })).body).toEqual({ __type: 'InvalidArgumentException', message: 'Invalid ShardIterator.' });
    expect((await call('GetRecords', {})).body.__type).toBe('ValidationException');
    const now = Date.now();
    const spy = jest.spyOn(Date, 'now').mockReturnValue(now + 5 * 60_000 + 1_000);
    expect((await call('GetRecords', { ShardIterator })).body.__type).toBe('ExpiredIteratorException');
    spy.mockRestore();
  });
});
