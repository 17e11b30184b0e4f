// The time clock over the running stack: a day of taps as the staff member (in, break, out), the floor view, the raw
// punches by the site's local days, and the table behind them; one open shift per person under concurrent taps;
// a retried tap punches once; staff punch only for themselves, a manager for anyone at the site (the tablet);
// each shift publishes staff.clocked-in and staff.clocked-out once.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { bearer } from './support/identity';
import { expectStatus } from './support/orders';
import { subscribeHttp, type HttpSubscriber } from './support/sns-subscriber';
import { profilePath, putProfile, staffSite, tap, type StaffSite } from './support/staff';
import { api, describeLocal, dynamo, eventually, tableName, uniqueId } from './support/target';

jest.setTimeout(120_000);

let site: StaffSite;

const punchesOf = async (userId: string) =>
  (await dynamo.send(new QueryCommand({ TableName: tableName('staff'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SITE#${site.siteId}#PUNCHES#${userId}` } }))).Items ?? [];

beforeAll(async () => {
  site = await staffSite();
  await putProfile(site.siteId, site.manager, site.staff.userId);
  await putProfile(site.siteId, site.manager, site.colleague.userId, {
    positions: [{ positionId: 'line-cook', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 2100 }] }, { positionId: 'dishwasher', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1700 }] }],
    employment: { type: 'full-time', weeklyHours: 40, weeklyDays: 5, restDay: 'mon' },
    payPack: 'us.ca@2026.1.0',
  });
}, 120_000);

const today = () => new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/Paris' });

describe('a day at the clock', () => {
  const events: Array<{ id: string; type: string; data: Record<string, unknown> }> = [];
  let subscriber: HttpSubscriber | undefined;
  beforeAll(async () => {
    subscriber = await subscribeHttp('events', { siteId: [site.siteId], source: ['staff'] }, (envelope) => events.push(envelope));
  });
  afterAll(async () => subscriber?.close());

  it('in, a break, out: each tap a 201, the floor view follows, the punches are raw and immutable records', async () => {
    const { staff, manager, siteId } = site;
    const inn = await expectStatus(tap(siteId, staff, staff.userId, 'clock-in', { deviceTime: '2020-01-01T00:00:00Z' }), 201);
    expect(inn.json).toMatchObject({ userId: staff.userId, state: 'working', positionId: 'server', punches: [{ kind: 'clock-in', seq: 1, by: staff.userId, deviceTime: '2020-01-01T00:00:00.000Z' }] });
    // The device's clock is years off: the punch is at server time.
    expect(Math.abs(Date.parse(inn.json.punches[0].at) - Date.now())).toBeLessThan(60_000);

    const floor = await expectStatus(api('GET', `/sites/${siteId}/staff/on-the-clock`, { headers: bearer(manager) }), 200);
    expect(floor.json.staff).toEqual([expect.objectContaining({ userId: staff.userId, state: 'working', shiftId: inn.json.shiftId })]);

    await expectStatus(tap(siteId, staff, staff.userId, 'break-start'), 201);
    const onBreak = await expectStatus(api('GET', `/sites/${siteId}/staff/on-the-clock`, { headers: bearer(manager) }), 200);
    expect(onBreak.json.staff[0]).toMatchObject({ state: 'on-break', breakStartedAt: expect.any(String) });
    expect((await tap(siteId, staff, staff.userId, 'break-start')).status).toBe(409);
    await expectStatus(tap(siteId, staff, staff.userId, 'break-end'), 201);
    expect((await tap(siteId, staff, staff.userId, 'break-end')).json.error.message).toMatch(/not on a break/);
    const out = await expectStatus(tap(siteId, staff, staff.userId, 'clock-out'), 201);
    expect(out.json).toMatchObject({ state: 'off', shiftId: inn.json.shiftId, workedSeconds: expect.any(Number), breakSeconds: expect.any(Number) });
    expect((await api('GET', `/sites/${siteId}/staff/on-the-clock`, { headers: bearer(manager) })).json.staff).toEqual([]);
    expect((await tap(siteId, staff, staff.userId, 'clock-out')).status).toBe(409);

    const stored = await punchesOf(staff.userId);
    expect(stored.map((p) => `${p.kind}#${p.seq}`)).toEqual(['clock-in#1', 'break-start#2', 'break-end#3', 'clock-out#4']);
    expect(new Set(stored.map((p) => p.shiftId))).toEqual(new Set([inn.json.shiftId]));

    // By the site's local days, in pages; staff read their own, a manager anyone's.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await expectStatus(api('GET', `${profilePath(siteId, staff.userId)}/punches?from=${today()}&to=${today()}&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { headers: bearer(staff) }), 200);
      expect(page.json.timeZone).toBe('Europe/Paris');
      seen.push(...page.json.punches.map((p: { kind: string }) => p.kind));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['clock-in', 'break-start', 'break-end', 'clock-out']);
    const yesterday = await expectStatus(api('GET', `${profilePath(siteId, staff.userId)}/punches?from=2026-01-01&to=2026-01-02`, { headers: bearer(manager) }), 200);
    expect(yesterday.json.punches).toEqual([]);
  });

  describeLocal('events', () => {
    it('the shift published staff.clocked-in and staff.clocked-out once each, with the hours and no wage', async () => {
      const out = await eventually(async () => events.find((e) => e.type === 'staff.clocked-out' && e.data.userId === site.staff.userId), 20_000, 'staff.clocked-out');
      const inn = events.find((e) => e.type === 'staff.clocked-in' && e.data.shiftId === out.data.shiftId);
      expect(inn).toMatchObject({ id: `clock-in:${out.data.shiftId}`, data: { positionId: 'server' } });
      expect(out).toMatchObject({ id: `clock-out:${out.data.shiftId}`, data: { localDate: today() } });
      expect(JSON.stringify(out)).not.toMatch(/wage|amount|1650/);
      expect(events.filter((e) => e.id === out.id)).toHaveLength(1);
    });
  });
});

describe('one open shift per person', () => {
  it('concurrent clock-ins (different keys, the person and a manager): one 201, the rest 409; one clock-in punch a shift', async () => {
    const { siteId, manager, colleague } = site;
    for (let round = 0; round < 3; round++) {
      const taps = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? tap(siteId, colleague, colleague.userId, 'clock-in') : tap(siteId, manager, colleague.userId, 'clock-in', { positionId: 'dishwasher' }))),
      );
      expect(taps.map((res) => res.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      if (round < 2) await expectStatus(tap(siteId, colleague, colleague.userId, 'clock-out'), 201);
    }
    const stored = await punchesOf(colleague.userId);
    expect(stored.filter((p) => p.kind === 'clock-in')).toHaveLength(3);
    expect(new Set(stored.map((p) => p.shiftId)).size).toBe(3);
    // A clock-out on a break closes the break at the same instant; the manager taps for them on the tablet.
    await expectStatus(tap(siteId, colleague, colleague.userId, 'break-start'), 201);
    const out = await expectStatus(tap(siteId, manager, colleague.userId, 'clock-out'), 201);
    expect(out.json.punches).toEqual([expect.objectContaining({ kind: 'break-end', closedBy: 'clock-out', by: manager.userId }), expect.objectContaining({ kind: 'clock-out', by: manager.userId })]);
    expect(out.json.punches[0].at).toBe(out.json.punches[1].at);
  });

  it('a retried tap (same Idempotency-Key) punches once and gets the same answer; the key with another body is a 422', async () => {
    const { siteId, colleague } = site;
    const key = uniqueId('retry');
    const first = await expectStatus(tap(siteId, colleague, colleague.userId, 'clock-in', { positionId: 'line-cook' }, key), 201);
    const [again, concurrent] = await Promise.all([
      tap(siteId, colleague, colleague.userId, 'clock-in', { positionId: 'line-cook' }, key),
      tap(siteId, colleague, colleague.userId, 'clock-in', { positionId: 'line-cook' }, key),
    ]);
    for (const replay of [again, concurrent]) {
      expect(replay.status).toBe(201);
      expect(replay.text).toBe(first.text);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
    }
    expect((await tap(siteId, colleague, colleague.userId, 'clock-in', { positionId: 'dishwasher' }, key)).status).toBe(422);
    const stored = await punchesOf(colleague.userId);
    expect(stored.filter((p) => p.shiftId === first.json.shiftId)).toHaveLength(1);
    await expectStatus(tap(siteId, colleague, colleague.userId, 'clock-out'), 201);
  });
});

describe('who may punch', () => {
  it('staff punch only for themselves (a colleague is a 404); a position not in the profile is a 422; no profile is a 404', async () => {
    const { siteId, staff, colleague, manager } = site;
    const forColleague = await tap(siteId, staff, colleague.userId, 'clock-in');
    expect(forColleague.status).toBe(404);
    expect((await api('GET', `${profilePath(siteId, colleague.userId)}/punches?from=2026-01-01&to=2026-01-31`, { headers: bearer(staff) })).status).toBe(404);
    expect((await tap(siteId, staff, staff.userId, 'clock-in', { positionId: 'chef' })).status).toBe(422);
    expect((await tap(siteId, manager, manager.userId, 'clock-in')).status).toBe(404);
    expect((await api('GET', `/sites/${siteId}/staff/on-the-clock`, { headers: bearer(staff) })).status).toBe(403);
  });
});
