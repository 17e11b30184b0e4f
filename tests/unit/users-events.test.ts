import { siteChangeEvents, siteEvent, userChangeEvents, userEvent } from '../../functions/users/events';
import { envelopeSchemaOf } from '../../functions/shared/contracts/index';
import { ALL_SITES, usersContract } from '../../functions/shared/contracts/users';
import { successor, type SiteRecord, type UserRecord } from '../../functions/users/schemas';

const at = new Date('2025-03-01T10:00:00.000Z');
const context = { correlationId: 'corr-1', at };

const user: UserRecord = {
  userId: 'u-1',
  email: 'ada@example.com',
  name: 'Ada',
  role: 'staff',
  sites: ['site-a'],
  status: 'active',
  passwordHash: 'scrypt$secret',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  version: 1,
};

const site: SiteRecord = {
  siteId: 'site-a',
  name: 'Bistro A',
  timeZone: 'Europe/Paris',
  currency: 'EUR',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  version: 1,
};

describe('the users event catalog', () => {
  it('is the directory events docs/notifications.md promises', () => {
    expect(Object.keys(usersContract.events).sort()).toEqual(['site.created', 'site.updated', 'user.registered', 'user.updated']);
  });

  it('user events: a full snapshot with the version, siteId *, an id per version, and never the password hash', () => {
    const event = userEvent('user.registered', user, context);
    expect(event).toEqual({
      id: 'user:u-1:v1',
      type: 'user.registered',
      source: 'users',
      siteId: ALL_SITES,
      occurredAt: at.toISOString(),
      correlationId: 'corr-1',
      data: { userId: 'u-1', name: 'Ada', email: 'ada@example.com', role: 'staff', sites: ['site-a'], status: 'active', version: 1 },
    });
    expect(ALL_SITES).toBe('*');
    expect(envelopeSchemaOf('user.registered').safeParse(event).success).toBe(true);
  });

  it('site events: the site as envelope siteId and an id per version', () => {
    const event = siteEvent('site.created', site, context);
    expect(event).toMatchObject({
      id: 'site:site-a:v1',
      type: 'site.created',
      source: 'users',
      siteId: 'site-a',
      data: { siteId: 'site-a', name: 'Bistro A', timeZone: 'Europe/Paris', currency: 'EUR', version: 1 },
    });
    expect(envelopeSchemaOf('site.created').safeParse(event).success).toBe(true);
  });

  it('refuses to build an event that does not match the catalog', () => {
    expect(() => userEvent('user.updated', { ...user, role: 'chef' as never }, context)).toThrow();
    expect(() => siteEvent('site.updated', { ...site, timeZone: 'Mars/Olympus' }, context)).toThrow();
  });

  it('the envelope schemas are strict: an extra data field or the wrong source fails', () => {
    const event = userEvent('user.updated', user, context);
    expect(envelopeSchemaOf('user.updated').safeParse({ ...event, data: { ...event.data, passwordHash: 'x' } }).success).toBe(false);
    expect(envelopeSchemaOf('user.updated').safeParse({ ...event, source: 'orders' }).success).toBe(false);
    expect(envelopeSchemaOf('user.registered').safeParse(event).success).toBe(false);
  });
});

describe('successor: every change bumps the version', () => {
  it('applies the changes, bumps the version by one and stamps updatedAt', () => {
    const next = successor(user, { name: 'Ada L.' }, at);
    expect(next).toEqual({ ...user, name: 'Ada L.', version: 2, updatedAt: at.toISOString() });
    expect(user.version).toBe(1);
  });
});

describe('which changes are directory events', () => {
  it.each([
    ['name', { name: 'Ada L.' }],
    ['role', { role: 'manager' as const }],
    ['sites', { sites: ['site-a', 'site-b'] }],
    ['status (deactivation)', { status: 'deactivated' as const }],
  ])('a %s change is user.updated with the new version', (_field, changes) => {
    const next = successor(user, changes, at);
    const events = userChangeEvents(user, next, context);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: 'user:u-1:v2', type: 'user.updated', data: { ...changes, version: 2 } });
  });

  it('a password change (or nothing the directory holds) is no event', () => {
    expect(userChangeEvents(user, successor(user, { passwordHash: 'scrypt$new' }, at), context)).toEqual([]);
    expect(userChangeEvents(user, successor(user, { name: 'Ada' }, at), context)).toEqual([]);
  });

  it('a site change is site.updated with the new version; an update to the same values is none', () => {
    const next = successor(site, { timeZone: 'America/New_York' }, at);
    expect(siteChangeEvents(site, next, context)).toEqual([expect.objectContaining({ id: 'site:site-a:v2', type: 'site.updated' })]);
    expect(siteChangeEvents(site, successor(site, { name: 'Bistro A' }, at), context)).toEqual([]);
  });
});
