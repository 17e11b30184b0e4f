// Every event type Brigade publishes, with its producer, topic and the exact schema of its `data`. Kept apart
// from index.ts so that #shared/events can validate what it builds against it without an import cycle (index.ts
// imports the envelope from #shared/events).
import type * as z from 'zod';
import { analyticsContract } from './analytics';
import { forecastContract } from './forecast';
import { inventoryAlertsContract, inventoryContract } from './inventory';
import { iotContract } from './iot';
import { ordersContract } from './orders';
import { staffContract } from './staff';
import { usersContract } from './users';

export type Topic = 'events' | 'alerts';

/** Message attributes every event is published with, for subscribers' filter policies. */
export const STANDARD_ATTRIBUTES = ['type', 'siteId', 'source'] as const;
/** Attributes a topic adds: an alert's `severity` (the value of `data.severity`). */
export const TOPIC_ATTRIBUTES: Record<Topic, readonly string[]> = { events: [], alerts: ['severity'] };

interface ProducerContract<S extends string, T extends Topic, E extends Record<string, { description: string; data: z.ZodType }>> {
  source: S;
  topic: T;
  events: E;
}

type Entries<C> =
  C extends ProducerContract<infer S, infer T, infer E> ? { [K in keyof E]: { source: S; topic: T; description: string; data: E[K]['data'] } } : never;

function entriesOf<S extends string, T extends Topic, E extends Record<string, { description: string; data: z.ZodType }>>(
  contract: ProducerContract<S, T, E>,
): Entries<ProducerContract<S, T, E>> {
  const { source, topic, events } = contract;
  return Object.fromEntries(Object.entries(events).map(([type, event]) => [type, { source, topic, ...event }])) as Entries<ProducerContract<S, T, E>>;
}

export const eventCatalog = {
  ...entriesOf(ordersContract),
  ...entriesOf(usersContract),
  ...entriesOf(iotContract),
  ...entriesOf(inventoryContract),
  ...entriesOf(inventoryAlertsContract),
  ...entriesOf(staffContract),
  ...entriesOf(analyticsContract),
  ...entriesOf(forecastContract),
};

export type EventType = keyof typeof eventCatalog;
export const EVENT_TYPES = Object.keys(eventCatalog) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventCatalog, type);
}
