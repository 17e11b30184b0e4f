import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '#shared/logger';
import { metricsFlush } from '#shared/metrics';
import { ingestBatch } from './ingest';

// Consumes the telemetry queue (functions.yml): each record's body is the telemetry rule's SELECT output as JSON
// (the device's JSON plus siteId and deviceId from the topic and IoT Core's receive time). Bad messages and
// readings are kept as rejects, never thrown; only the messages of a device whose readings or state could not be
// stored are reported in batchItemFailures, so SQS redelivers those and deletes the rest.
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(metricsFlush())
  .handler(async (event, context: Context) => {
    const correlationId = context.awsRequestId;
    logger.resetKeys(); // a run of its own: no keys left over from the container's previous invocation
    logger.appendKeys({ correlationId, job: 'ingest-telemetry' });
    const messages = event.Records.map((record) => ({ id: record.messageId, output: parseBody(record.body) }));
    const outcome = await ingestBatch(messages, correlationId);
    logger.info('ingest-telemetry finished', {
      messages: messages.length,
      accepted: outcome.accepted,
      duplicates: outcome.duplicates,
      rejected: outcome.rejected,
      failedMessages: outcome.failedMessageIds.length,
    });
    return { batchItemFailures: outcome.failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
  });

/** The rule sends JSON (UseBase64 false); anything else is kept whole as an invalid message. */
function parseBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return { body };
  }
}
