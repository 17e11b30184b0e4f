// Publishes an event envelope (./events.ts) to an SNS topic with the message attributes subscribers filter on. Kept
// apart from building events, so a function that only builds and commits them (the outbox's stream path) bundles
// no SNS client.
import { PublishBatchCommand, PublishCommand, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { snsClient } from './clients/sns';
import type { EventEnvelope } from './events';

/** PublishBatch's limits: 10 entries, and 256 KiB for the messages and their attributes together. */
const BATCH_ENTRIES = 10;
const BATCH_BYTES = 256 * 1024;

/** `extraAttributes` adds message attributes for filter policies beyond the standard three (e.g. severity). */
export async function publishEvent(
  topicArn: string,
  event: EventEnvelope<Record<string, unknown>>,
  extraAttributes: Record<string, string> = {},
): Promise<string> {
  const result = await snsClient().send(new PublishCommand({ TopicArn: topicArn, ...messageOf(event, extraAttributes) }));
  return result.MessageId ?? '';
}

/**
 * Several events to one topic in as few PublishBatch calls as they fit (10 to a call, 256 KiB in all), each
 * published as Publish would have; the outcome per event, in order. One event's failure (an entry SNS refused, or
 * a whole call that failed) is only that event's.
 */
export async function publishEvents(topicArn: string, events: ReadonlyArray<EventEnvelope<Record<string, unknown>>>): Promise<Array<PromiseSettledResult<void>>> {
  const messages = events.map((event) => messageOf(event));
  const outcomes: Array<PromiseSettledResult<void>> = [];
  await Promise.all(
    batchesOf(messages).map(async (indexes) => {
      try {
        const result = await snsClient().send(
          new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: indexes.map((i) => ({ Id: `e${i}`, ...messages[i]! })) }),
        );
        for (const i of indexes) outcomes[i] = { status: 'fulfilled', value: undefined };
        for (const failed of result.Failed ?? []) {
          outcomes[Number(failed.Id?.slice(1))] = { status: 'rejected', reason: new Error(`SNS refused the event: ${failed.Code} ${failed.Message ?? ''}`) };
        }
      } catch (error) {
        for (const i of indexes) outcomes[i] = { status: 'rejected', reason: error };
      }
    }),
  );
  return outcomes;
}

function messageOf(event: EventEnvelope<Record<string, unknown>>, extraAttributes: Record<string, string> = {}): { Message: string; MessageAttributes: Record<string, MessageAttributeValue> } {
  return {
    Message: JSON.stringify(event),
    MessageAttributes: {
      type: { DataType: 'String', StringValue: event.type },
      siteId: { DataType: 'String', StringValue: event.siteId },
      source: { DataType: 'String', StringValue: event.source },
      ...Object.fromEntries(Object.entries(extraAttributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }])),
    },
  };
}

/** The messages' indexes in batches within PublishBatch's limits, in order; a message near 256 KiB goes alone. */
function batchesOf(messages: ReadonlyArray<{ Message: string; MessageAttributes: Record<string, MessageAttributeValue> }>): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  messages.forEach((message, i) => {
    const size =
      Buffer.byteLength(message.Message) +
      Object.entries(message.MessageAttributes).reduce((sum, [name, a]) => sum + Buffer.byteLength(name) + Buffer.byteLength(a.DataType ?? '') + Buffer.byteLength(a.StringValue ?? ''), 0);
    if (current.length > 0 && (current.length === BATCH_ENTRIES || bytes + size > BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
