// Kinesis on the edge port, as @aws-sdk/client-kinesis and the AWS CLI call it (awsJson 1.1,
// `X-Amz-Target: Kinesis_20131202.<Action>`): PutRecord, PutRecords, DescribeStreamSummary, ListShards; AWS's error
// types; the records land in the stream the event source mappings read.
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
  expect(await call('GetRecords', { ShardIterator: 'x' })).toEqual({ status: 400, body: { __type: 'UnknownOperationException', message: 'GetRecords is not supported by the local emulator' } });
});
