// The event catalog of the users domain: the directory (who works where, and the sites) that other domains keep
// their own copy of, since none may read the users table. Every event, with the exact schema of its `data`:
//
//   user.registered  a user registered with an invitation (locally also: a seeded demo user)
//   user.updated     name, role, sites or status changed; deactivation is `status: 'deactivated'`
//   site.created     a new site
//   site.updated     its name, time zone or currency changed
//
// Envelope: { id, type, source: 'users', siteId, occurredAt, correlationId, data }, published to the events
// topic with the message attributes `type`, `siteId` and `source`. User events carry siteId '*' (a user is not
// one site's; their sites are in `data.sites`), site events the site's id.
//
// Each `data` is a full snapshot with the record's `version` after the change, and the event id is
// `user:{userId}:v{version}` or `site:{siteId}:v{version}`: one change keeps one id however often it is
// published (request, outbox relay, the local seed on every start). Delivery is at least once and unordered:
// deduplicate by `id` and apply a snapshot only if its version is newer than the one held. Versions may skip
// numbers, because a change outside the snapshot (a password) bumps the version without an event.
//
// The services build events only here, each validated against this catalog, and write them into the users
// table's outbox in the same transaction as the change (shared/outbox.ts); the contract test
// (tests/integration/users-events.test.ts) checks what a subscriber receives against the same schemas.
import { z } from 'zod';
import { buildEvent, eventEnvelopeSchema, type EventEnvelope } from '#shared/events';
import { roleSchema, siteIdSchema } from '#shared/identity';
import { timeZoneSchema } from '#shared/time';
import { userStatusSchema, type SiteRecord, type UserRecord } from './schemas';

export const EVENT_SOURCE = 'users';
/** The envelope siteId of user events: filter policies on `siteId` must take it to see the directory. */
export const ALL_SITES = '*';

const version = z.number().int().min(1);

const userSnapshotSchema = z.strictObject({
  userId: z.string().min(1),
  name: z.string().min(1),
  email: z.email(),
  role: roleSchema,
  sites: z.array(siteIdSchema),
  status: userStatusSchema,
  version,
});

const siteSnapshotSchema = z.strictObject({
  siteId: siteIdSchema,
  name: z.string().min(1),
  timeZone: timeZoneSchema,
  currency: z.string().regex(/^[A-Z]{3}$/),
  version,
});

export const eventDataSchemas = {
  'user.registered': userSnapshotSchema,
  'user.updated': userSnapshotSchema,
  'site.created': siteSnapshotSchema,
  'site.updated': siteSnapshotSchema,
} as const;

export type UsersEventType = keyof typeof eventDataSchemas;
export const EVENT_TYPES = Object.keys(eventDataSchemas) as UsersEventType[];
export type UserSnapshot = z.infer<typeof userSnapshotSchema>;
export type SiteSnapshot = z.infer<typeof siteSnapshotSchema>;

/** The full envelope of an event type, for consumers and the contract test. */
export function envelopeSchemaOf(type: UsersEventType) {
  return eventEnvelopeSchema.extend({ type: z.literal(type), source: z.literal(EVENT_SOURCE), data: eventDataSchemas[type] });
}

export interface EventContext {
  correlationId: string;
  at?: Date;
}

export function userSnapshot(user: UserRecord): UserSnapshot {
  return { userId: user.userId, name: user.name, email: user.email, role: user.role, sites: user.sites, status: user.status, version: user.version };
}

export function siteSnapshot(site: SiteRecord): SiteSnapshot {
  return { siteId: site.siteId, name: site.name, timeZone: site.timeZone, currency: site.currency, version: site.version };
}

function directoryEvent(type: UsersEventType, siteId: string, id: string, data: UserSnapshot | SiteSnapshot, context: EventContext): EventEnvelope {
  return buildEvent({
    id,
    type,
    source: EVENT_SOURCE,
    siteId,
    correlationId: context.correlationId,
    occurredAt: context.at,
    // An event that does not match the catalog is a bug: it fails the change instead of being sent.
    data: eventDataSchemas[type].parse(data) as Record<string, unknown>,
  });
}

export function userEvent(type: 'user.registered' | 'user.updated', user: UserRecord, context: EventContext): EventEnvelope {
  return directoryEvent(type, ALL_SITES, `user:${user.userId}:v${user.version}`, userSnapshot(user), context);
}

export function siteEvent(type: 'site.created' | 'site.updated', site: SiteRecord, context: EventContext): EventEnvelope {
  return directoryEvent(type, site.siteId, `site:${site.siteId}:v${site.version}`, siteSnapshot(site), context);
}

/**
 * A stored record's current snapshot as an event, for republishing the directory (the demo seed, backfills):
 * the id is the same as when that version was first published, so subscribers that saw it skip it.
 */
export function currentSnapshotEvent(record: UserRecord | SiteRecord, context: EventContext): EventEnvelope {
  if ('userId' in record) return userEvent(record.version === 1 ? 'user.registered' : 'user.updated', record, context);
  return siteEvent(record.version === 1 ? 'site.created' : 'site.updated', record, context);
}

const sameApartFromVersion = (a: UserSnapshot | SiteSnapshot, b: UserSnapshot | SiteSnapshot) =>
  JSON.stringify({ ...a, version: 0 }) === JSON.stringify({ ...b, version: 0 });

/** `user.updated` for `next` if the change touched what the directory holds; none for a password change. */
export function userChangeEvents(previous: UserRecord, next: UserRecord, context: EventContext): EventEnvelope[] {
  return sameApartFromVersion(userSnapshot(previous), userSnapshot(next)) ? [] : [userEvent('user.updated', next, context)];
}

/** `site.updated` for `next` unless the change left the site as it was. */
export function siteChangeEvents(previous: SiteRecord, next: SiteRecord, context: EventContext): EventEnvelope[] {
  return sameApartFromVersion(siteSnapshot(previous), siteSnapshot(next)) ? [] : [siteEvent('site.updated', next, context)];
}
