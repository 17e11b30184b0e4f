// Pure decisions of a replay: which requests are valid, which functions may receive one, and the SNS-shaped event a
// target is invoked with. Unit-tested without AWS (tests/unit/archive-rules.test.ts); replay.ts runs them.
import type { SNSEventRecord } from 'aws-lambda';
import * as z from 'zod';
import { siteIdSchema } from '#shared/identity';

/** Lambda refuses a synchronous payload over 6 MB: a batch is cut before its messages reach this. */
export const MAX_BATCH_BYTES = 5 * 1024 * 1024;
export const DEFAULT_BATCH_SIZE = 100;
export const MAX_BATCH_SIZE = 100;
/** SNS allows 10 message attributes; an archived event has up to 3 of its own (type, siteId, source) and `replay`. */
export const MAX_EXTRA_ATTRIBUTES = 6;
/** Attributes a replay sets itself: a caller's may not stand in for them. */
const RESERVED_ATTRIBUTES = new Set(['type', 'siteId', 'source', 'replay']);

/** A request that cannot be replayed as asked: the caller's mistake, named in the message. */
export class ReplayRequestError extends Error {
  override name = 'ReplayRequestError';
}

/** The archive keeps events that belong to no site (the users domain's `*`) under that id too. */
const archivedSiteIdSchema = z.union([siteIdSchema, z.literal('*')]);
const eventTypeSchema = z.string().regex(/^[a-z]+(\.[a-z0-9-]+)+$/, 'must be an event type such as order.paid');
const attributeNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ - .')
  .refine((name) => !RESERVED_ATTRIBUTES.has(name), 'is set by the replay itself')
  .refine((name) => !/^(aws|amazon)\./i.test(name), 'is reserved by SNS');
const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

export const replayRequestSchema = z
  .strictObject({
    siteId: archivedSiteIdSchema,
    /** A function of this stage by its name in functions.yml (`learnSites`), as allow-listed. */
    target: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'must be a function name such as learnSites'),
    types: z.array(eventTypeSchema).min(1).max(20).optional(),
    /** Inclusive; events at `to` are not replayed, so consecutive ranges do not overlap. */
    from: instant.optional(),
    to: instant.optional(),
    cursor: z.string().min(1).max(4096).optional(),
    attributes: z
      .record(attributeNameSchema, z.string().min(1).max(256))
      .refine((attributes) => Object.keys(attributes).length <= MAX_EXTRA_ATTRIBUTES, `at most ${MAX_EXTRA_ATTRIBUTES} attributes`)
      .optional(),
    batchSize: z.number().int().min(1).max(MAX_BATCH_SIZE).default(DEFAULT_BATCH_SIZE),
  })
  .refine((r) => r.from === undefined || r.to === undefined || r.from < r.to, { path: ['to'], message: 'must be after from' });
export type ReplayRequest = z.infer<typeof replayRequestSchema>;

/** The request, parsed, with its target checked against the allow-list; otherwise a ReplayRequestError naming why. */
export function parseReplayRequest(input: unknown, allowedTargets: readonly string[]): ReplayRequest {
  const parsed = replayRequestSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
    throw new ReplayRequestError(`Invalid replay request: ${problems}`);
  }
  if (!allowedTargets.includes(parsed.data.target)) {
    const allowed = allowedTargets.length > 0 ? allowedTargets.join(', ') : 'none';
    throw new ReplayRequestError(`Invalid replay request: target ${parsed.data.target} is not a replay target of this stage (allowed: ${allowed}; ARCHIVE_REPLAY_TARGETS)`);
  }
  return parsed.data;
}

/** An archived event as a replay reads it back. */
export interface ArchivedEvent {
  eventId: string;
  type: string;
  occurredAt: string;
  topicArn: string;
  /** The envelope's JSON, exactly as SNS delivered it. */
  message: string;
  /** The message attributes it was published with (`type`, `siteId`, `source`, …). */
  attributes: Record<string, { Type: string; Value: string }>;
}

/**
 * What SNS would have delivered, marked `replay: true` with the caller's attributes: a target needs no second
 * entry point. The message id is the event id, so the same event replayed twice carries the same id. Unsigned:
 * a subscriber that verified SNS signatures would refuse it, as it should refuse anything not from SNS.
 */
export function snsRecordOf(event: ArchivedEvent, extra: Record<string, string> = {}): SNSEventRecord {
  const attribute = (value: string) => ({ Type: 'String', Value: value });
  return {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: `${event.topicArn}:replay`,
    Sns: {
      Type: 'Notification',
      MessageId: event.eventId,
      TopicArn: event.topicArn,
      Message: event.message,
      Timestamp: event.occurredAt,
      SignatureVersion: '1',
      Signature: '',
      SigningCertUrl: '',
      UnsubscribeUrl: '',
      MessageAttributes: {
        ...event.attributes,
        type: attribute(event.type),
        ...Object.fromEntries(Object.entries(extra).map(([name, value]) => [name, attribute(value)])),
        replay: attribute('true'),
      },
    },
  };
}

/** Whether one more message still fits a batch's payload (the records' envelope around it is small). */
export const fitsBatch = (batchBytes: number, messageBytes: number) => batchBytes + messageBytes <= MAX_BATCH_BYTES;
