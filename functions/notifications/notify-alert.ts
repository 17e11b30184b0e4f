import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { eventEnvelopeSchema, messageJson, type EventEnvelope } from '#shared/events';
import { logger } from '#shared/logger';
import { metricsFlush } from '#shared/metrics';
import { notifyEvents } from './notify';

// Alerts (IoT, inventory) from the alerts queue (the alerts topic's subscription, resources.yml) → inboxes, realtime, SMS,
// email, escalation. Each message is one event envelope (raw delivery). No receipt per event: each recipient's
// inbox write is the claim (notify.ts). Only the events that failed are reported, so only they come back.
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(metricsFlush())
  .handler(async (event) => {
    logger.resetKeys(); // an invocation of its own: no keys left over from the container's previous one
    const envelopes: Array<{ messageId: string; envelope: EventEnvelope; publishedAt: number }> = [];
    for (const record of event.Records) {
      const parsed = eventEnvelopeSchema.safeParse(messageJson(record.body));
      // A malformed envelope will never parse on a retry: kept visible in the logs, and deleted.
      if (!parsed.success) logger.error('rejected malformed event', { messageId: record.messageId, issues: parsed.error.issues });
      // When SNS put it in the queue (kept across redeliveries): how late an alert is does not count this queue's backlog.
      else envelopes.push({ messageId: record.messageId, envelope: parsed.data, publishedAt: Number(record.attributes?.SentTimestamp) || Date.now() });
    }
    const outcomes = await notifyEvents(
      envelopes.map((e) => e.envelope),
      envelopes.map((e) => e.publishedAt),
    );
    const failed = envelopes.filter((_, i) => outcomes[i]!.status === 'rejected');
    for (const [i, { envelope }] of envelopes.entries()) {
      const outcome = outcomes[i]!;
      const keys = { correlationId: envelope.correlationId, eventId: envelope.id, eventType: envelope.type };
      if (outcome.status === 'fulfilled') logger.info('alert routed', { ...keys, notified: outcome.value.notified });
      else logger.error('alert not routed; SQS delivers it again', { ...keys, error: outcome.reason as Error });
    }
    return { batchItemFailures: failed.map((f) => ({ itemIdentifier: f.messageId })) };
  });
