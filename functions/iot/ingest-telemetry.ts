import middy from '@middy/core';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { logger } from '#shared/logger';
import { metricsFlush } from '#shared/metrics';
import { ingestBatch } from './ingest';

// Consumes the telemetry stream (functions.yml): each record's data is the telemetry rule's SELECT output as JSON
// (the device's JSON plus siteId and deviceId from the topic and IoT Core's receive time), partitioned by device,
// so this invocation is the only one holding these devices' records. Bad messages and readings are kept as
// rejects, never thrown; the records of a device whose readings or state could not be stored are reported in
// batchItemFailures: Lambda retries from the first of them (the records after it come again, and what was
// stored of them counts as duplicates).
export const handler = middy<KinesisStreamEvent, KinesisStreamBatchResponse>()
  .use(metricsFlush())
  .handler(async (event, context: Context) => {
    const correlationId = context.awsRequestId;
    logger.resetKeys(); // a run of its own: no keys left over from the container's previous invocation
    logger.appendKeys({ correlationId, job: 'ingest-telemetry' });
    const messages = event.Records.map(({ kinesis }) => ({ id: kinesis.sequenceNumber, output: parseData(kinesis.data) }));
    const outcome = await ingestBatch(messages, correlationId, { oneBatchPerDevice: true });
    logger.info('ingest-telemetry finished', {
      messages: messages.length,
      accepted: outcome.accepted,
      duplicates: outcome.duplicates,
      rejected: outcome.rejected,
      failedMessages: outcome.failedMessageIds.length,
    });
    return { batchItemFailures: outcome.failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
  });

/** The rule puts JSON; anything else is kept whole (as text) as an invalid message. */
function parseData(data: string): unknown {
  const text = Buffer.from(data, 'base64').toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { body: text };
  }
}
