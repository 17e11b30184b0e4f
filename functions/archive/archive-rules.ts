// Pure decisions of the archive: where an envelope is kept, until when, and whether it fits. Unit-tested without
// AWS (tests/unit/archive-rules.test.ts); archive-store.ts documents the table they lay out.
import * as z from 'zod';

const DAY_SECONDS = 24 * 60 * 60;

/**
 * Retention bounds. At least a day, so an event is never written already expired; at most ten years, so a typo
 * (40000) is refused at cold start instead of keeping everything for a century.
 */
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 3650;
export const DEFAULT_RETENTION_DAYS = 400;

/** `ARCHIVE_RETENTION_DAYS`: a whole number of days; unset or empty is the default. */
export const retentionDaysSchema = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? String(DEFAULT_RETENTION_DAYS) : value.trim()))
  .pipe(
    z.coerce
      .number<string>()
      .int('must be a whole number of days')
      .min(MIN_RETENTION_DAYS, `must be at least ${MIN_RETENTION_DAYS} day`)
      .max(MAX_RETENTION_DAYS, `must be at most ${MAX_RETENTION_DAYS} days`),
  );

/**
 * DynamoDB refuses an item over 400 KB; the envelope, its keys and attributes must fit with room to spare. SNS
 * caps a message at 256 KB, so only a change of transport could exceed this: such an envelope is refused loudly
 * (a metric, then the dead-letter queue), never dropped in silence.
 */
export const MAX_ENVELOPE_BYTES = 350 * 1024;

/** What the archive needs of an envelope; the rest is kept as it came, unread. */
export const archivedEnvelopeSchema = z.object({
  id: z.string().min(1).max(256),
  type: z.string().min(1).max(256),
  siteId: z.string().min(1).max(256),
  // Producers write `Date.toISOString()` (milliseconds); the contract accepts any precision, normalised below.
  occurredAt: z.iso.datetime(),
});
export type ArchivedEnvelope = z.infer<typeof archivedEnvelopeSchema>;

/**
 * What SNS puts in the archive queue's messages (the subscriptions are not raw, so the topic is named): the
 * notification as SNS sends it to an HTTP endpoint, the envelope's JSON in `Message`.
 */
export const snsNotificationSchema = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string().min(1),
  TopicArn: z.string().min(1),
  Message: z.string(),
  MessageAttributes: z.record(z.string(), z.object({ Type: z.string(), Value: z.string() })).optional(),
});

/**
 * An instant as a sort key: always `Date.toISOString()`'s 24 characters. Precisions differ between producers
 * (`…:05Z`, `…:05.1Z`, `…:05.123456Z`), and compared as text `…:05.1Z` would sort before `…:05Z`. Finer than a
 * millisecond is cut: events of the same millisecond are then in event-id order.
 */
export function sortableInstant(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${iso}`);
  return new Date(ms).toISOString();
}

export const archivePk = (siteId: string) => `SITE#${siteId}`;

/** A site's events sort by when they happened, then by id: a stable order that a replay cursor can resume in. */
export function archiveKey(envelope: Pick<ArchivedEnvelope, 'siteId' | 'occurredAt' | 'id'>): { pk: string; sk: string } {
  return { pk: archivePk(envelope.siteId), sk: `${sortableInstant(envelope.occurredAt)}#${envelope.id}` };
}

/** When DynamoDB's TTL removes it: retention counted from when the event happened, not from when it arrived. */
export function expiresAt(occurredAt: string, retentionDays: number): number {
  return Math.floor(Date.parse(occurredAt) / 1000) + retentionDays * DAY_SECONDS;
}

export const fitsInArchive = (message: string) => Buffer.byteLength(message, 'utf8') <= MAX_ENVELOPE_BYTES;
