// Publishes an event envelope (./events.ts) to an SNS topic with the message attributes subscribers filter on. Kept
// apart from building events, so a function that only builds and commits them (the outbox's stream path) bundles
// no SNS client.
import { PublishCommand } from '@aws-sdk/client-sns';
import { snsClient } from './clients/sns';
import type { EventEnvelope } from './events';

/** `extraAttributes` adds message attributes for filter policies beyond the standard three (e.g. severity). */
export async function publishEvent(
  topicArn: string,
  event: EventEnvelope<Record<string, unknown>>,
  extraAttributes: Record<string, string> = {},
): Promise<string> {
  const result = await snsClient().send(
    new PublishCommand({
      TopicArn: topicArn,
      Message: JSON.stringify(event),
      MessageAttributes: {
        type: { DataType: 'String', StringValue: event.type },
        siteId: { DataType: 'String', StringValue: event.siteId },
        source: { DataType: 'String', StringValue: event.source },
        ...Object.fromEntries(Object.entries(extraAttributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }])),
      },
    }),
  );
  return result.MessageId ?? '';
}
