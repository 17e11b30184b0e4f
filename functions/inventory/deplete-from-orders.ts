import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseEvent } from '#shared/contracts';
import { messageJson } from '#shared/events';
import { logger } from '#shared/logger';
import { metricsFlush } from '#shared/metrics';
import { depleteBatch } from './depletion-batch';
import { DEPLETING_EVENTS, type DepletingEvent } from './depletion-rules';

// Orders events that move stock, from the depletion queue (the events topic's subscription and its filter policy,
// resources.yml) → sale, sale-return and voided-waste movements, a batch at a time (depletion-batch.ts). Each
// message is one event envelope (raw delivery). No receipt per event: the order's depletion record, written with
// the movements, is the claim (depletion.ts). Only the events that failed are reported, so only they come back.
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(metricsFlush())
  .handler(async (event) => {
    logger.resetKeys(); // an invocation of its own: no keys left over from the container's previous one
    const received: Array<{ messageId: string; event: DepletingEvent }> = [];
    for (const record of event.Records) {
      const parsed = parseEvent(messageJson(record.body), DEPLETING_EVENTS);
      // A malformed message or a contract breach never parses on a retry: logged, and deleted.
      if (!parsed.success) logger.error('orders event rejected', { messageId: record.messageId, issues: parsed.issues });
      else received.push({ messageId: record.messageId, event: parsed.event });
    }
    const outcomes = await depleteBatch(received.map((r) => r.event));
    const failed: string[] = [];
    for (const [i, { messageId, event: depleting }] of received.entries()) {
      const outcome = outcomes[i]!;
      const keys = { correlationId: depleting.correlationId, eventId: depleting.id, eventType: depleting.type, orderId: depleting.data.orderId };
      if (outcome.status === 'fulfilled') logger.info(outcome.value.replay ? 'orders event already applied' : 'stock depleted', { ...keys, movements: outcome.value.movements });
      else {
        logger.error('orders event not depleted; SQS delivers it again', { ...keys, error: outcome.reason as Error });
        failed.push(messageId);
      }
    }
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  });
