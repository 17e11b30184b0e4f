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

describe('lists that grow with a person’s requests come in pages', () => {
  /** Every page of a list, following nextCursor; the ids of each page. */
  async function pagesOf(path: string, key: 'requests' | 'edits', id: 'requestId' | 'editId', by: TestUser) {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const res = await api('GET', `${path}${cursor ? `${separator}cursor=${cursor}` : ''}`, { headers: bearer(by) });
      expect(res.status).toBe(200);
      pages.push((res.json[key] as Array<Record<string, string>>).map((item) => item[id]!));
      cursor = res.json.nextCursor;
    } while (cursor && pages.length < 20);
    return pages;
  }

  it('time off: a person’s and the site’s requests page by ?limit, every request once; odd limits and foreign cursors are a 400', async () => {
    const own = `${profilePath(site.siteId, site.staff.userId)}/time-off`;
    const filed: string[] = [];
    for (let day = 1; day <= 5; day++) {
      const res = await api('POST', own, { body: { from: `2031-01-0${day}`, to: `2031-01-0${day}`, kind: 'unpaid' }, headers: { ...bearer(site.staff), 'idempotency-key': `paged-time-off-${day}-${site.siteId}` } });
      expect(res.status).toBe(201);
      filed.push(res.json.requestId);
    }
    expect((await pagesOf(`${own}?limit=2`, 'requests', 'requestId', site.staff)).map((page) => page.length)).toEqual([2, 2, 1]);
    expect((await pagesOf(`${own}?limit=2`, 'requests', 'requestId', site.staff)).flat()).toEqual(filed);
    const queue = await pagesOf(`/sites/${site.siteId}/time-off?status=pending&limit=2`, 'requests', 'requestId', site.manager);
    expect(queue.flat().sort()).toEqual([...filed].sort());
    expect(queue.every((page) => page.length <= 2)).toBe(true);
    // Without a limit, an ordinary list is one answer.
    const whole = await api('GET', own, { headers: bearer(site.staff) });
    expect(whole.json).toEqual({ requests: expect.any(Array) });
    expect(whole.json.requests).toHaveLength(5);

    const cursor = (await api('GET', `${own}?limit=1`, { headers: bearer(site.staff) })).json.nextCursor as string;
    const probes = [
      ...['0', '501', '-1', 'x'].map((limit) => badQuery(`limit=${limit}`, `${own}?limit=${limit}`)),
      ...Object.entries(ODD_CURSORS).map(([what, odd]) => badQuery(what, `${own}?cursor=${odd}`)),
      badQuery('a person’s cursor on the site’s list', `/sites/${site.siteId}/time-off?cursor=${cursor}`),
      badQuery('a person’s cursor on a colleague’s list', `${profilePath(site.siteId, site.colleague.userId)}/time-off?cursor=${cursor}`),
    ];
    expect(await misanswered(probes, bearer(owner))).toEqual([]);
  });

  it('punch edits: at most 50 wait for a decision per person (then a 422); the list pages by ?limit, every edit once', async () => {
    const edits = `${profilePath(site.siteId, site.colleague.userId)}/punch-edits`;
    const clockIn = new Date(Date.now() - 30 * 3_600_000).toISOString();
    const clockOut = new Date(Date.now() - 29 * 3_600_000).toISOString();
    const ask = (n: number) =>
      api('POST', edits, { body: { kind: 'add', clockIn, clockOut, reason: `forgot to tap (${n})` }, headers: { ...bearer(site.colleague), 'idempotency-key': `edit-cap-${n}-${site.siteId}` } });
    const made: string[] = [];
    for (let n = 0; n < 50; n++) {
      const res = await ask(n);
      expect({ n, status: res.status }).toEqual({ n, status: 201 });
      made.push(res.json.editId);
    }
    const refused = await ask(50);
    expect(refused).toMatchObject({ status: 422, json: { error: { message: expect.stringMatching(/^50 punch edits already wait for a manager's decision/) } } });
    const pages = await pagesOf(`${edits}?limit=20`, 'edits', 'editId', site.colleague);
    expect(pages.map((page) => page.length)).toEqual([20, 20, 10]);
    expect(pages.flat()).toEqual(made);
    expect((await pagesOf(`${edits}?status=pending&limit=30`, 'edits', 'editId', site.manager)).map((page) => page.length)).toEqual([30, 20]);
    expect((await pagesOf(`${edits}?status=approved`, 'edits', 'editId', site.manager)).flat()).toEqual([]);
    // A decision makes room again.
    await expect(api('POST', `${edits}/${made[0]}/decline`, { body: { note: 'duplicate' }, headers: bearer(site.manager) })).resolves.toMatchObject({ status: 200 });
    expect((await ask(51)).status).toBe(201);
  });
});
