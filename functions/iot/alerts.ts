// Alerts on the SNS alerts topic: the shared envelope, with `type`, `siteId`, `source` and a `severity` message
// attribute, so a subscriber can take only critical excursions, or one site's alerts. Published through the
// domain's outbox (shared/outbox.ts): written with the state change that causes it, so never lost.
import { dynamoDb } from '#shared/aws-clients';
import { buildEvent, publishEvent, type EventEnvelope } from '#shared/events';
import type { OutboxDeps } from '#shared/outbox';

export type AlertSeverity = 'critical' | 'warning' | 'info';
export type AlertType = 'iot.excursion-started' | 'iot.excursion-ended' | 'iot.device-offline' | 'iot.device-online';

export function buildAlert(input: {
  /** Deterministic per fact (the incident, the silence), so a retried decision publishes the same event id. */
  id: string;
  type: AlertType;
  siteId: string;
  correlationId: string;
  occurredAt: Date;
  severity: AlertSeverity;
  data: Record<string, unknown>;
}): EventEnvelope {
  return buildEvent({ ...input, source: 'iot', data: { ...input.data, severity: input.severity } });
}

function publishAlert(topicArn: string, event: EventEnvelope): Promise<string> {
  const severity = typeof event.data.severity === 'string' ? event.data.severity : 'info';
  return publishEvent(topicArn, event, { severity });
}

export const alertOutboxDeps = (): OutboxDeps => ({
  send: (command) => dynamoDb().send(command as never),
  publish: publishAlert,
});
