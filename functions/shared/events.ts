// Domain events: the typed envelope from ARCHITECTURE.md, published to SNS with a `type` attribute
// so every subscriber's filter policy takes only what it handles.
import { PublishCommand } from '@aws-sdk/client-sns';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { snsClient } from './aws-clients';

export const eventEnvelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().regex(/^[a-z]+(\.[a-z0-9-]+)+$/),
  source: z.string().min(1),
  siteId: z.string().min(1),
  occurredAt: z.iso.datetime(),
  correlationId: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});
export type EventEnvelope<D = Record<string, unknown>> = Omit<z.infer<typeof eventEnvelopeSchema>, 'data'> & { data: D };

export function buildEvent<D extends Record<string, unknown>>(input: {
  type: string;
  source: string;
  siteId: string;
  correlationId: string;
  data: D;
  id?: string;
  occurredAt?: Date;
}): EventEnvelope<D> {
  return {
    id: input.id ?? randomUUID(),
    type: input.type,
    source: input.source,
    siteId: input.siteId,
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    correlationId: input.correlationId,
    data: input.data,
  };
}

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
