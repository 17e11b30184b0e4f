// Handlers for SNS-delivered domain events. SNS delivers at least once, so each event is claimed by id in
// the consumer's own table before it is processed; a redelivery finds the claim and is skipped. A consumer whose
// own writes are already conditional on the event id opts out (`claimEvents: false`): a receipt would be a
// second claim of the same thing, one more write per event.
import middy from '@middy/core';
import type { SNSEvent, Context } from 'aws-lambda';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from './clients/dynamodb';
import { isConditionFailure } from './dynamodb';
import { eventEnvelopeSchema, messageJson, type EventEnvelope } from './events';
import { logger } from './logger';
import { metricsFlush } from './metrics';

const RECEIPT_TTL_SECONDS = 7 * 24 * 60 * 60;

export interface EventConsumerOptions {
  tableName: string;
  /** Name of this consumer; two consumers sharing a table keep separate receipts. */
  consumer: string;
  /**
   * false: no receipt; the handler must itself be idempotent per event id and safe against a concurrent
   * duplicate delivery (e.g. notifications' inbox write, conditional on event and recipient). Default true.
   */
  claimEvents?: boolean;
}

export function snsEventHandler(
  options: EventConsumerOptions,
  handle: (event: EventEnvelope) => Promise<void>,
): (event: SNSEvent, context: Context) => Promise<void> {
  return middy<SNSEvent, void>().use(metricsFlush()).handler(async (event) => {
    logger.resetKeys(); // an invocation of its own: no keys left over from the container's previous one
    for (const record of event.Records) {
      const parsed = eventEnvelopeSchema.safeParse(messageJson(record.Sns.Message));
      if (!parsed.success) {
        // A malformed envelope will never parse on retry; keep it visible in the logs and move on.
        logger.error('rejected malformed event', { messageId: record.Sns.MessageId, issues: parsed.error.issues });
        continue;
      }
      const envelope = parsed.data;
      logger.appendKeys({ correlationId: envelope.correlationId, eventId: envelope.id, eventType: envelope.type });
      const claims = options.claimEvents ?? true;
      if (claims && !(await claim(options, envelope.id))) {
        logger.info('duplicate event skipped');
        continue;
      }
      try {
        await handle(envelope);
      } catch (error) {
        if (claims) await release(options, envelope.id);
        throw error; // SNS/Lambda retry it, then the dead-letter queue keeps it
      }
    }
  });
}

function receiptKey(options: EventConsumerOptions, eventId: string) {
  return { pk: `EVENT#${options.consumer}#${eventId}`, sk: 'RECEIPT' };
}

async function claim(options: EventConsumerOptions, eventId: string): Promise<boolean> {
  try {
    await dynamoDb().send(
      new PutCommand({
        TableName: options.tableName,
        Item: { ...receiptKey(options, eventId), expiresAt: Math.floor(Date.now() / 1000) + RECEIPT_TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

async function release(options: EventConsumerOptions, eventId: string): Promise<void> {
  await dynamoDb().send(new DeleteCommand({ TableName: options.tableName, Key: receiptKey(options, eventId) }));
}
