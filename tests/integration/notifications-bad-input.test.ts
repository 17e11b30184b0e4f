// Every notifications route with a query parameter, a path id or a body, fed what a client should not send: each
// answer is a 4xx with a JSON error, never a 5xx. Inbox cursors are bound to the query that issued them: page 2
// works; a cursor from another filter, another user, an altered or an empty one is a 400.
import { encodeCursor } from '../../functions/shared/dynamodb';
import { api, eventually, tableName } from './support/target';
import { bearer, createSite, createUser, theOwner, type TestUser } from './support/identity';
import { inbox, publishAlert } from './support/notifications';

jest.setTimeout(60_000);

type Case = [what: string, method: string, path: string, body?: unknown, status?: number];

/** The answer is the expected 4xx (or any 4xx when none is given) with the kit's JSON error body. */
async function expectRefused(user: TestUser, [what, method, path, body, status]: Case) {
  const res = await api(method, path, { headers: bearer(user), ...(body !== undefined && { body }) });
  const seen = { what, status: res.status, json: res.json?.error !== undefined };
  if (status !== undefined) expect(seen).toEqual({ what, status, json: true });
  else expect({ ...seen, clientError: res.status >= 400 && res.status < 500 }).toEqual({ what, status: res.status, json: true, clientError: true });
}

const cursorOf = async (user: TestUser, query: string): Promise<string> => {
  const res = await api('GET', `/me/notifications?${query}`, { headers: bearer(user) });
  expect(res.status).toBe(200);
  expect(res.json.nextCursor).toEqual(expect.any(String));
  return res.json.nextCursor;
};

describe('notifications: bad input is a 4xx, never a 5xx', () => {
  let siteId: string;
  let manager: TestUser;
  let other: TestUser;
  let owner: TestUser;

  beforeAll(async () => {
    siteId = await createSite();
    [manager, other, owner] = await Promise.all([createUser('manager', [siteId]), createUser('manager', [siteId]), theOwner()]);
    // The directory learns of the managers from the users domain's events: publish until both have three.
    await eventually(
      async () => {
        const at = new Date().toISOString();
        const data = { deviceName: 'cursor probe', deviceType: 'freezer', lastSeenAt: at, backAt: at, silentForSeconds: 600 };
        await publishAlert({ siteId, type: 'iot.device-online', severity: 'info', data });
        await new Promise((resolve) => setTimeout(resolve, 300));
        const counts = await Promise.all([manager, other].map(async (user) => (await inbox(user, '?limit=100')).length));
        return counts.every((count) => count >= 3) || undefined;
      },
      30_000,
      'three notifications each',
    );
  });

  describe('inbox cursors', () => {
    it('page 2 follows page 1, with and without ?unread=true', async () => {
      for (const filter of ['', '&unread=true']) {
        const first = await api('GET', `/me/notifications?limit=1${filter}`, { headers: bearer(manager) });
        const second = await api('GET', `/me/notifications?limit=2${filter}&cursor=${first.json.nextCursor}`, { headers: bearer(manager) });
        expect({ filter, status: second.status }).toEqual({ filter, status: 200 });
        const ids = [...first.json.notifications, ...second.json.notifications].map((n: { notificationId: string }) => n.notificationId);
        expect(new Set(ids).size).toBe(3);
        expect([...ids].sort().reverse()).toEqual(ids);
      }
    });

    it('a cursor used with another filter, by another user, altered or empty is a 400', async () => {
      const unfiltered = await cursorOf(manager, 'limit=1');
      const unread = await cursorOf(manager, 'limit=1&unread=true');
      const theirs = await cursorOf(other, 'limit=1');
      const decoded = JSON.parse(Buffer.from(unfiltered, 'base64url').toString('utf8'));
      const altered = Buffer.from(JSON.stringify({ ...decoded, k: { ...decoded.k, sk: 'SETTINGS' } })).toString('base64url');
      const cases: Case[] = [
        ['the unfiltered list’s cursor with ?unread=true', 'GET', `/me/notifications?unread=true&cursor=${unfiltered}`],
        ['the unread list’s cursor without the filter', 'GET', `/me/notifications?cursor=${unread}`],
        ['another user’s cursor', 'GET', `/me/notifications?cursor=${theirs}`],
        ['another user’s unread cursor', 'GET', `/me/notifications?unread=true&cursor=${await cursorOf(other, 'limit=1&unread=true')}`],
        ['an altered cursor', 'GET', `/me/notifications?cursor=${altered}`],
        ['a cursor with one character changed', 'GET', `/me/notifications?cursor=${unfiltered.slice(0, 20)}${unfiltered[20] === 'A' ? 'B' : 'A'}${unfiltered.slice(21)}`],
        ['an empty cursor', 'GET', '/me/notifications?cursor='],
        ['a cursor that is not base64 JSON', 'GET', '/me/notifications?cursor=Zm9v'],
        ['a cursor of JSON null', 'GET', `/me/notifications?cursor=${Buffer.from('null').toString('base64url')}`],
        ['a cursor of control characters', 'GET', '/me/notifications?cursor=%00%01%02'],
        ['a cursor far too long', 'GET', `/me/notifications?cursor=${'A'.repeat(5000)}`],
      ].map(([what, method, path]) => [what, method, path, undefined, 400] as Case);
      for (const item of cases) await expectRefused(manager, item);
    });

    it('a cursor forged with the right digest but another user’s key is still a 400, and shows nothing of theirs', async () => {
      const forged = encodeCursor(
        {
          TableName: tableName('notifications'),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :notif)',
          ExpressionAttributeValues: { ':pk': `USER#${manager.userId}`, ':notif': 'NOTIF#' },
          ScanIndexForward: false,
        },
        { pk: `USER#${other.userId}`, sk: 'NOTIF#0' },
      );
      await expectRefused(manager, ['a forged cursor', 'GET', `/me/notifications?cursor=${forged}`, undefined, 400]);
    });
  });

  it('inbox queries and notification ids', async () => {
    const id = (await inbox(manager))[0]!.notificationId;
    const cases: Case[] = [
      ['limit 0', 'GET', '/me/notifications?limit=0', undefined, 400],
      ['a negative limit', 'GET', '/me/notifications?limit=-1', undefined, 400],
      ['a huge limit', 'GET', '/me/notifications?limit=1000000000000', undefined, 400],
      ['a limit beyond any number', 'GET', `/me/notifications?limit=1${'0'.repeat(400)}`, undefined, 400],
      ['a fractional limit', 'GET', '/me/notifications?limit=2.5', undefined, 400],
      ['a limit that is not a number', 'GET', '/me/notifications?limit=ten', undefined, 400],
      ['an empty limit', 'GET', '/me/notifications?limit=', undefined, 400],
      ['unread neither true nor false', 'GET', '/me/notifications?unread=yes', undefined, 400],
      ['an empty unread', 'GET', '/me/notifications?unread=', undefined, 400],
      ['an unknown parameter', 'GET', '/me/notifications?sort=oldest', undefined, 400],
      ['a parameter given twice', 'GET', '/me/notifications?limit=1&limit=2'],
      ['an id that is not one', 'GET', '/me/notifications/not-an-id', undefined, 400],
      ['an id in capitals', 'GET', `/me/notifications/${id.toUpperCase()}`, undefined, 400],
      ['an id with a trailing character', 'GET', `/me/notifications/${id}x`, undefined, 400],
      ['an id with an encoded slash', 'GET', `/me/notifications/${id.slice(0, 5)}%2F${id.slice(6)}`],
      ['an id with a NUL', 'GET', `/me/notifications/${id.slice(0, 5)}%00${id.slice(6)}`, undefined, 400],
      ['a very long id', 'GET', `/me/notifications/${'a'.repeat(2000)}`],
      ['an id of the right shape nobody has', 'GET', '/me/notifications/000000000-0000000000000000', undefined, 404],
      ['marking read an id that is not one', 'POST', '/me/notifications/not-an-id/read', undefined, 400],
      ['marking read an id nobody has', 'POST', '/me/notifications/000000000-0000000000000000/read', undefined, 404],
      ['acknowledging an id that is not one', 'POST', '/me/notifications/%20/acknowledge', undefined, 400],
      ['acknowledging an id nobody has', 'POST', '/me/notifications/000000000-0000000000000000/acknowledge', undefined, 404],
      ['acknowledging what needs no acknowledgement', 'POST', `/me/notifications/${id}/acknowledge`, undefined, 422],
    ];
    for (const item of cases) await expectRefused(manager, item);
  });

  it('user settings bodies', async () => {
    const sites = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`site-${i}`, { enabled: false }]));
    const cases: Case[] = [
      ['a body that is an array', 'PUT', '/me/notification-settings', [], 400],
      ['a body that is null', 'PUT', '/me/notification-settings', null, 400],
      ['a body that is a number', 'PUT', '/me/notification-settings', 1e308, 400],
      ['an unknown channel', 'PUT', '/me/notification-settings', { channels: { pager: { enabled: true } } }, 400],
      ['an unknown severity', 'PUT', '/me/notification-settings', { channels: { sms: { minSeverity: 'apocalyptic' } } }, 400],
      ['enabled as a string', 'PUT', '/me/notification-settings', { channels: { realtime: { enabled: 'yes' } } }, 400],
      ['a phone number too long for E.164', 'PUT', '/me/notification-settings', { channels: { sms: { enabled: true, phoneNumber: `+1${'5'.repeat(20)}` } } }, 400],
      ['a phone number as a number', 'PUT', '/me/notification-settings', { channels: { sms: { enabled: true, phoneNumber: 14155550123 } } }, 400],
      ['an address of 300 characters', 'PUT', '/me/notification-settings', { channels: { email: { enabled: true, address: `${'a'.repeat(290)}@example.com` } } }, 400],
      ['quiet hours at 24:00', 'PUT', '/me/notification-settings', { quietHours: { start: '24:00', end: '06:00' } }, 400],
      ['quiet hours with seconds', 'PUT', '/me/notification-settings', { quietHours: { start: '22:00:00', end: '06:00' } }, 400],
      ['quiet hours of no length', 'PUT', '/me/notification-settings', { quietHours: { start: '22:00', end: '22:00' } }, 400],
      ['quiet hours as numbers', 'PUT', '/me/notification-settings', { quietHours: { start: 22, end: 6 } }, 400],
      ['51 site opt-outs', 'PUT', '/me/notification-settings', { sites }, 400],
      ['a site id that is not one', 'PUT', '/me/notification-settings', { sites: { 'Not A Site!': { enabled: false } } }, 400],
      ['a body over its 8 KB limit', 'PUT', '/me/notification-settings', { sites: { s: { enabled: false } }, padding: 'x'.repeat(9000) }, 413],
    ];
    for (const item of cases) await expectRefused(manager, item);
    const unchanged = await api('GET', '/me/notification-settings', { headers: bearer(manager) });
    expect(unchanged.json.version).toBe(0);
  });

  it('site settings: path ids and extreme values', async () => {
    const path = `/sites/${siteId}/notification-settings`;
    const cases: Case[] = [
      ['a site id with capitals', 'GET', '/sites/Not-A-Site/notification-settings'],
      ['a site id of 64 characters', 'GET', `/sites/${'a'.repeat(64)}/notification-settings`],
      ['a site id with a NUL', 'PUT', '/sites/a%00b/notification-settings', { smsPerHour: 1 }],
      ['an escalation after 1 second', 'PUT', path, { escalation: { afterSeconds: 1 } }, 400],
      ['an escalation after 1e308 seconds', 'PUT', path, { escalation: { afterSeconds: 1e308 } }, 400],
      ['a negative repeat', 'PUT', path, { escalation: { repeatEverySeconds: -900 } }, 400],
      ['fractional seconds', 'PUT', path, { escalation: { afterSeconds: 600.5 } }, 400],
      ['a thousand repeats', 'PUT', path, { escalation: { maxRepeats: 1000 } }, 400],
      ['an SMS cap of 1e21', 'PUT', path, { smsPerHour: 1e21 }, 400],
      ['a negative SMS cap', 'PUT', path, { smsPerHour: -1 }, 400],
      ['an SMS cap as a string', 'PUT', path, { smsPerHour: '30' }, 400],
      ['escalation null', 'PUT', path, { escalation: null }, 400],
      ['an unknown field', 'PUT', path, { smsPerDay: 10 }, 400],
      ['a body over its 2 KB limit', 'PUT', path, { smsPerHour: 1, padding: 'x'.repeat(3000) }, 413],
    ];
    for (const item of cases) await expectRefused(owner, item);
    const kept = await api('GET', path, { headers: bearer(owner) });
    expect(kept.json).toMatchObject({ escalation: { afterSeconds: 600 }, smsPerHour: 30 });
  });
});
