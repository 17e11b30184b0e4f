// The event contracts every domain may import: a domain never imports another, so producers validate what they
// publish and consumers parse what they receive with these same schemas. Contracts import only zod and the kit
// (#shared/*). docs/events.md is rendered from them (scripts/event-catalog.ts), and the contract tests hold the
// producers, a sample of every type (tests/unit/fixtures/events/) and what a real SNS subscriber receives to them.
//
// Every event is the envelope of #shared/events { id, type, source, siteId, occurredAt, correlationId, data },
// published with the message attributes `type`, `siteId` and `source` (alerts also `severity`). Delivery is at
// least once and unordered: deduplicate by `id`.
import * as z from 'zod';
import { eventEnvelopeSchema, type EventEnvelope } from '#shared/events';
import { eventCatalog, isEventType, type EventType } from './catalog';

export { EVENT_TYPES, STANDARD_ATTRIBUTES, TOPIC_ATTRIBUTES, eventCatalog, isEventType, type EventType, type Topic } from './catalog';

type Contract<T extends EventType> = (typeof eventCatalog)[T];

/** The `data` of an event type, as published and as parsed. */
export type EventData<T extends EventType> = z.output<Contract<T>['data']>;

/** An event of type `T` whose data matched its contract. */
export type EventOf<T extends EventType> = Omit<EventEnvelope, 'type' | 'source' | 'data'> & { type: T; source: Contract<T>['source']; data: EventData<T> };

/** Any catalogued event, narrowed by `type`. */
export type KnownEvent = EventOfAny<EventType>;

const envelopeSchemas = new Map<EventType, z.ZodType>();

/** The full envelope of an event type: its type, its producer as `source`, and its data schema. */
export function envelopeSchemaOf<T extends EventType>(type: T): z.ZodType<EventOf<T>> {
  let schema = envelopeSchemas.get(type);
  if (!schema) {
    const contract = eventCatalog[type];
    schema = eventEnvelopeSchema.extend({ type: z.literal(type), source: z.literal(contract.source), data: contract.data as z.ZodType<Record<string, unknown>> });
    envelopeSchemas.set(type, schema);
  }
  return schema as z.ZodType<EventOf<T>>;
}

/** An event of one of the types `T`, narrowed by `type`. */
export type EventOfAny<T extends EventType> = { [K in T]: EventOf<K> }[T];

export type ParsedEvent<T extends EventType = EventType> = { success: true; event: EventOfAny<T> } | { success: false; issues: z.core.$ZodIssue[] };

const refused = (message: string, input: unknown): ParsedEvent<never> => ({ success: false, issues: [{ code: 'custom', path: ['type'], message, input }] });

/**
 * An envelope checked against the catalog: its type must be catalogued (and one of `types`, when given), its source
 * the type's producer and its data the type's contract. A failure never parses on a retry: a consumer logs it and
 * drops the event.
 */
export function parseEvent<T extends EventType = EventType>(envelope: unknown, types?: readonly T[]): ParsedEvent<T> {
  const type = (envelope as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !isEventType(type)) return refused(`not in the event catalog: ${String(type)}`, type);
  if (types && !types.includes(type as T)) return refused(`not one of ${types.join(', ')}`, type);
  const parsed = envelopeSchemaOf(type).safeParse(envelope);
  return parsed.success ? { success: true, event: parsed.data as EventOfAny<T> } : { success: false, issues: parsed.error.issues };
}
