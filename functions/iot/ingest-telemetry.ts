import middy from '@middy/core';
import type { Context, KinesisStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '#shared/logger';
import { metricsFlush } from '#shared/metrics';
import { ingestBatch, type TelemetryMessage } from './ingest';

// Consumes the telemetry rule's SELECT outputs (the device's JSON plus siteId and deviceId from the topic and IoT
// Core's receive time) from the stage's transport (functions/iot/telemetry-*.yml):
// - the stream: each record's data, partitioned by device, so this invocation is the only one holding these
//   devices' records and their new readings need no condition; Lambda retries from the first failed record (the
//   records after it come again, and what was stored of them counts as duplicates);
// - the queue: each message's body; one device's messages may be in another invocation at the same time, so every
//   write is conditional (ingest's rounds); SQS redelivers only the failed messages.
// Bad messages and readings are kept as rejects, never thrown; the records or messages of a device whose readings
// or state could not be stored are reported in batchItemFailures.
export const handler = middy<KinesisStreamEvent | SQSEvent, SQSBatchResponse>()
  .use(metricsFlush())
  .handler(async (event, context: Context) => {
    const correlationId = context.awsRequestId;
    logger.resetKeys(); // a run of its own: no keys left over from the container's previous invocation
    logger.appendKeys({ correlationId, job: 'ingest-telemetry' });
    const { messages, oneBatchPerDevice } = messagesOf(event);
    const outcome = await ingestBatch(messages, correlationId, { oneBatchPerDevice });
    logger.info('ingest-telemetry finished', {
      messages: messages.length,
      accepted: outcome.accepted,
      duplicates: outcome.duplicates,
      rejected: outcome.rejected,
      failedMessages: outcome.failedMessageIds.length,
    });
    return { batchItemFailures: outcome.failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
  });

/** The event's messages, identified as its source retries them (sequence number or message id). */
export function messagesOf(event: KinesisStreamEvent | SQSEvent): { messages: TelemetryMessage[]; oneBatchPerDevice: boolean } {
  const records: Array<KinesisStreamEvent['Records'][number] | SQSEvent['Records'][number]> = event.Records;
  // An event holds records of one source; an empty one (never sent by Lambda) has nothing to order.
  const fromStream = records.every((record) => 'kinesis' in record);
  const messages = records.map((record) =>
    'kinesis' in record
      ? { id: record.kinesis.sequenceNumber, output: parseJson(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) }
      : { id: record.messageId, output: parseJson(record.body) },
  );
  return { messages, oneBatchPerDevice: fromStream && records.length > 0 };
}

/** The rule sends JSON; anything else is kept whole (as text) as an invalid message. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { body: text };
  }
}
