// The directory the users domain publishes on the events topic: who works where, and the sites. Other domains
// keep their own copy of it, since none may read the users table.
//
// Each `data` is a full snapshot with the record's `version` after the change, and the event id is
// `user:{userId}:v{version}` or `site:{siteId}:v{version}`: one change keeps one id however often it is published
// (request, outbox relay, the local seed on every start). Apply a snapshot only if its version is newer than the
// one held. Versions may skip numbers: a change outside the snapshot (a password) bumps it without an event.
// User events carry the envelope siteId '*' (a user is not one site's; their sites are in `data.sites`), site
// events the site's id.
import * as z from 'zod';
import { roleSchema } from '#shared/identity';
import { currencySchema, siteIdSchema, timeZoneSchema, versionSchema } from './values';

/** The envelope siteId of user events: filter policies on `siteId` must take it to see the directory. */
export const ALL_SITES = '*';

export const userSnapshotSchema = z.strictObject({
  userId: z.string().min(1).describe('the user'),
  name: z.string().min(1).describe('display name'),
  email: z.email().describe('sign-in email'),
  role: roleSchema.describe('owner (every site), manager or staff'),
  sites: z.array(siteIdSchema).describe('the sites they work at (empty for owners: they belong to every site)'),
  status: z.enum(['active', 'deactivated']).describe('deactivated users cannot sign in'),
  version: versionSchema.describe('user version after the change'),
});

export const siteSnapshotSchema = z.strictObject({
  siteId: siteIdSchema,
  name: z.string().min(1).describe('display name'),
  timeZone: timeZoneSchema.describe('IANA time zone of the site: local days, quiet hours, business days'),
  currency: currencySchema.describe('ISO 4217 currency of its prices, such as EUR'),
  version: versionSchema.describe('site version after the change'),
});

export type UserSnapshot = z.infer<typeof userSnapshotSchema>;
export type SiteSnapshot = z.infer<typeof siteSnapshotSchema>;

export const usersContract = {
  source: 'users',
  topic: 'events',
  events: {
    'user.registered': {
      description:
        "A user registered with an invitation (locally also: a seeded demo user). Envelope siteId '*', id `user:{userId}:v{version}`.",
      data: userSnapshotSchema,
    },
    'user.updated': {
      description:
        "A user's name, role, sites or status changed (deactivation is `status: 'deactivated'`); a password change publishes nothing. Envelope siteId '*', id `user:{userId}:v{version}`.",
      data: userSnapshotSchema,
    },
    'site.created': {
      description: 'A new site (POST /sites). Envelope siteId: the site; id `site:{siteId}:v{version}`.',
      data: siteSnapshotSchema,
    },
    'site.updated': {
      description: 'A site\'s name, time zone or currency changed (PATCH /sites/{siteId}); an update to the same values publishes nothing.',
      data: siteSnapshotSchema,
    },
  },
} as const;
