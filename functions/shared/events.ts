// Domain events: the typed envelope from ARCHITECTURE.md, published to SNS (./event-publisher.ts) with a `type`
// attribute so every subscriber's filter policy takes only what it handles. The `data` of each type is specified by the
// event catalog (./contracts): an event is checked against it when it is built, so none breaking it is published.
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { eventCatalog, isEventType } from './contracts/catalog';

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

/** An event that does not match its contract in the catalog: a bug in its producer, never published. */
export class EventContractError extends Error {
  constructor(
    readonly type: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(`${type} does not match its contract: ${issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; ')}`);
    this.name = 'EventContractError';
  }
}

/** The event's data as its contract parses it. A type not catalogued yet passes unchecked: its contract is due in ./contracts. */
function contractData<D>(type: string, source: string, data: D): D {
  if (!isEventType(type)) return data;
  const contract = eventCatalog[type];
  if (source !== contract.source) throw new EventContractError(type, [{ code: 'custom', path: ['source'], message: `published by ${contract.source}, not ${source}`, input: source }]);
  const parsed = contract.data.safeParse(data);
  if (!parsed.success) throw new EventContractError(type, parsed.error.issues);
  return parsed.data as D;
}

/** Throws EventContractError when a catalogued type's data or source does not match its contract. */
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
    data: contractData(input.type, input.source, input.data),
  };
}

/** A delivered message's body as JSON, or undefined when it is not JSON: the envelope's parse then says what is wrong. */
export function messageJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
