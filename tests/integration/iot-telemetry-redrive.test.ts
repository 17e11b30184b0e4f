// `npm run telemetry:redrive` (scripts/redrive-telemetry.ts) against the running stack. With the stream transport
// (the default), a telemetry batch ingest gave up on is named in the telemetry DLQ by its place in the stream; the
// script reads those records from the stream again, puts them back, and ingest stores their readings. The readings
// here really went through MQTT, the rule and the stream; that ingest then failed them is simulated (their items
// deleted, and the message Lambda would send put in the DLQ): the event source mapping's own side, retries then the
// on-failure record, is local-cloud/tests/kinesis-event-source-mapping.test.ts. With the queue transport
// (BRIGADE_TELEMETRY_TRANSPORT=queue), the DLQ holds the rule's messages themselves: the script sends them back.
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type _Record as StreamRecord } from '@aws-sdk/client-kinesis';
import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { MqttClient } from 'mqtt';
import type { KinesisOnFailureRecord } from '../../local-cloud/kinesis';
import { api, describeNeeding, dynamo, eventually, kinesis, queueUrl, region, sqs, stage, tableName, uniqueId } from './support/target';
import { bearer, createSite, createUser, type TestUser } from './support/identity';
import { connectDevice, registerDevice, waitForReadingAt } from './support/iot';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');
const streamName = `brigade-${stage}-iot-telemetry`;
// The local stack's, as serverless.yml reads it (a deployed stage: its `telemetryTransport` param, stream by default).
const transport = process.env.BRIGADE_TELEMETRY_TRANSPORT ?? 'stream';
/** A test of one transport; on the other it is skipped, saying how to run it (`npm test` runs both: test:integration:queue). */
const on = (only: string) => (transport === only ? it : (name: string, fn: () => Promise<void>) => it.skip(`${name} (runs with BRIGADE_TELEMETRY_TRANSPORT=${only})`, fn));
const onStream = on('stream');
const onQueue = on('queue');
const streamArn = `arn:aws:kinesis:${region}:${process.env.BRIGADE_ACCOUNT_ID ?? '000000000000'}:stream/${streamName}`;

/** The script as a user runs it; its output and exit code (a non-zero exit is returned, not thrown). */
async function redrive(...args: string[]): Promise<{ code: number; output: string }> {
  return run('npx', ['tsx', join(ROOT, 'scripts/redrive-telemetry.ts'), '--stage', stage, ...args], { cwd: ROOT, env: process.env }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
  );
}

/** The records of one partition key that arrived since `since`, read from every shard of the stream. */
async function recordsOf(partitionKey: string, since: Date): Promise<Array<StreamRecord & { shardId: string }>> {
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const found: Array<StreamRecord & { shardId: string }> = [];
  for (const { ShardId } of Shards) {
    let { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: since }));
    for (let page = 0; ShardIterator && page < 50; page++) {
      const result = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
      found.push(...(result.Records ?? []).filter((r) => r.PartitionKey === partitionKey).map((r) => ({ ...r, shardId: ShardId! })));
      if ((result.Records ?? []).length === 0 && result.MillisBehindLatest === 0) break;
      ShardIterator = result.NextShardIterator;
    }
  }
  return found;
}

/** What Lambda sends to the on-failure destination when a batch's retries run out. */
function onFailureRecord(shardId: string, first: string, last: string, batchSize: number): KinesisOnFailureRecord {
  const now = new Date().toISOString();
  return {
    requestContext: { requestId: uniqueId('request'), functionArn: `arn:aws:lambda:${region}:000000000000:function:brigade-${stage}-ingestTelemetry`, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 11 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: now,
    KinesisBatchInfo: { shardId, startSequenceNumber: first, endSequenceNumber: last, approximateArrivalOfFirstRecord: now, approximateArrivalOfLastRecord: now, batchSize, streamArn },
  };
}

const dlqDepth = async () => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: await queueUrl('iot-telemetry-dlq'), AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
};

describeNeeding('iot')('telemetry redrive: the batches ingest gave up on, put back from the stream', () => {
  let siteId: string;
  let manager: TestUser;
  let device: MqttClient;
  const deviceId = uniqueId('fridge');

  beforeAll(async () => {
    siteId = await createSite();
    manager = await createUser('manager', [siteId]);
    const registered = await registerDevice(siteId, manager, { deviceId, type: 'fridge', name: 'Walk-in' });
    device = await connectDevice(registered);
  });
  afterAll(() => device.endAsync());

  const storedAt = async () => {
    const res = await api('GET', `/sites/${siteId}/devices/${deviceId}/readings?limit=500&order=asc`, { headers: bearer(manager) });
    return (res.json.readings as Array<{ at: string }>).map((r) => Date.parse(r.at));
  };

  onStream('reads the named records from the stream again and puts them back: ingest stores each reading once, and the message goes', async () => {
    const since = new Date(Date.now() - 1_000);
    const t0 = Date.now() - 120_000;
    const times = [t0, t0 + 30_000, t0 + 60_000];
    for (const [i, t] of times.entries()) {
      await device.publishAsync(`brigade/${siteId}/devices/${deviceId}/telemetry`, JSON.stringify({ t, temperatureC: 3 + i }), { qos: 1 });
    }
    await waitForReadingAt(siteId, deviceId, times.at(-1)!, manager);
    const records = await eventually(async () => {
      const found = await recordsOf(`${siteId}/${deviceId}`, since);
      return found.length === times.length ? found : undefined;
    }, 10_000, 'the three records in the stream');
    expect(new Set(records.map((r) => r.shardId)).size).toBe(1);

    // The batch ingest gave up on: none of its readings stored, and its place in the stream in the DLQ.
    for (const t of times) await dynamo.send(new DeleteCommand({ TableName: tableName('iot'), Key: { pk: `SITE#${siteId}#DEVICE#${deviceId}`, sk: `R#${new Date(t).toISOString()}` } }));
    expect(await storedAt()).toEqual([]);
    const failure = onFailureRecord(records[0]!.shardId, records[0]!.SequenceNumber!, records.at(-1)!.SequenceNumber!, records.length);
    await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl('iot-telemetry-dlq'), MessageBody: JSON.stringify(failure) }));

    const dry = await redrive('--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.output).toContain(`${records[0]!.shardId} …${records[0]!.SequenceNumber!.slice(-8)}–…${records.at(-1)!.SequenceNumber!.slice(-8)} (a batch of 3`);
    expect(dry.output).toContain('would put back 3 records');
    expect(dry.output).toContain('nothing changed (dry run)');
    // The dry run made the message visible again, and stored nothing.
    expect(await dlqDepth()).toBe(1);
    expect(await storedAt()).toEqual([]);

    const done = await redrive();
    expect(done).toEqual({ code: 0, output: expect.stringContaining('3 records put back; message deleted') });
    expect(done.output).toContain('1 batches: 1 put back (3 records), 0 left in the queue');
    expect(await eventually(async () => ((await storedAt()).length === times.length ? storedAt() : undefined), 20_000, 'the readings stored again')).toEqual(times);
    expect(await dlqDepth()).toBe(0);

    // Again: nothing left to do.
    expect(await redrive()).toEqual({ code: 0, output: expect.stringContaining('0 batches: 0 put back (0 records), 0 left in the queue') });
    // And had the message come twice, the readings come as duplicates: still each stored once.
    await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl('iot-telemetry-dlq'), MessageBody: JSON.stringify(failure) }));
    expect((await redrive()).code).toBe(0);
    await eventually(async () => {
      const view = (await api('GET', `/sites/${siteId}/devices/${deviceId}`, { headers: bearer(manager) })).json;
      return view.readings.duplicates >= 3 ? view : undefined;
    }, 20_000, 'the second put-back counted as duplicates');
    expect(await storedAt()).toEqual(times);
  });

  onStream('a batch whose records are gone from the stream is named and left in the queue (exit 1) until --discard-expired; a message that is not a batch is left, and so is a telemetry message (no queue to send it to)', async () => {
    const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
    // Sequence number 0: before every record the stream ever held, as a trimmed range would be.
    const zero = `49${'0'.repeat(54)}`;
    await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl('iot-telemetry-dlq'), MessageBody: JSON.stringify(onFailureRecord(Shards[0]!.ShardId!, zero, zero, 5)) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl('iot-telemetry-dlq'), MessageBody: '{"not":"a batch"}' }));
    const stray = JSON.stringify({ siteId, deviceId, t: Date.now() - 60_000, temperatureC: 3, receivedAt: Date.now() });
    await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl('iot-telemetry-dlq'), MessageBody: stray }));

    const kept = await redrive();
    expect(kept.code).toBe(1);
    expect(kept.output).toContain(`a message of ${siteId}/${deviceId}, but the stage has no telemetry queue (its transport is the stream); left in the queue`);
    expect(kept.output).toContain('none of its records is in the stream any more (past its retention); --discard-expired deletes such messages; left in the queue');
    expect(kept.output).toContain('neither a Kinesis on-failure record nor a telemetry message; left in the queue');
    expect(kept.output).toContain('3 batches: 0 put back (0 records), 3 left in the queue, 1 past the retention');
    expect(await dlqDepth()).toBe(3);

    const discarded = await redrive('--discard-expired');
    expect(discarded.code).toBe(1);
    expect(discarded.output).toContain('none of its records is in the stream any more; deleted (--discard-expired)');
    expect(await dlqDepth()).toBe(2);
    const bad = await redrive('--stage');
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('usage: npm run telemetry:redrive');

    // The queue as it was: the two messages left are this test's.
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: await queueUrl('iot-telemetry-dlq'), MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(Messages.map((m) => m.Body).sort()).toEqual(['{"not":"a batch"}', stray].sort());
    for (const message of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: await queueUrl('iot-telemetry-dlq'), ReceiptHandle: message.ReceiptHandle }));
  });

  onQueue('the queue transport: the messages in the DLQ are sent back to the telemetry queue, and ingest stores their readings', async () => {
    // What SQS moves to the DLQ after 5 receives: the rule's output as it was sent (functions/iot/telemetry-queue.yml).
    const t = Date.now() - 90_000;
    const output = { t, temperatureC: 4.5, siteId, deviceId, receivedAt: Date.now() - 80_000, clientId: deviceId };
    await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl('iot-telemetry-dlq'), MessageBody: JSON.stringify(output) }));
    const dry = await redrive('--dry-run');
    expect(dry.output).toContain(`a message of ${siteId}/${deviceId}: would send it back to the telemetry queue`);
    expect(await dlqDepth()).toBe(1);
    const done = await redrive();
    expect(done).toEqual({ code: 0, output: expect.stringContaining(`a message of ${siteId}/${deviceId}: sent back to the telemetry queue; message deleted`) });
    expect(await eventually(async () => ((await storedAt()).includes(t) ? storedAt() : undefined), 20_000, 'the reading stored')).toContain(t);
    expect(await dlqDepth()).toBe(0);
  });
});
