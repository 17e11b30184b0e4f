// Events of the users domain, built from its records: the directory (who works where, and the sites) that other
// domains keep their own copy of. What each event carries, and its id and envelope siteId rules, is its contract
// in #shared/contracts/users (docs/events.md); every event is checked against it when it is built.
//
// The services build events only here and write them into the users table's outbox in the same transaction as
// the change (shared/outbox.ts); the contract test (tests/integration/users-events.test.ts) checks what a
// subscriber receives against the same schemas.
import { ALL_SITES, usersContract, type SiteSnapshot, type UserSnapshot } from '#shared/contracts/users';
import { buildEvent, type EventEnvelope } from '#shared/events';
import type { SiteRecord, UserRecord } from './schemas';

type UsersEventType = keyof typeof usersContract.events;

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
    source: usersContract.source,
    siteId,
    correlationId: context.correlationId,
    occurredAt: context.at,
    data,
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
