// Where inventory's outbox events go: low stock and its end are alerts (the alerts topic, with the `severity`
// attribute the notifications path filters on: inventoryAlertsContract), everything else goes to the events
// topic. Both relays (stream and scheduled) publish through this, so an alert never lands on the events topic.
import { dynamoDb } from '#shared/clients/dynamodb';
import { inventoryAlertsContract } from '#shared/contracts/inventory';
import { publishEvent } from '#shared/event-publisher';
import type { EventEnvelope } from '#shared/events';
import type { OutboxDeps } from '#shared/outbox-relay';

const ALERT_TYPES: ReadonlySet<string> = new Set(Object.keys(inventoryAlertsContract.events));

/** The relays' deps: `eventsTopicArn` is the outbox target's topic; alerts go to `alertsTopicArn`. */
export const inventoryOutboxDeps =
  (alertsTopicArn: string) =>
  (): OutboxDeps => ({
    send: (command) => dynamoDb().send(command as never),
    publish: (eventsTopicArn: string, event: EventEnvelope) =>
      ALERT_TYPES.has(event.type) ? publishEvent(alertsTopicArn, event, { severity: String(event.data.severity) }) : publishEvent(eventsTopicArn, event),
  });
