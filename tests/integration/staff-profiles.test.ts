// Staff profiles over the running stack: the directory staff keeps arrives from users API actions (never the users
// table); profiles are created and edited by version, wages append and never rewrite; staff see only their own
// profile (another's is a 404, as a missing one), managers their site's, and another site's is a 404.
import { bearer, createUser, theOwner } from './support/identity';
import { expectStatus } from './support/orders';
import { directoryItem, profileBody, profilePath, putProfile, staffSite, type StaffSite } from './support/staff';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { api, describeLocal, dynamo, tableName } from './support/target';

jest.setTimeout(120_000);

let site: StaffSite;
let other: StaffSite;

beforeAll(async () => {
  [site, other] = await Promise.all([staffSite(), staffSite()]);
}, 120_000);

describe('staff’s copy of the directory', () => {
  it('learns the site’s time zone and the users of the site, then a change of a user, from the users API', async () => {
    expect(await directoryItem({ pk: 'SITES', sk: `SITE#${site.siteId}` })).toMatchObject({ siteId: site.siteId, timeZone: 'Europe/Paris', version: 1 });
    const learnt = await directoryItem({ pk: `USER#${site.staff.userId}`, sk: 'USER' });
    expect(learnt).toMatchObject({ userId: site.staff.userId, role: 'staff', sites: [site.siteId], status: 'active' });
    expect(learnt).not.toHaveProperty('email');

    const moved = await createUser('staff', [site.siteId]);
    await directoryItem({ pk: `USER#${moved.userId}`, sk: 'USER' });
    await expectStatus(api('POST', `/users/${moved.userId}/deactivate`, { headers: bearer(site.manager) }), 200);
    await directoryItem({ pk: `USER#${moved.userId}`, sk: 'USER' }, (user) => user.status === 'deactivated', 'the deactivation');
    // A deactivated user gets no profile.
    const refused = await api('PUT', profilePath(site.siteId, moved.userId), { body: profileBody(), headers: bearer(site.manager) });
    expect(refused.status).toBe(422);
    expect(refused.json.error.message).toMatch(/deactivated/);
  });
});

describe('profiles', () => {
  it('create (201, version 1), a second create (409), an edit by version with a raise (200), a stale edit (409)', async () => {
    const created = await putProfile(site.siteId, site.manager, site.staff.userId);
    expect(created).toMatchObject({ siteId: site.siteId, userId: site.staff.userId, name: 'Test staff', version: 1, payPack: 'us.flsa@2026.1.0' });
    expect((await api('PUT', profilePath(site.siteId, site.staff.userId), { body: profileBody(), headers: bearer(site.manager) })).status).toBe(409);

    const raised = profileBody({
      positions: [
        { positionId: 'server', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1650 }, { from: '2026-07-01', kind: 'hourly', amount: 1800 }] },
        { positionId: 'bartender', wages: [{ from: '2026-03-01', kind: 'hourly', amount: 1900 }] },
      ],
      expectedVersion: 1,
    });
    const edited = await expectStatus(api('PUT', profilePath(site.siteId, site.staff.userId), { body: raised, headers: bearer(site.manager) }), 200);
    expect(edited.json).toMatchObject({ version: 2, createdAt: created.createdAt, positions: [{ positionId: 'server', active: true }, { positionId: 'bartender' }] });
    expect(edited.json.positions[0].wages.map((w: { amount: number }) => w.amount)).toEqual([1650, 1800]);

    const stale = await api('PUT', profilePath(site.siteId, site.staff.userId), { body: raised, headers: bearer(site.manager) });
    expect(stale.status).toBe(409);
    const read = await expectStatus(api('GET', profilePath(site.siteId, site.staff.userId), { headers: bearer(site.manager) }), 200);
    expect(read.json.version).toBe(2);
  });

  it('history is appended, never rewritten; a position is retired, not removed (422)', async () => {
    const { version } = await putProfile(site.siteId, site.manager, site.colleague.userId, profileBody());
    const rewrite = profileBody({ positions: [{ positionId: 'server', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1500 }] }], expectedVersion: version });
    const res = await api('PUT', profilePath(site.siteId, site.colleague.userId), { body: rewrite, headers: bearer(site.manager) });
    expect(res.status).toBe(422);
    expect(res.json.error.details).toEqual({ field: 'positions.0.wages.0' });
    const removed = profileBody({ positions: [{ positionId: 'host', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1500 }] }], expectedVersion: version });
    expect((await api('PUT', profilePath(site.siteId, site.colleague.userId), { body: removed, headers: bearer(site.manager) })).status).toBe(422);
    const retired = profileBody({ positions: [{ positionId: 'server', active: false, wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1650 }] }, { positionId: 'host', wages: [{ from: '2026-12-01', kind: 'hourly', amount: 1700 }] }], expectedVersion: version });
    expect((await expectStatus(api('PUT', profilePath(site.siteId, site.colleague.userId), { body: retired, headers: bearer(site.manager) }), 200)).json.version).toBe(version + 1);
  });

  it('an unknown pack version is a 422; a user the directory does not know is a 404; one of another site a 422', async () => {
    const pack = await api('PUT', profilePath(site.siteId, site.manager.userId), { body: profileBody({ payPack: 'us.flsa@2099.1.0' }), headers: bearer(site.manager) });
    expect(pack.status).toBe(422);
    expect(pack.json.error.message).toMatch(/pack/);
    expect((await api('PUT', profilePath(site.siteId, 'no-such-user'), { body: profileBody(), headers: bearer(site.manager) })).status).toBe(404);
    await directoryItem({ pk: `USER#${other.staff.userId}`, sk: 'USER' });
    const elsewhere = await api('PUT', profilePath(site.siteId, other.staff.userId), { body: profileBody(), headers: bearer(site.manager) });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.json.error.message).toMatch(/does not work at this site/);
  });

  describe('who sees whose (wages are in the profile)', () => {
    beforeAll(async () => {
      await putProfile(other.siteId, other.manager, other.staff.userId);
      await directoryItem({ pk: `USER#${site.manager.userId}`, sk: 'USER' });
    });

    it('staff read their own profile with its wages, and a colleague’s is a 404 like a missing one', async () => {
      const own = await expectStatus(api('GET', profilePath(site.siteId, site.staff.userId), { headers: bearer(site.staff) }), 200);
      expect(own.json.positions[0].wages[0]).toMatchObject({ kind: 'hourly' });
      const colleague = await api('GET', profilePath(site.siteId, site.colleague.userId), { headers: bearer(site.staff) });
      const missing = await api('GET', profilePath(site.siteId, 'no-such-user'), { headers: bearer(site.staff) });
      expect(colleague.status).toBe(404);
      expect(colleague.json.error).toEqual(missing.json.error);
      expect(colleague.text).not.toMatch(/1650|wages/);
    });

    it('staff list only themselves; a manager lists the site’s profiles in pages', async () => {
      const mine = await expectStatus(api('GET', `/sites/${site.siteId}/staff`, { headers: bearer(site.staff) }), 200);
      expect(mine.json.profiles.map((p: { userId: string }) => p.userId)).toEqual([site.staff.userId]);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await expectStatus(api('GET', `/sites/${site.siteId}/staff?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { headers: bearer(site.manager) }), 200);
        seen.push(...page.json.profiles.map((p: { userId: string }) => p.userId));
        cursor = page.json.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual([site.staff.userId, site.colleague.userId].sort());
    });

    it('staff cannot write profiles (403); another site’s person is a 404, even to the owner through the wrong site', async () => {
      expect((await api('PUT', profilePath(site.siteId, site.staff.userId), { body: profileBody({ expectedVersion: 2 }), headers: bearer(site.staff) })).status).toBe(403);
      expect((await api('GET', profilePath(site.siteId, other.staff.userId), { headers: bearer(site.manager) })).status).toBe(404);
      expect((await api('GET', profilePath(site.siteId, other.staff.userId), { headers: bearer(await theOwner()) })).status).toBe(404);
      expect((await api('GET', profilePath(other.siteId, other.staff.userId), { headers: bearer(await theOwner()) })).status).toBe(200);
      expect((await api('GET', profilePath(other.siteId, other.staff.userId), { headers: bearer(site.manager) })).status).toBe(403);
    });
  });
});

describeLocal('the demo seed', () => {
  const query = async (pk: string, prefix: string) =>
    (await dynamo.send(new QueryCommand({ TableName: tableName('staff'), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix } }))).Items ?? [];

  it('gives the demo staff member a profile with an effective-dated wage, and staff learns them from the seed’s directory events', async () => {
    const profiles = await query('SITE#demo-bistro#STAFF', 'PROFILE#');
    expect(profiles).toHaveLength(4);
    const profile = profiles.find((p) => p.name === 'Demo staff');
    expect(profile).toMatchObject({ payPack: 'us.flsa@2026.1.0', positions: [{ positionId: 'server' }, { positionId: 'bartender' }] });
    expect(profile!.positions[0].wages.map((w: { amount: number }) => w.amount)).toEqual([1650, 1800]);
    expect(await directoryItem({ pk: `USER#${profile!.userId}`, sk: 'USER' })).toMatchObject({ role: 'staff', sites: ['demo-bistro'], status: 'active' });
  });

  it('and two weeks of punches for the four of them ending yesterday (New York), whole shifts, clocks left off (seeded by the clock’s own rules)', async () => {
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/New_York' });
    const profiles = await query('SITE#demo-bistro#STAFF', 'PROFILE#');
    for (const { userId } of profiles) {
      // The seed's shifts (examples.test.ts may have worked one at the clock since).
      const punches = (await query(`SITE#demo-bistro#PUNCHES#${userId}`, 'PUNCH#')).filter((p) => p.shiftId.startsWith('shift-demo-'));
      const shifts = new Map<string, string[]>();
      for (const punch of punches) shifts.set(punch.shiftId, [...(shifts.get(punch.shiftId) ?? []), punch.kind]);
      expect(shifts.size).toBeGreaterThanOrEqual(6);
      for (const kinds of shifts.values()) expect([['clock-in', 'clock-out'], ['clock-in', 'break-start', 'break-end', 'clock-out']]).toContainEqual(kinds);
      const clockIns = punches.filter((p) => p.kind === 'clock-in');
      expect(clockIns.every((p) => p.by === userId && p.localDate < today)).toBe(true);
      // Each clock-in is linked to the person's published shift of that day.
      const scheduled = new Map((await query('SITE#demo-bistro#SHIFTS', 'SHIFT#')).map((shift) => [shift.shiftId as string, shift]));
      for (const clockIn of clockIns) {
        expect(scheduled.get(clockIn.scheduledShiftId)).toMatchObject({ userId, date: clockIn.localDate, status: 'published' });
      }
      expect(clockIns.every((p) => Date.parse(p.at) > Date.now() - 15 * 86_400_000)).toBe(true);
      expect(punches.every((p) => Date.parse(p.at) < Date.now())).toBe(true);
    }
    expect((await query('SITE#demo-bistro#STAFF', 'CLOCK#')).filter((clock) => clock.state !== 'off')).toEqual([]);
  });

  it('and a schedule: published to a week ahead, drafts the week after, an open Saturday shift to claim', async () => {
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/New_York' });
    const shifts = (await query('SITE#demo-bistro#SHIFTS', 'SHIFT#')).filter((shift) => shift.updatedBy === 'demo-seed');
    const ahead = (days: number) => new Date(Date.parse(`${today}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const nextWeek = shifts.filter((shift) => shift.date > today && shift.date <= ahead(7));
    expect(nextWeek.length).toBeGreaterThanOrEqual(12);
    expect(nextWeek.every((shift) => shift.status === 'published')).toBe(true);
    const later = shifts.filter((shift) => shift.date > ahead(7) && shift.userId);
    expect(later.length).toBeGreaterThanOrEqual(12);
    expect(later.every((shift) => shift.status === 'draft')).toBe(true);
    expect(shifts.filter((shift) => !shift.userId && shift.status === 'published' && shift.date > ahead(7))).toHaveLength(1);
  });
});
