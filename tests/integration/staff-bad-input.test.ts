// Every staff route with a path or query parameter, fed what a client should not send (odd ids, page sizes, dates,
// ranges and cursors, extreme numbers in a profile, odd tap bodies): each answer is a 4xx with a JSON error, never
// a 5xx. Cursors are bound to the query that issued them.
import { policies } from '../../functions/staff/policies';
import { badQuery, misanswered, ODD_CURSORS, ODD_DATES, ODD_LIMITS, oddIdProbes } from './support/bad-input';
import { bearer, theOwner, type TestUser } from './support/identity';
import { profileBody, profilePath, putProfile, staffSite, tap, type StaffSite } from './support/staff';
import { api } from './support/target';

jest.setTimeout(120_000);

let site: StaffSite;
let owner: TestUser;

beforeAll(async () => {
  [site, owner] = await Promise.all([staffSite(), theOwner()]);
  await Promise.all([putProfile(site.siteId, site.manager, site.staff.userId), putProfile(site.siteId, site.manager, site.colleague.userId)]);
}, 120_000);

it('odd path ids on every route are a 4xx with a JSON error, never a 5xx', async () => {
  const routes = Object.keys(policies);
  const probes = routes.flatMap((route) => oddIdProbes(route, { siteId: site.siteId, userId: site.staff.userId }));
  expect(await misanswered(probes, bearer(owner))).toEqual([]);
});

it('odd page sizes, dates and ranges are a 400', async () => {
  const punches = `${profilePath(site.siteId, site.staff.userId)}/punches`;
  const probes = [
    ...[`/sites/${site.siteId}/staff?`, `${punches}?from=2026-11-01&to=2026-11-02&`].flatMap((path) => ODD_LIMITS.map((limit) => badQuery(`${path} limit=${limit.slice(0, 20)}`, `${path}limit=${limit}`))),
    ...ODD_DATES.flatMap((date) => [badQuery(`from=${date}`, `${punches}?from=${date}&to=2026-11-02`), badQuery(`to=${date}`, `${punches}?from=2026-11-01&to=${date}`)]),
    badQuery('no range', punches),
    badQuery('a backwards range', `${punches}?from=2026-11-02&to=2026-11-01`),
    badQuery('a range over 62 days', `${punches}?from=2026-01-01&to=2026-12-31`),
  ];
  expect(await misanswered(probes, bearer(owner))).toEqual([]);
});

it('an empty, crafted or tampered cursor, or one from another person or list, is a 400', async () => {
  const page = await api('GET', `/sites/${site.siteId}/staff?limit=1`, { headers: bearer(owner) });
  const cursor = page.json.nextCursor as string;
  expect(cursor).toEqual(expect.any(String));
  const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const range = 'from=2026-11-01&to=2026-11-30';
  const cases: Array<[string, string]> = [
    ...Object.entries(ODD_CURSORS).map(([what, odd]): [string, string] => [what, `/sites/${site.siteId}/staff?cursor=${odd}`]),
    ['a tampered cursor', `/sites/${site.siteId}/staff?cursor=${b64({ ...decoded, k: { ...decoded.k, sk: 'CLOCK#x' } })}`],
    ['a profiles cursor on punches', `${profilePath(site.siteId, site.staff.userId)}/punches?${range}&cursor=${cursor}`],
    ['a crafted punches key of another person', `${profilePath(site.siteId, site.staff.userId)}/punches?${range}&cursor=${b64({ v: 1, k: { pk: `SITE#${site.siteId}#PUNCHES#${site.colleague.userId}`, sk: 'PUNCH#2026-11-02' }, d: decoded.d })}`],
  ];
  expect(await misanswered(cases.map(([what, path]) => badQuery(what, path)), bearer(owner))).toEqual([]);
});

it('profiles with extreme or malformed numbers, dates and lists are a 400 naming the field', async () => {
  const path = profilePath(site.siteId, site.colleague.userId);
  const wage = (changes: Record<string, unknown>) => profileBody({ positions: [{ positionId: 'server', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1650, ...changes }] }] });
  const bodies: Array<[string, unknown]> = [
    ['a negative wage', wage({ amount: -1 })],
    ['a fractional wage', wage({ amount: 16.5 })],
    ['an astronomic wage', wage({ amount: 1e20 })],
    ['a wage as a string', wage({ amount: '1650' })],
    ['an impossible date', wage({ from: '2026-02-30' })],
    ['a far date', wage({ from: '9999-12-31' })],
    ['an odd kind', wage({ kind: 'daily' })],
    ['no positions', profileBody({ positions: [] })],
    ['weekly hours past 80', profileBody({ employment: { type: 'full-time', weeklyHours: 1e9, weeklyDays: 5, restDay: 'sun' } })],
    ['eight weekly days', profileBody({ employment: { type: 'full-time', weeklyHours: 40, weeklyDays: 8, restDay: 'sun' } })],
    ['an odd rest day', profileBody({ employment: { type: 'full-time', weeklyHours: 40, weeklyDays: 5, restDay: 'funday' } })],
    ['an expected version of zero', profileBody({ expectedVersion: 0 })],
    ['an unknown field', profileBody({ salary: 1 })],
  ];
  for (const [what, body] of bodies) {
    const res = await api('PUT', path, { body, headers: bearer(site.manager) });
    expect({ what, status: res.status, code: res.json?.error?.code }).toEqual({ what, status: 400, code: 'VALIDATION_FAILED' });
  }
});

it('taps without a key, with an odd body or a device time out of range are a 4xx', async () => {
  const { siteId, staff } = site;
  const noKey = await api('POST', `${profilePath(siteId, staff.userId)}/clock-in`, { body: {}, headers: bearer(staff) });
  expect(noKey.status).toBe(400);
  const bad = [
    await tap(siteId, staff, staff.userId, 'clock-in', { deviceTime: '9999-01-01T00:00:00Z' }),
    await tap(siteId, staff, staff.userId, 'clock-in', { deviceTime: 'yesterday' }),
    await tap(siteId, staff, staff.userId, 'clock-in', { positionId: 'astronaut' }),
    await tap(siteId, staff, staff.userId, 'clock-out', { positionId: 'server' }),
    await tap(siteId, staff, staff.userId, 'clock-in', { extra: true }),
    await tap(siteId, staff, staff.userId, 'break-start', { deviceTime: 1e300 }),
  ];
  expect(bad.map((res) => res.status)).toEqual([400, 400, 400, 400, 400, 400]);
  expect((await api('POST', `${profilePath(siteId, staff.userId)}/clock-in`, { rawBody: '{"positionId":', headers: { ...bearer(staff), 'content-type': 'application/json', 'idempotency-key': 'bad-body-key-1' } })).status).toBe(400);
});
