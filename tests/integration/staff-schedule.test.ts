// Schedules, availability and time off over the running stack: staff set their availability and ask for days off,
// managers decide; managers draft shifts (conflicts refused or flagged, a DST night an hour shorter, the labour cost),
// staff see no drafts and cannot write; publish → the staff member's inbox; an edit of a published shift waits for
// the next publish; of two concurrent claims of one open shift one wins, as does one of two overlapping assignments
// or time-off requests made at once; a swap proposed by staff, approved by a manager; bad input is a 4xx JSON error
// naming the field. The week is Mon 2027-03-22 … Sun 2027-03-28 in Europe/Paris, whose clocks spring forward in the
// night of Saturday to Sunday.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { bearer, type TestUser } from './support/identity';
import { inbox, waitForNotification, type Notification } from './support/notifications';
import { expectStatus } from './support/orders';
import { putProfile, staffSite, type StaffSite } from './support/staff';
import { api, dynamo, tableName, uniqueId } from './support/target';

jest.setTimeout(120_000);

let site: StaffSite;
let other: StaffSite;

beforeAll(async () => {
  [site, other] = await Promise.all([staffSite(), staffSite()]);
  await Promise.all([
    putProfile(site.siteId, site.manager, site.staff.userId),
    putProfile(site.siteId, site.manager, site.colleague.userId, {
      positions: [
        { positionId: 'server', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1800 }] },
        { positionId: 'bartender', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1900 }] },
      ],
      employment: { type: 'full-time', weeklyHours: 40, weeklyDays: 5, restDay: 'sun' },
      payPack: 'us.flsa@2026.1.0',
    }),
    putProfile(other.siteId, other.manager, other.staff.userId),
  ]);
}, 120_000);

const staffPath = (userId: string, rest: string) => `/sites/${site.siteId}/staff/${userId}/${rest}`;
const shiftsPath = () => `/sites/${site.siteId}/schedule/shifts`;
const schedule = (by: TestUser, from = '2027-03-22', to = '2027-03-28') => api('GET', `/sites/${site.siteId}/schedule?from=${from}&to=${to}`, { headers: bearer(by) });
const createShift = (body: Record<string, unknown>, by: TestUser = site.manager, key = uniqueId('shift')) => api('POST', shiftsPath(), { body, headers: { ...bearer(by), 'idempotency-key': key } });
const askTimeOff = (userId: string, body: Record<string, unknown>, by: TestUser, key = uniqueId('timeoff')) => api('POST', staffPath(userId, 'time-off'), { body, headers: { ...bearer(by), 'idempotency-key': key } });
const publish = (from: string, to: string) => expectStatus(api('POST', `/sites/${site.siteId}/schedule/publish`, { body: { from, to }, headers: bearer(site.manager) }), 200);

describe('availability and time off', () => {
  it('staff set their own weekly availability by version; a colleague’s is a 404; managers read it', async () => {
    const days = { sun: [], sat: [{ start: '10:00', end: '02:00' }] };
    const set = await expectStatus(api('PUT', staffPath(site.staff.userId, 'availability'), { body: { days }, headers: bearer(site.staff) }), 200);
    expect(set.json).toMatchObject({ version: 1, days });
    expect((await api('PUT', staffPath(site.staff.userId, 'availability'), { body: { days }, headers: bearer(site.staff) })).status).toBe(409);
    expect((await api('PUT', staffPath(site.colleague.userId, 'availability'), { body: { days }, headers: bearer(site.staff) })).status).toBe(404);
    expect((await api('GET', staffPath(site.colleague.userId, 'availability'), { headers: bearer(site.staff) })).status).toBe(404);
    const read = await expectStatus(api('GET', staffPath(site.staff.userId, 'availability'), { headers: bearer(site.manager) }), 200);
    expect(read.json).toMatchObject({ version: 1, days });
  });

  it('a request is pending; an overlapping one is a 409; managers approve; only pending requests are cancelled', async () => {
    const asked = await expectStatus(askTimeOff(site.staff.userId, { from: '2027-03-24', to: '2027-03-24', kind: 'paid' }, site.staff, 'timeoff-first-request'), 201);
    expect(asked.json).toMatchObject({ status: 'pending', version: 1, requestedBy: site.staff.userId });
    const overlap = await askTimeOff(site.staff.userId, { from: '2027-03-23', to: '2027-03-25', kind: 'unpaid' }, site.staff);
    expect(overlap.status).toBe(409);
    expect(overlap.json.error.details).toMatchObject({ requestId: asked.json.requestId });
    // A retry with the first request's key is its answer again, not a 409 against itself.
    const retried = await expectStatus(askTimeOff(site.staff.userId, { from: '2027-03-24', to: '2027-03-24', kind: 'paid' }, site.staff, 'timeoff-first-request'), 201);
    expect(retried.json.requestId).toBe(asked.json.requestId);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect((await askTimeOff(site.colleague.userId, { from: '2027-04-01', to: '2027-04-01', kind: 'paid' }, site.staff)).status).toBe(404);

    const decision = `time-off/${asked.json.requestId}/decision`;
    expect((await api('POST', staffPath(site.staff.userId, decision), { body: { decision: 'approve' }, headers: bearer(site.staff) })).status).toBe(403);
    const approved = await expectStatus(api('POST', staffPath(site.staff.userId, decision), { body: { decision: 'approve' }, headers: bearer(site.manager) }), 200);
    expect(approved.json).toMatchObject({ status: 'approved', version: 2, decidedBy: site.manager.userId, shiftsToCover: [] });
    expect((await api('POST', staffPath(site.staff.userId, decision), { body: { decision: 'decline' }, headers: bearer(site.manager) })).status).toBe(409);
    expect((await api('POST', staffPath(site.staff.userId, `time-off/${asked.json.requestId}/cancel`), { headers: bearer(site.staff) })).status).toBe(409);

    const later = await expectStatus(askTimeOff(site.staff.userId, { from: '2027-04-10', to: '2027-04-12', kind: 'unpaid', reason: 'moving' }, site.staff), 201);
    const cancelled = await expectStatus(api('POST', staffPath(site.staff.userId, `time-off/${later.json.requestId}/cancel`), { headers: bearer(site.staff) }), 200);
    expect(cancelled.json.status).toBe('cancelled');
    // The cancelled days are free again.
    await expectStatus(askTimeOff(site.staff.userId, { from: '2027-04-11', to: '2027-04-11', kind: 'sick' }, site.staff), 201);

    const own = await expectStatus(api('GET', staffPath(site.staff.userId, 'time-off'), { headers: bearer(site.staff) }), 200);
    expect(own.json.requests.map((r: { status: string }) => r.status)).toEqual(['approved', 'cancelled', 'pending']);
    const queue = await expectStatus(api('GET', `/sites/${site.siteId}/time-off?status=pending`, { headers: bearer(site.manager) }), 200);
    expect(queue.json.requests.map((r: { from: string }) => r.from)).toEqual(['2027-04-11']);
  });
});

describe('shifts, conflicts, publish, claims and swaps', () => {
  let monday: { shiftId: string; version: number };

  it('a draft shift for a person with the position; an overlap names the other shift (409), even overridden', async () => {
    const created = await expectStatus(createShift({ date: '2027-03-22', start: '09:00', end: '17:00', breakMinutes: 30, positionId: 'server', userId: site.staff.userId }), 201);
    expect(created.json).toMatchObject({ status: 'draft', version: 1, date: '2027-03-22', start: '2027-03-22T08:00:00.000Z', end: '2027-03-22T16:00:00.000Z', flags: [] });
    expect(created.json.shiftId).toMatch(/^2027-03-22-[0-9a-f]{12}$/);
    monday = created.json;
    // An open shift created twice with one Idempotency-Key is one shift, answered twice with the same bytes.
    const replayed = await expectStatus(createShift({ date: '2027-03-22', start: '18:00', end: '22:00', positionId: 'server' }, site.manager, 'shift-evening-key'), 201);
    const again = await expectStatus(createShift({ date: '2027-03-22', start: '18:00', end: '22:00', positionId: 'server' }, site.manager, 'shift-evening-key'), 201);
    expect(again.text).toBe(replayed.text);
    await expectStatus(api('DELETE', `${shiftsPath()}/${replayed.json.shiftId}?expectedVersion=1`, { headers: bearer(site.manager) }), 204);
    const overlap = await createShift({ date: '2027-03-22', start: '16:00', end: '20:00', positionId: 'server', userId: site.staff.userId, override: true });
    expect(overlap.status).toBe(409);
    expect(overlap.json.error.details.conflicts[0]).toMatchObject({ kind: 'overlap', shiftId: monday.shiftId });
    const position = await createShift({ date: '2027-03-25', start: '09:00', end: '12:00', positionId: 'bartender', userId: site.staff.userId });
    expect(position.status).toBe(422);
    expect(position.json.error.details.field).toBe('positionId');
    const elsewhere = await createShift({ date: '2027-03-25', start: '09:00', end: '12:00', positionId: 'server', userId: other.staff.userId });
    expect(elsewhere.status).toBe(422);
  });

  it('approved time off and unavailable days are refused (422) unless overridden, then flagged; short rest is flagged', async () => {
    const onLeave = await createShift({ date: '2027-03-24', start: '09:00', end: '13:00', positionId: 'server', userId: site.staff.userId });
    expect(onLeave.status).toBe(422);
    expect(onLeave.json.error.details.conflicts.map((c: { kind: string }) => c.kind)).toEqual(['time-off']);
    const overridden = await expectStatus(createShift({ date: '2027-03-24', start: '09:00', end: '13:00', positionId: 'server', userId: site.staff.userId, override: true }), 201);
    expect(overridden.json).toMatchObject({ override: true, flags: [{ kind: 'time-off' }] });
    expect((await createShift({ date: '2027-03-28', start: '12:00', end: '14:00', positionId: 'server', userId: site.staff.userId })).json.error.details.conflicts[0].kind).toBe('unavailable');
    const early = await expectStatus(createShift({ date: '2027-03-23', start: '01:00', end: '05:00', positionId: 'server', userId: site.staff.userId }), 201);
    expect(early.json.flags).toEqual([expect.objectContaining({ kind: 'short-rest', shiftId: monday.shiftId })]);
  });

  it('a night across the spring-forward hour is an hour shorter; the manager’s view costs each shift, day and the week', async () => {
    await expectStatus(createShift({ date: '2027-03-27', start: '22:00', end: '06:00', positionId: 'bartender', userId: site.colleague.userId }), 201);
    const view = await expectStatus(schedule(site.manager), 200);
    const night = view.json.shifts.find((s: { date: string }) => s.date === '2027-03-27');
    expect(night).toMatchObject({ plannedMinutes: 420, labour: { cost: 13_300, hourlyRate: 1900 }, name: 'Test staff' });
    const mondayDay = view.json.days.find((d: { date: string }) => d.date === '2027-03-22');
    expect(mondayDay).toMatchObject({ plannedMinutes: 450, cost: 12_375, openMinutes: 0 });
    // 7.5 h + 4 h + 4 h at 16.50, 7 h at 19.00.
    expect(view.json.total).toMatchObject({ plannedMinutes: 450 + 240 + 240 + 420, cost: 12_375 + 6600 + 6600 + 13_300, uncostedMinutes: 0 });
    expect(view.json).toMatchObject({ currency: 'USD', timeZone: 'Europe/Paris', labourPercentOfForecastSales: null });
  });

  it('staff cannot write shifts (403) and see no drafts', async () => {
    expect((await createShift({ date: '2027-03-25', start: '09:00', end: '12:00', positionId: 'server' }, site.staff)).status).toBe(403);
    const put = await api('PUT', `${shiftsPath()}/${monday.shiftId}`, { body: { start: '09:00', end: '12:00', positionId: 'server', expectedVersion: 1 }, headers: bearer(site.staff) });
    expect(put.status).toBe(403);
    expect((await api('DELETE', `${shiftsPath()}/${monday.shiftId}?expectedVersion=1`, { headers: bearer(site.staff) })).status).toBe(403);
    expect((await api('POST', `/sites/${site.siteId}/schedule/publish`, { body: { from: '2027-03-22', to: '2027-03-28' }, headers: bearer(site.staff) })).status).toBe(403);
    const view = await expectStatus(schedule(site.staff), 200);
    expect(view.json.shifts).toEqual([]);
  });

  it('edits and deletes are by version', async () => {
    const edited = await expectStatus(api('PUT', `${shiftsPath()}/${monday.shiftId}`, { body: { start: '09:00', end: '17:00', breakMinutes: 30, positionId: 'server', userId: site.staff.userId, note: 'inventory count', expectedVersion: 1 }, headers: bearer(site.manager) }), 200);
    expect(edited.json).toMatchObject({ version: 2, note: 'inventory count', status: 'draft' });
    monday = edited.json;
    expect((await api('PUT', `${shiftsPath()}/${monday.shiftId}`, { body: { start: '09:00', end: '16:00', positionId: 'server', expectedVersion: 1 }, headers: bearer(site.manager) })).status).toBe(409);
    const spare = await expectStatus(createShift({ date: '2027-03-25', start: '18:00', end: '23:00', positionId: 'server' }), 201);
    expect((await api('DELETE', `${shiftsPath()}/${spare.json.shiftId}?expectedVersion=2`, { headers: bearer(site.manager) })).status).toBe(409);
    expect((await api('DELETE', `${shiftsPath()}/${spare.json.shiftId}?expectedVersion=1`, { headers: bearer(site.manager) })).status).toBe(204);
    expect((await api('DELETE', `${shiftsPath()}/${spare.json.shiftId}?expectedVersion=1`, { headers: bearer(site.manager) })).status).toBe(404);
  });

  it('publish: every draft of the days becomes published, the week is recorded, staff see the roster and are told', async () => {
    const published = await publish('2027-03-22', '2027-03-28');
    expect(published.json).toMatchObject({ published: 4, weeks: ['2027-03-22'] });
    expect(published.json.people.sort()).toEqual([site.staff.userId, site.colleague.userId].sort());
    const roster = await expectStatus(schedule(site.staff), 200);
    expect(roster.json.shifts).toHaveLength(4);
    expect(roster.json.shifts.every((s: { status: string }) => s.status === 'published')).toBe(true);
    expect(roster.text).not.toMatch(/labour|hourlyRate|flags|1650|1900|inventory count/);
    const week = await dynamo.send(new QueryCommand({ TableName: tableName('staff'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SITE#${site.siteId}#SCHEDULE` } }));
    expect(week.Items).toEqual([expect.objectContaining({ weekStart: '2027-03-22', version: 1, publishedBy: site.manager.userId })]);

    const told = await waitForNotification(site.staff, (n) => n.eventType === 'staff.schedule-published', 60_000, 'the schedule notification');
    expect(told).toMatchObject({ siteId: site.siteId, title: 'Your schedule for 2027-03-22 to 2027-03-28 is published' });
    expect(told.data).toMatchObject({ userId: site.staff.userId });
    expect(told.data.shifts).toHaveLength(3);

    // Nothing left to publish; a published shift is not deleted; an edit keeps it published until republished.
    expect((await publish('2027-03-22', '2027-03-28')).json.published).toBe(0);
    expect((await api('DELETE', `${shiftsPath()}/${monday.shiftId}?expectedVersion=3`, { headers: bearer(site.manager) })).status).toBe(409);
    const moved = await expectStatus(api('PUT', `${shiftsPath()}/${monday.shiftId}`, { body: { start: '10:00', end: '17:00', positionId: 'server', userId: site.staff.userId, expectedVersion: 3 }, headers: bearer(site.manager) }), 200);
    expect(moved.json).toMatchObject({ status: 'published', republish: true });
    const again = await publish('2027-03-22', '2027-03-22');
    expect(again.json).toMatchObject({ published: 1, people: [site.staff.userId] });
  });

  it('publish checks again: time off approved after the draft refuses it (422, naming the shift) until overridden', async () => {
    const draft = await expectStatus(createShift({ date: '2027-04-05', start: '09:00', end: '15:00', positionId: 'server', userId: site.colleague.userId }), 201);
    const asked = await expectStatus(askTimeOff(site.colleague.userId, { from: '2027-04-05', to: '2027-04-06', kind: 'sick' }, site.colleague), 201);
    const approved = await expectStatus(api('POST', staffPath(site.colleague.userId, `time-off/${asked.json.requestId}/decision`), { body: { decision: 'approve' }, headers: bearer(site.manager) }), 200);
    // The approval names the shift the colleague already has on those days: someone must cover it.
    expect(approved.json.shiftsToCover).toEqual([{ shiftId: draft.json.shiftId, date: '2027-04-05', start: draft.json.start, end: draft.json.end, positionId: 'server', status: 'draft' }]);
    const refused = await api('POST', `/sites/${site.siteId}/schedule/publish`, { body: { from: '2027-04-05', to: '2027-04-05' }, headers: bearer(site.manager) });
    expect(refused.status).toBe(422);
    expect(refused.json.error.details.refused).toEqual([expect.objectContaining({ shiftId: draft.json.shiftId, conflicts: [expect.objectContaining({ kind: 'time-off' })] })]);
    const view = await expectStatus(schedule(site.manager, '2027-04-05', '2027-04-05'), 200);
    expect(view.json.shifts[0].status).toBe('draft');
    await expectStatus(api('PUT', `${shiftsPath()}/${draft.json.shiftId}`, { body: { start: '09:00', end: '15:00', positionId: 'server', userId: site.colleague.userId, override: true, expectedVersion: 1 }, headers: bearer(site.manager) }), 200);
    const published = await publish('2027-04-05', '2027-04-05');
    expect(published.json.shifts).toEqual([expect.objectContaining({ shiftId: draft.json.shiftId, status: 'published', override: true, flags: [expect.objectContaining({ kind: 'time-off' })] })]);
  });

  it('two staff claim one published open shift at once: one wins, the other gets a 409', async () => {
    for (const date of ['2027-03-26', '2027-03-19', '2027-03-18']) {
      const open = await expectStatus(createShift({ date, start: '12:00', end: '16:00', positionId: 'server' }), 201);
      const claim = (by: TestUser) => api('POST', `${shiftsPath()}/${open.json.shiftId}/claim`, { headers: bearer(by) });
      expect((await claim(site.staff)).status).toBe(404); // a draft is not seen by staff
      await publish(date, date);
      const results = await Promise.all([claim(site.staff), claim(site.colleague)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!;
      const stored = await expectStatus(schedule(site.manager, date, date), 200);
      expect(stored.json.shifts.find((s: { shiftId: string }) => s.shiftId === open.json.shiftId).userId).toBe(winner.json.userId);
    }
  });

  it('two overlapping shifts given to one person at once: the schedule guard lets one through, the other is a 409', async () => {
    for (const date of ['2027-04-13', '2027-04-14', '2027-04-15']) {
      const results = await Promise.all([
        createShift({ date, start: '09:00', end: '13:00', positionId: 'server', userId: site.colleague.userId }),
        createShift({ date, start: '12:00', end: '16:00', positionId: 'server', userId: site.colleague.userId }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      const view = await expectStatus(schedule(site.manager, date, date), 200);
      expect(view.json.shifts).toHaveLength(1);
    }
  });

  it('two overlapping time-off requests filed at once: one is pending, the other a 409', async () => {
    for (const from of ['2027-05-03', '2027-05-10', '2027-05-17']) {
      const results = await Promise.all([
        askTimeOff(site.colleague.userId, { from, to: from, kind: 'paid' }, site.colleague),
        askTimeOff(site.colleague.userId, { from, to: from, kind: 'unpaid' }, site.manager),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    }
    const requests = await expectStatus(api('GET', staffPath(site.colleague.userId, 'time-off'), { headers: bearer(site.colleague) }), 200);
    expect(requests.json.requests.filter((r: { from: string }) => r.from >= '2027-05-01')).toHaveLength(3);
  });

  it('a swap: the shift’s person proposes, nobody else can; a manager approves and the colleague has the shift', async () => {
    const view = await expectStatus(schedule(site.manager, '2027-03-22', '2027-03-22'), 200);
    const shift = view.json.shifts.find((s: { shiftId: string }) => s.shiftId === monday.shiftId);
    const path = `${shiftsPath()}/${monday.shiftId}/swap`;
    expect((await api('POST', path, { body: { toUserId: site.staff.userId }, headers: bearer(site.colleague) })).status).toBe(404);
    expect((await api('POST', path, { body: { toUserId: site.staff.userId }, headers: bearer(site.staff) })).status).toBe(422);
    const proposed = await expectStatus(api('POST', path, { body: { toUserId: site.colleague.userId }, headers: bearer(site.staff) }), 200);
    expect(proposed.json).toMatchObject({ version: shift.version + 1, swap: { toUserId: site.colleague.userId, proposedBy: site.staff.userId } });
    expect((await api('POST', `${path}/decision`, { body: { decision: 'approve' }, headers: bearer(site.colleague) })).status).toBe(403);
    const approved = await expectStatus(api('POST', `${path}/decision`, { body: { decision: 'approve' }, headers: bearer(site.manager) }), 200);
    expect(approved.json).toMatchObject({ userId: site.colleague.userId, republish: true, status: 'published' });
    expect(approved.json).not.toHaveProperty('swap');
    // An edit restates the shift: left without a person, it is open again (and its note is gone), an hour shorter.
    const opened = await expectStatus(api('PUT', `${shiftsPath()}/${monday.shiftId}`, { body: { start: '11:00', end: '17:00', positionId: 'server', expectedVersion: approved.json.version }, headers: bearer(site.manager) }), 200);
    expect(opened.json).not.toHaveProperty('userId');
    expect(opened.json).toMatchObject({ status: 'published', republish: true, flags: [] });
    expect((await api('POST', `${path}/decision`, { body: { decision: 'approve' }, headers: bearer(site.manager) })).status).toBe(409);

    // The next publish warns the person it was last published to that it is no longer theirs; the colleague, who
    // had it only in between, hears nothing of it.
    expect(opened.json.lastPublished).toEqual({ userId: site.staff.userId, start: shift.start, end: shift.end, positionId: 'server' });
    expect(opened.json.start).not.toBe(shift.start);
    const republished = await publish('2027-03-22', '2027-03-22');
    expect(republished.json).toMatchObject({ published: 1, people: [site.staff.userId] });
    const changed = (n: Notification) => n.eventType === 'staff.schedule-published' && n.title === 'Your schedule for 2027-03-22 changed';
    const lost = await waitForNotification(site.staff, changed, 60_000, 'the lost shift');
    expect(lost.severity).toBe('warning');
    // As they were told it (10:00–17:00 by the last publish), not as it is now (11:00–17:00, open).
    expect(lost.data).toMatchObject({ shifts: [], removed: [{ shiftId: monday.shiftId, date: '2027-03-22', start: shift.start, end: shift.end, positionId: 'server' }] });
    expect((await inbox(site.colleague, '?limit=100')).filter(changed)).toEqual([]);
    // Told: a later publish of the day tells nobody again.
    const stored = (await expectStatus(schedule(site.manager, '2027-03-22', '2027-03-22'), 200)).json.shifts.find((s: { shiftId: string }) => s.shiftId === monday.shiftId);
    expect(stored).not.toHaveProperty('lastPublished');
    expect((await publish('2027-03-22', '2027-03-22')).json.published).toBe(0);
  });
});

describe('copying a rota forward', () => {
  it('copies some days’ shifts a week later as drafts, skips and names what the rules refuse, and a retry copies nothing twice', async () => {
    const colleague = site.colleague.userId;
    const made = [];
    for (const body of [
      { date: '2027-06-07', start: '09:00', end: '15:00', positionId: 'server', userId: colleague, breakMinutes: 30, note: 'deliveries' },
      { date: '2027-06-08', start: '18:00', end: '01:00', positionId: 'bartender', userId: colleague },
      { date: '2027-06-09', start: '11:00', end: '15:00', positionId: 'server' },
    ])
      made.push((await expectStatus(createShift(body), 201)).json);
    // Published shifts are copied too, as drafts.
    await publish('2027-06-07', '2027-06-07');
    // The colleague already works the evening of 2027-06-15: the copy of the 06-08 bar shift would overlap it.
    await expectStatus(createShift({ date: '2027-06-15', start: '17:00', end: '23:00', positionId: 'server', userId: colleague }), 201);

    const key = uniqueId('copy');
    const copy = (body: Record<string, unknown> = { from: '2027-06-07', to: '2027-06-13' }, by: TestUser = site.manager, idempotency = key) =>
      api('POST', `/sites/${site.siteId}/schedule/copy`, { body, headers: { ...bearer(by), 'idempotency-key': idempotency } });
    const copied = await expectStatus(copy(), 200);
    const week = 7 * 86_400_000;
    expect(copied.json.copied).toEqual([
      expect.objectContaining({ date: '2027-06-14', status: 'draft', userId: colleague, positionId: 'server', breakMinutes: 30, note: 'deliveries', start: new Date(Date.parse(made[0].start) + week).toISOString(), end: new Date(Date.parse(made[0].end) + week).toISOString() }),
      expect.objectContaining({ date: '2027-06-16', status: 'draft', positionId: 'server', start: new Date(Date.parse(made[2].start) + week).toISOString() }),
    ]);
    expect(copied.json.copied[1]).not.toHaveProperty('userId');
    expect(copied.json.skipped).toEqual([expect.objectContaining({ shiftId: made[1].shiftId, date: '2027-06-15', userId: colleague, status: 409 })]);

    // The same key answers the same copy; the week holds the two copies and what was there, nothing twice.
    const again = await expectStatus(copy(), 200);
    expect(again.json.copied.map((shift: { shiftId: string }) => shift.shiftId)).toEqual(copied.json.copied.map((shift: { shiftId: string }) => shift.shiftId));
    expect((await expectStatus(schedule(site.manager, '2027-06-14', '2027-06-20'), 200)).json.shifts).toHaveLength(3);
    // Regression: the same days copied again under another key (a retry after a timeout) make nothing twice; the open
    // shift, which no person's overlap stops, was copied a second time.
    const rerun = await expectStatus(copy(undefined, site.manager, uniqueId('copy')), 200);
    expect(rerun.json.copied).toEqual([]);
    expect(rerun.json.skipped.filter((s: { reason: string }) => /is already there$/.test(s.reason)).map((s: { shiftId: string }) => s.shiftId).sort()).toEqual([made[0].shiftId, made[2].shiftId].sort());
    expect((await expectStatus(schedule(site.manager, '2027-06-14', '2027-06-20'), 200)).json.shifts).toHaveLength(3);

    expect((await copy({ from: '2027-06-13', to: '2027-06-07' }, site.manager, uniqueId('copy'))).status).toBe(400);
    expect((await copy({ from: '2027-06-01', to: '2027-06-30' }, site.manager, uniqueId('copy'))).status).toBe(400);
    expect((await copy({ from: '2027-06-07', to: '2027-06-07', offsetDays: 0 }, site.manager, uniqueId('copy'))).status).toBe(400);
    expect((await copy(undefined, site.staff, uniqueId('copy'))).status).toBe(403);
  });
});

describe('bad input is a 4xx JSON error naming the field', () => {
  it.each([
    ['GET', '/schedule?from=2027-03-01&to=2027-04-15', undefined, 400],
    ['GET', '/schedule?from=2027-03-10&to=2027-03-01', undefined, 400],
    ['GET', '/schedule?from=2027-02-30&to=2027-03-01', undefined, 400],
    ['GET', '/schedule', undefined, 400],
    ['POST', '/schedule/shifts', { date: '2027-03-22', start: '09:00', end: '09:00', positionId: 'server' }, 400],
    ['POST', '/schedule/shifts', { date: '2027-03-22', start: '25:00', end: '09:00', positionId: 'server' }, 400],
    ['POST', '/schedule/shifts', { date: '2027-03-22', start: '09:00', end: '10:00', positionId: 'wizard' }, 400],
    ['POST', '/schedule/shifts', { date: '2027-03-22', start: '09:00', end: '10:00', positionId: 'server', breakMinutes: 1e300 }, 400],
    ['POST', '/schedule/shifts', { date: '2027-03-22', start: '09:00', end: '10:00', positionId: 'server', wage: 10 }, 400],
    ['POST', '/schedule/shifts', { date: '2027-03-22', start: '09:00', end: '10:00', positionId: 'server', breakMinutes: 60 }, 422],
    ['POST', '/schedule/shifts', { date: '2027-03-22', start: '09:00', end: '10:00', positionId: 'server', userId: '../../x' }, 400],
    ['PUT', '/schedule/shifts/not-a-shift', { start: '09:00', end: '10:00', positionId: 'server', expectedVersion: 1 }, 400],
    ['PUT', '/schedule/shifts/2027-02-30-0123456789ab', { start: '09:00', end: '10:00', positionId: 'server', expectedVersion: 1 }, 400],
    ['PUT', '/schedule/shifts/2027-03-22-0123456789ab', { start: '09:00', end: '10:00', positionId: 'server', expectedVersion: 1 }, 404],
    ['DELETE', '/schedule/shifts/2027-03-22-0123456789ab?expectedVersion=-1', undefined, 400],
    ['POST', '/schedule/shifts/2027-03-22-0123456789ab/claim', undefined, 404],
    ['POST', '/schedule/publish', { from: '2027-03-22' }, 400],
    ['POST', '/schedule/publish', { from: '2027-03-22', to: '2099-03-22' }, 400],
    ['GET', '/time-off?status=maybe', undefined, 400],
  ])('%s %s %j → %d', async (method, path, body, status) => {
    const res = await api(method, `/sites/${site.siteId}${path}`, { ...(body === undefined ? {} : { body }), headers: { ...bearer(site.manager), 'idempotency-key': uniqueId('bad') } });
    expect(res.status).toBe(status);
    expect(res.json.error.code).toEqual(expect.any(String));
    if (status === 400 && res.json.error.details) expect(res.json.error.details.length).toBeGreaterThan(0);
  });

  it('time off and availability: backwards, too long, odd ids and decisions', async () => {
    const ask = (body: Record<string, unknown>) => askTimeOff(site.staff.userId, body, site.staff);
    expect((await api('POST', staffPath(site.staff.userId, 'time-off'), { body: { from: '2027-05-01', to: '2027-05-01', kind: 'paid' }, headers: bearer(site.staff) })).status).toBe(400);
    const backwards = await ask({ from: '2027-05-02', to: '2027-05-01', kind: 'paid' });
    expect(backwards.status).toBe(400);
    expect(backwards.json.error.details[0]).toMatchObject({ in: 'body', path: 'to' });
    expect((await ask({ from: '2027-05-01', to: '2028-05-01', kind: 'paid' })).status).toBe(400);
    expect((await ask({ from: '2027-05-01', to: '2027-05-01', kind: 'holiday' })).status).toBe(400);
    expect((await api('POST', staffPath(site.staff.userId, 'time-off/..%2F..%2Fx/cancel'), { headers: bearer(site.staff) })).status).toBe(400);
    expect((await api('POST', staffPath(site.staff.userId, 'time-off/no-such-request/cancel'), { headers: bearer(site.staff) })).status).toBe(404);
    expect((await api('POST', staffPath(site.staff.userId, 'time-off/no-such-request/decision'), { body: { decision: 'maybe' }, headers: bearer(site.manager) })).status).toBe(400);
    const availability = (days: unknown) => api('PUT', staffPath(site.colleague.userId, 'availability'), { body: { days }, headers: bearer(site.colleague) });
    expect((await availability({ mon: [{ start: '09:00', end: '09:00' }] })).status).toBe(400);
    expect((await availability({ someday: [] })).status).toBe(400);
    expect((await availability({ mon: Array.from({ length: 7 }, () => ({ start: '09:00', end: '10:00' })) })).status).toBe(400);
  });
});
