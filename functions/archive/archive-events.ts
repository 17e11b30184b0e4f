import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { messageJson } from '#shared/events';
import { logger } from '#shared/logger';
import { metricsFlush, recordEventArchived, recordEventNotArchived } from '#shared/metrics';
import { archivedEnvelopeSchema, expiresAt, fitsInArchive, MAX_ENVELOPE_BYTES, snsNotificationSchema } from './archive-rules';
import type { ArchiveInput } from './archive-store';
import { archiveStore, config } from './config';

// Every event of the events and alerts topics (no filter policy) → the archive, as it came, put-if-absent: the
// item is the claim, so a redelivery writes nothing and needs no receipt (archive-store.ts). Both topics deliver to
// the archive queue (resources.yml) as SNS's JSON document, which names the topic; a batch of up to 100 is written
// 25 to a round trip. A message that could not be kept is reported, so only it comes back; after 5 receives it is
// in the archive's DLQ, whole.
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(metricsFlush())
  .handler(async (event) => {
    logger.resetKeys(); // an invocation of its own: no keys left over from the container's previous one
    const failed: string[] = [];
    const toArchive: Array<{ messageId: string; input: ArchiveInput }> = [];
    for (const record of event.Records) {
      const notification = snsNotificationSchema.safeParse(messageJson(record.body));
      const parsed = notification.success ? archivedEnvelopeSchema.safeParse(messageJson(notification.data.Message)) : undefined;
      if (!notification.success || !parsed?.success) {
        // No site or time to file it under, and a retry never changes that: counted and logged, as every consumer
        // rejects it (shared/sns-consumer.ts).
        recordEventNotArchived('malformed');
        logger.error('malformed event not archived', { messageId: record.messageId, issues: (parsed ?? notification).error?.issues });
        continue;
      }
      const { Message: message, TopicArn: topicArn, MessageAttributes: attributes } = notification.data;
      const envelope = parsed.data;
      if (!fitsInArchive(message)) {
        recordEventNotArchived('too-large');
        logger.error('event too large to archive; it ends in the DLQ', { eventId: envelope.id, bytes: Buffer.byteLength(message), limit: MAX_ENVELOPE_BYTES });
        failed.push(record.messageId);
        continue;
      }
      toArchive.push({
        messageId: record.messageId,
        input: { envelope, message, topicArn, attributes: attributes ?? {}, expiresAt: expiresAt(envelope.occurredAt, config.ARCHIVE_RETENTION_DAYS) },
      });
    }
    const outcomes = await archiveStore.putAll(toArchive.map((a) => a.input));
    outcomes.forEach((outcome, i) => {
      const { messageId, input } = toArchive[i]!;
      const keys = { eventId: input.envelope.id, eventType: input.envelope.type };
      if (outcome === 'archived') recordEventArchived();
      else if (outcome === 'already') logger.info('event already archived', keys);
      else {
        logger.error('event not archived; SQS delivers it again', { ...keys, error: outcome });
        failed.push(messageId);
      }
    });
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  });
