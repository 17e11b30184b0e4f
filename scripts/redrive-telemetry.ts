// `npm run telemetry:redrive -- [--stage local|localstack|<aws stage>] [--region r] [--dry-run] [--discard-expired]`:
// puts the telemetry ingest gave up on back where ingest reads it (docs/iot.md "When ingest fails"), whichever the
// stage's transport (`telemetryTransport`):
// - stream: when ingestTelemetry fails a batch 10 times, Lambda sends to `brigade-<stage>-iot-telemetry-dlq` where
//   the batch is (shard, first and last sequence number), not its records, which stay in the stream for its
//   retention (24 h). For each such message this reads the records of that range again (GetShardIterator
//   AT_SEQUENCE_NUMBER, GetRecords) and puts them back with their partition keys (PutRecords). A message whose
//   records are no longer in the stream is left in the queue and named, unless --discard-expired.
// - queue: after 5 receives the messages themselves are in the DLQ; each is sent back to the telemetry queue.
// Ingest takes them like any late reading (each stored once, whatever was stored already counts as a duplicate);
// then the DLQ message is deleted. --dry-run only prints what it would do. Without --stage, the local stack of
// `npm start`. Safe to run again.
import { GetRecordsCommand, GetShardIteratorCommand, InvalidArgumentException, PutRecordsCommand, type _Record as StreamRecord } from '@aws-sdk/client-kinesis';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueUrlCommand, QueueDoesNotExist, ReceiveMessageCommand, SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { localAwsEnv } from '../dev/aws';
import { kinesisClient, sqsClient } from './aws-clients';
import { localStackEnv } from './localstack';
import { runCli, UsageError } from './cli';

const USAGE = 'usage: npm run telemetry:redrive -- [--stage local|localstack|<aws stage>] [--region r] [--dry-run] [--discard-expired]';
/** Long enough to read and put back one batch (up to 2,000 records); what is left is released at the end. */
const VISIBILITY_TIMEOUT_S = 300;
const GET_RECORDS_LIMIT = 1_000;
const GET_RECORDS_PAUSE_MS = 500;
const PUT_RECORDS_MAX = 500;
const PUT_RECORDS_MAX_BYTES = 5 * 1024 * 1024;
const PUT_ATTEMPTS = 5;

/** What Lambda sends to a Kinesis event source mapping's on-failure destination (the fields this reads). */
const OnFailureRecord = z.object({
  requestContext: z.object({ condition: z.string(), approximateInvokeCount: z.number().optional() }),
  timestamp: z.string().optional(),
  KinesisBatchInfo: z.object({
    shardId: z.string().min(1),
    startSequenceNumber: z.string().regex(/^\d+$/),
    endSequenceNumber: z.string().regex(/^\d+$/),
    batchSize: z.number().int().positive(),
    streamArn: z.string().regex(/^arn:[^:]+:kinesis:[^:]*:[^:]*:stream\/.+$/),
  }),
});
type BatchInfo = z.infer<typeof OnFailureRecord>['KinesisBatchInfo'];
/** A telemetry rule output (the queue transport's DLQ holds them as they were sent): site and device from the topic. */
const RuleOutput = z.object({ siteId: z.string().min(1), deviceId: z.string().min(1) });

function parse() {
  let parsed;
  try {
    parsed = parseArgs({
    options: {
      stage: { type: 'string', default: 'local' },
      region: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'discard-expired': { type: 'boolean', default: false },
    },
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (!/^[a-z0-9-]+$/i.test(values.stage)) throw new UsageError(`--stage ${values.stage}: a stage name is letters, digits and dashes`);
  return { stage: values.stage, region: values.region, dryRun: values['dry-run'], discardExpired: values['discard-expired'] };
}

/** The records of the batch's range still in the stream, in order, and whether the range is whole. */
async function readRange(batch: BatchInfo): Promise<{ records: StreamRecord[]; whole: boolean }> {
  const kinesis = kinesisClient();
  const start = BigInt(batch.startSequenceNumber);
  const end = BigInt(batch.endSequenceNumber);
  let iterator: string | undefined;
  try {
    ({ ShardIterator: iterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamARN: batch.streamArn, ShardId: batch.shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: batch.startSequenceNumber }),
    ));
  } catch (error) {
    // A sequence number the stream no longer has (trimmed): nothing of the range can be read.
    if (error instanceof InvalidArgumentException) return { records: [], whole: false };
    throw error;
  }
  const records: StreamRecord[] = [];
  let pastEnd = false;
  while (iterator && !pastEnd) {
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: GET_RECORDS_LIMIT }));
    for (const record of page.Records ?? []) {
      const sequence = BigInt(record.SequenceNumber!);
      if (sequence > end) pastEnd = true;
      else if (sequence >= start) records.push(record);
    }
    // At the tip with nothing more: the range's end was the last record written.
    if ((page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0) break;
    iterator = page.NextShardIterator;
    // A shard serves 5 GetRecords a second, shared with ingest's own event source mapping: leave it most of them.
    if (iterator && !pastEnd) await new Promise((resolve) => setTimeout(resolve, GET_RECORDS_PAUSE_MS));
  }
  // The stream drops its oldest records first: if the range's first record is there, so is the rest of it.
  const whole = records[0]?.SequenceNumber === batch.startSequenceNumber && records.at(-1)?.SequenceNumber === batch.endSequenceNumber;
  return { records, whole };
}

/** Puts the records back, in order, in chunks PutRecords takes; an entry the stream refuses (throttled) is put again. */
async function putBack(streamArn: string, records: StreamRecord[]): Promise<void> {
  const kinesis = kinesisClient();
  const chunks: StreamRecord[][] = [[]];
  let bytes = 0;
  for (const record of records) {
    const size = record.Data!.length + Buffer.byteLength(record.PartitionKey!);
    const chunk = chunks.at(-1)!;
    if (chunk.length === PUT_RECORDS_MAX || (chunk.length > 0 && bytes + size > PUT_RECORDS_MAX_BYTES)) {
      chunks.push([]);
      bytes = 0;
    }
    chunks.at(-1)!.push(record);
    bytes += size;
  }
  for (const chunk of chunks) {
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const result = await kinesis.send(new PutRecordsCommand({ StreamARN: streamArn, Records: pending.map((r) => ({ PartitionKey: r.PartitionKey, Data: r.Data })) }));
      const refused = pending.filter((_, i) => result.Records?.[i]?.ErrorCode);
      if (refused.length > 0 && attempt === PUT_ATTEMPTS) {
        const first = result.Records!.find((r) => r.ErrorCode)!;
        throw new Error(`the stream refused ${refused.length} records ${PUT_ATTEMPTS} times (${first.ErrorCode}: ${first.ErrorMessage})`);
      }
      pending = refused;
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    }
  }
}

const short = (sequenceNumber: string) => `…${sequenceNumber.slice(-8)}`;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The queue's URL, or false when the stage has no such queue. */
async function queueUrlOf(queueName: string): Promise<string | false> {
  try {
    return (await sqsClient().send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl!;
  } catch (error) {
    if (error instanceof QueueDoesNotExist) return false;
    throw error;
  }
}

async function main(): Promise<number> {
  const { stage, region, dryRun, discardExpired } = parse();
  if (region) process.env.AWS_REGION = region;
  if (stage === 'local') Object.assign(process.env, localAwsEnv());
  if (stage === 'localstack') Object.assign(process.env, localStackEnv(process.env, process.arch));
  const sqs = sqsClient();
  const queueName = `brigade-${stage}-iot-telemetry-dlq`;
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  console.log(`${dryRun ? 'dry run: ' : ''}telemetry batches in ${queueName}`);

  let telemetryQueueUrl: string | false | undefined;
  const seen = new Set<string>();
  const release: Message[] = [];
  const totals = { batches: 0, putBack: 0, records: 0, expired: 0, left: 0 };
  try {
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: VISIBILITY_TIMEOUT_S, WaitTimeSeconds: 1 }));
      const fresh = Messages.filter((m) => !seen.has(m.MessageId!));
      if (fresh.length === 0) break;
      for (const message of fresh) {
        seen.add(message.MessageId!);
        totals.batches++;
        const keep = (why: string) => {
          console.log(`  ${message.MessageId}: ${why}; left in the queue`);
          release.push(message);
          totals.left++;
        };
        const body = parseJson(message.Body ?? '');
        const output = RuleOutput.safeParse(body);
        if (output.success) {
          // The queue transport: the message itself, sent back to the queue ingest reads.
          const what = `a message of ${output.data.siteId}/${output.data.deviceId}`;
          telemetryQueueUrl ??= await queueUrlOf(`brigade-${stage}-iot-telemetry`);
          if (telemetryQueueUrl === false) {
            keep(`${what}, but the stage has no telemetry queue (its transport is the stream)`);
          } else if (dryRun) {
            console.log(`  ${message.MessageId}: ${what}: would send it back to the telemetry queue`);
            release.push(message);
          } else {
            await sqs.send(new SendMessageCommand({ QueueUrl: telemetryQueueUrl, MessageBody: message.Body }));
            await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
            totals.putBack++;
            totals.records++;
            console.log(`  ${message.MessageId}: ${what}: sent back to the telemetry queue; message deleted`);
          }
          continue;
        }
        const onFailure = OnFailureRecord.safeParse(body);
        if (!onFailure.success) {
          keep('neither a Kinesis on-failure record nor a telemetry message');
          continue;
        }
        const parsed = onFailure.data;
        const batch = parsed.KinesisBatchInfo;
        const what = `${batch.shardId} ${short(batch.startSequenceNumber)}–${short(batch.endSequenceNumber)} (a batch of ${batch.batchSize}, given up ${parsed.timestamp ?? 'at an unknown time'} after ${parsed.requestContext.approximateInvokeCount ?? '?'} attempts)`;
        const { records, whole } = await readRange(batch);
        if (records.length === 0) {
          totals.expired++;
          if (dryRun || !discardExpired) {
            keep(`${what}: none of its records is in the stream any more (past its retention)${dryRun ? '' : '; --discard-expired deletes such messages'}`);
            continue;
          }
          await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
          console.log(`  ${what}: none of its records is in the stream any more; deleted (--discard-expired)`);
          continue;
        }
        // The range may hold other devices' records too (another batcher of the shard took them): they come again
        // as duplicates, which ingest counts and does not store twice.
        const partial = whole ? '' : ' (its oldest records are past the stream\'s retention: those are lost)';
        if (dryRun) {
          console.log(`  ${what}: would put back ${records.length} records${partial}`);
          release.push(message);
          continue;
        }
        try {
          await putBack(batch.streamArn, records);
        } catch (error) {
          keep(`${what}: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
        totals.putBack++;
        totals.records += records.length;
        console.log(`  ${what}: ${records.length} records put back${partial}; message deleted`);
      }
    }
  } finally {
    // What stays in the queue is visible again at once, for the next run or the console.
    for (const message of release) await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 })).catch(() => undefined);
  }
  if (dryRun) console.log(`${totals.batches} batches; nothing changed (dry run)`);
  else console.log(`${totals.batches} batches: ${totals.putBack} put back (${totals.records} records), ${totals.left} left in the queue${totals.expired > 0 ? `, ${totals.expired} past the retention` : ''}`);
  return totals.left > 0 && !dryRun ? 1 : 0;
}

runCli(main, USAGE);
