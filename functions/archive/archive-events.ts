import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import { logger } from '#shared/logger';
import { metricsFlush, recordEventArchived, recordEventNotArchived } from '#shared/metrics';
import { archivedEnvelopeSchema, expiresAt, fitsInArchive, MAX_ENVELOPE_BYTES } from './archive-rules';
import { archiveStore, config } from './config';

/** An envelope larger than an archive item may be: the delivery fails, so SNS's retries end in the DLQ, whole. */
export class EnvelopeTooLargeError extends Error {
  override name = 'EnvelopeTooLargeError';
}

// Every event of the events and alerts topics (no filter policy) → the archive, as it came, put-if-absent: the
// item is the claim, so a redelivery writes nothing and needs no receipt (archive-store.ts).
export const handler = middy<SNSEvent, void>()
  .use(metricsFlush())
  .handler(async (event) => {
    logger.resetKeys(); // an invocation of its own: no keys left over from the container's previous one
    for (const record of event.Records) {
      const { Message: message, MessageId: messageId, TopicArn: topicArn } = record.Sns;
      const parsed = archivedEnvelopeSchema.safeParse(safeJson(message));
      if (!parsed.success) {
        // No site or time to file it under, and a retry never changes that: counted and logged, as every consumer
        // rejects it (shared/sns-consumer.ts).
        recordEventNotArchived('malformed');
        logger.error('malformed event not archived', { messageId, topicArn, issues: parsed.error.issues });
        continue;
      }
      const envelope = parsed.data;
      logger.appendKeys({ eventId: envelope.id, eventType: envelope.type });
      if (!fitsInArchive(message)) {
        recordEventNotArchived('too-large');
        throw new EnvelopeTooLargeError(`event ${envelope.id} is ${Buffer.byteLength(message)} bytes, over the archive's ${MAX_ENVELOPE_BYTES}`);
      }
      const stored = await archiveStore.put({
        envelope,
        message,
        topicArn,
        attributes: record.Sns.MessageAttributes ?? {},
        expiresAt: expiresAt(envelope.occurredAt, config.ARCHIVE_RETENTION_DAYS),
      });
      if (stored) recordEventArchived();
      else logger.info('event already archived');
    }
  });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
