// Alerts on the SNS alerts topic: the shared envelope, with `type`, `siteId`, `source` and a `severity` message
// attribute, so a subscriber can take only critical excursions, or one site's alerts. Published through the
// domain's outbox (shared/outbox.ts): written with the state change that causes it, so never lost. What each
// alert carries is its contract in #shared/contracts/iot (docs/events.md).
import type * as z from 'zod';
import { dynamoDb } from '#shared/clients/dynamodb';
import { iotContract } from '#shared/contracts/iot';
import { publishEvent } from '#shared/event-publisher';
import { buildEvent, type EventEnvelope } from '#shared/events';
import type { OutboxDeps } from '#shared/outbox-relay';

type Alerts = typeof iotContract.events;
type AlertData<T extends keyof Alerts> = z.input<Alerts[T]['data']>;

/** An alert of type `T`, checked against its contract: one that breaks it fails the decision instead of being sent. */
export function buildAlert<T extends keyof Alerts>(input: {
  /** Deterministic per fact (the incident, the silence), so a retried decision publishes the same event id. */
  id: string;
  type: T;
  siteId: string;
  correlationId: string;
  occurredAt: Date;
  severity: AlertData<T>['severity'];
  data: Omit<AlertData<T>, 'severity'>;
}): EventEnvelope {
  return buildEvent({ ...input, source: iotContract.source, data: { ...input.data, severity: input.severity } });
}

function publishAlert(topicArn: string, event: EventEnvelope): Promise<string> {
  const severity = typeof event.data.severity === 'string' ? event.data.severity : 'info';
  return publishEvent(topicArn, event, { severity });
}

export const alertOutboxDeps = (): OutboxDeps => ({
  send: (command) => dynamoDb().send(command as never),
  publish: publishAlert,
});
