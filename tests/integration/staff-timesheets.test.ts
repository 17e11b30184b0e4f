// Punch edits, timesheets and payroll over the running stack: a shift clocked with a break as staff, a correction
// asked by the person and approved by a manager, the timesheet with its exceptions and payroll preview, approval and
// lock (refused while an edit waits or the person is on the clock), an edit to the locked period refused, the CSV
// export and the payslip from the locked result, and a recompute that stays identical after the wage and the site's
// settings change. Staff never see another person's timesheet, edits or payslip.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { zonedTimeToInstant } from '../../functions/shared/time';
import { DEFAULT_STAFF_SETTINGS } from '../../functions/staff/settings';
import { periodContaining } from '../../functions/staff/pay-period';
import { bearer, theOwner, type TestUser } from './support/identity';
import { badQuery, misanswered, ODD_DATES } from './support/bad-input';
import { expectStatus } from './support/orders';
import { directoryItem, profileBody, profilePath, putProfile, staffSite, tap, type StaffSite } from './support/staff';
import { api, dynamo, tableName, uniqueId } from './support/target';

jest.setTimeout(120_000);

const ZONE = 'Europe/Paris';
let site: StaffSite;
let today: string;
let periodFrom: string;

const at = (time: string) => new Date(zonedTimeToInstant(today, time, ZONE)).toISOString();
const editsPath = (userId: string) => `${profilePath(site.siteId, userId)}/punch-edits`;
const timesheetPath = (userId: string) => `/sites/${site.siteId}/timesheets/${periodFrom}/${userId}`;
const requestEdit = (by: TestUser, userId: string, body: Record<string, unknown>) =>
  api('POST', editsPath(userId), { body, headers: { ...bearer(by), 'idempotency-key': uniqueId('edit') } });

beforeAll(async () => {
  site = await staffSite();
  await directoryItem({ pk: 'SITES', sk: `SITE#${site.siteId}` }, (item) => item.timeZone === ZONE, 'the site in staff’s directory');
  await putProfile(site.siteId, site.manager, site.staff.userId);
  await putProfile(site.siteId, site.manager, site.colleague.userId);
  today = new Date().toLocaleDateString('en-CA', { timeZone: ZONE });
  periodFrom = periodContaining(DEFAULT_STAFF_SETTINGS.payPeriod, today).from;
}, 120_000);

describe('a pay period from the clock to the payslip', () => {
  let rawShiftId: string;
  let editId: string;

  it('clocks a shift with a break as staff; the timesheet shows it raw', async () => {
    const { staff, siteId } = site;
    rawShiftId = (await expectStatus(tap(siteId, staff, staff.userId, 'clock-in'), 201)).json.shiftId;
    await expectStatus(tap(siteId, staff, staff.userId, 'break-start'), 201);
    await expectStatus(tap(siteId, staff, staff.userId, 'break-end'), 201);
    await expectStatus(tap(siteId, staff, staff.userId, 'clock-out'), 201);
    const sheet = await expectStatus(api('GET', timesheetPath(staff.userId), { headers: bearer(staff) }), 200);
    expect(sheet.json).toMatchObject({ status: 'open', period: { from: periodFrom }, packRef: 'us.flsa@2026.1.0' });
    const shifts = sheet.json.view.days.flatMap((day: { shifts: unknown[] }) => day.shifts);
    expect(shifts).toEqual([expect.objectContaining({ shiftId: rawShiftId, source: { kind: 'raw' }, positionId: 'server' })]);
  });

  it('refuses backwards and overlapping times, naming the field; staff ask only for themselves and decide nothing', async () => {
    const { staff, colleague } = site;
    const backwards = await expectStatus(requestEdit(staff, staff.userId, { kind: 'replace', shiftId: rawShiftId, clockIn: at('17:00'), clockOut: at('09:00'), reason: 'forgot' }), 400);
    expect(JSON.stringify(backwards.json.error)).toContain('clockOut');
    const breaks = [{ start: at('12:00'), end: at('12:30') }, { start: at('12:15'), end: at('12:45') }];
    const overlapping = await expectStatus(requestEdit(staff, staff.userId, { kind: 'replace', shiftId: rawShiftId, clockIn: at('09:00'), clockOut: at('17:30'), breaks, reason: 'forgot' }), 400);
    expect(JSON.stringify(overlapping.json.error)).toContain('breaks');
    const unknown = await expectStatus(requestEdit(staff, staff.userId, { kind: 'void', shiftId: 'shift-nope', reason: 'mistake' }), 422);
    expect(unknown.json.error.details).toMatchObject({ field: 'shiftId' });
    await expectStatus(requestEdit(staff, colleague.userId, { kind: 'add', clockIn: at('09:00'), clockOut: at('10:00'), reason: 'for a friend' }), 404);
    await expectStatus(api('GET', editsPath(colleague.userId), { headers: bearer(staff) }), 404);
  });

  it('an edit asked by the person is pending, blocks approval, and counts once a manager approves it', async () => {
    const { staff, manager } = site;
    const body = { kind: 'replace', shiftId: rawShiftId, clockIn: at('09:00'), clockOut: at('17:30'), breaks: [{ start: at('12:00'), end: at('12:30') }], reason: 'The tablet was down: in at 9, out at 17:30' };
    const key = uniqueId('edit');
    const asked = await expectStatus(api('POST', editsPath(staff.userId), { body, headers: { ...bearer(staff), 'idempotency-key': key } }), 201);
    expect(asked.json).toMatchObject({ status: 'pending', requestedBy: staff.userId, kind: 'replace', shiftId: rawShiftId, dates: [today] });
    editId = asked.json.editId;
    // A retried request is the same edit, not a second one.
    const retried = await expectStatus(api('POST', editsPath(staff.userId), { body, headers: { ...bearer(staff), 'idempotency-key': key } }), 201);
    expect(retried.json.editId).toBe(editId);
    expect((await api('GET', editsPath(staff.userId), { headers: bearer(staff) })).json.edits).toHaveLength(1);

    const pending = await expectStatus(api('GET', timesheetPath(staff.userId), { headers: bearer(manager) }), 200);
    expect(pending.json.view.exceptions).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'pending-edit', editId })]));
    const refused = await expectStatus(api('POST', `${timesheetPath(staff.userId)}/approve`, { headers: bearer(manager) }), 409);
    expect(refused.json.error.message).toMatch(/punch edit/);

    await expectStatus(api('POST', `${editsPath(staff.userId)}/${editId}/approve`, { body: {}, headers: bearer(staff) }), 403);
    const approved = await expectStatus(api('POST', `${editsPath(staff.userId)}/${editId}/approve`, { body: {}, headers: bearer(manager) }), 200);
    expect(approved.json).toMatchObject({ status: 'approved', decidedBy: manager.userId });
    await expectStatus(api('POST', `${editsPath(staff.userId)}/${editId}/decline`, { body: {}, headers: bearer(manager) }), 409);

    const sheet = await expectStatus(api('GET', timesheetPath(staff.userId), { headers: bearer(staff) }), 200);
    const day = sheet.json.view.days.find((d: { date: string }) => d.date === today);
    expect(day).toMatchObject({ workedMinutes: 480, breakMinutes: 30 });
    expect(day.shifts[0].source).toMatchObject({ kind: 'edit', editId, requestedBy: staff.userId, approvedBy: manager.userId, reason: body.reason });
    expect(sheet.json.payroll.totals).toEqual({ amount: 13_200, byPayCode: { US_REG: { minutes: 480, amount: 13_200 } } });
  });

  it('staff never see another person’s timesheet; their list holds their own only', async () => {
    const { staff, colleague } = site;
    await expectStatus(api('GET', timesheetPath(colleague.userId), { headers: bearer(staff) }), 404);
    const list = await expectStatus(api('GET', `/sites/${site.siteId}/timesheets?period=${periodFrom}`, { headers: bearer(staff) }), 200);
    expect(list.json.timesheets.map((t: { userId: string }) => t.userId)).toEqual([staff.userId]);
    const current = await expectStatus(api('GET', `/sites/${site.siteId}/timesheets`, { headers: bearer(site.manager) }), 200);
    expect(current.json.period.from).toBe(periodFrom);
    expect(current.json.timesheets.map((t: { userId: string }) => t.userId).sort()).toEqual([staff.userId, colleague.userId].sort());
    const notAStart = await expectStatus(api('GET', `/sites/${site.siteId}/timesheets?period=${periodContaining(DEFAULT_STAFF_SETTINGS.payPeriod, periodFrom).to}`, { headers: bearer(staff) }), 422);
    expect(notAStart.json.error.details).toMatchObject({ field: 'period' });
  });

  it('a person on the clock in the period is not approved; the approved period is locked with its input, pack and result', async () => {
    const { staff, colleague, manager, siteId } = site;
    await expectStatus(tap(siteId, colleague, colleague.userId, 'clock-in'), 201);
    const onClock = await expectStatus(api('POST', `${timesheetPath(colleague.userId)}/approve`, { headers: bearer(manager) }), 409);
    expect(onClock.json.error.message).toMatch(/clocked in/);
    await expectStatus(tap(siteId, colleague, colleague.userId, 'clock-out'), 201);

    await expectStatus(api('POST', `${timesheetPath(staff.userId)}/approve`, { headers: bearer(staff) }), 403);
    const locked = await expectStatus(api('POST', `${timesheetPath(staff.userId)}/approve`, { headers: bearer(manager) }), 201);
    expect(locked.json).toMatchObject({ status: 'locked', locked: { lockedBy: manager.userId, packDigest: expect.stringMatching(/^sha256:/) } });
    await expectStatus(api('POST', `${timesheetPath(staff.userId)}/approve`, { headers: bearer(manager) }), 409);

    const { Items } = await dynamo.send(
      new QueryCommand({ TableName: tableName('staff'), KeyConditionExpression: 'pk = :pk AND sk = :sk', ExpressionAttributeValues: { ':pk': `SITE#${siteId}#TIMESHEETS`, ':sk': `PERIOD#${periodFrom}#${staff.userId}` } }),
    );
    expect(Items).toEqual([expect.objectContaining({ status: 'locked', packRef: 'us.flsa@2026.1.0', editsApproved: 1, input: expect.objectContaining({ punches: [expect.objectContaining({ id: rawShiftId, clockIn: at('09:00') })] }) })]);

    const edit = await expectStatus(requestEdit(staff, staff.userId, { kind: 'add', clockIn: at('18:00'), clockOut: at('19:00'), reason: 'stayed late' }), 409);
    expect(edit.json.error.message).toMatch(/locked/);
    await expectStatus(requestEdit(manager, staff.userId, { kind: 'void', shiftId: rawShiftId, reason: 'never came' }), 409);
  });

  it('exports the locked timesheets per pay code as CSV and lists the open ones as excluded', async () => {
    const { staff, colleague, manager } = site;
    await expectStatus(api('GET', `/sites/${site.siteId}/payroll/${periodFrom}?format=csv`, { headers: bearer(staff) }), 403);
    const csv = await expectStatus(api('GET', `/sites/${site.siteId}/payroll/${periodFrom}?format=csv`, { headers: bearer(manager) }), 200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('period_from,period_to,user_id,name,status,pay_code,minutes,hours,amount_minor,amount,pack,currency');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${periodFrom},[0-9-]+,${staff.userId},[^,]*,locked,US_REG,480,8.00,13200,132.00,us.flsa@2026.1.0,USD$`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`,${colleague.userId},[^,]*,not_locked,,,,,,,$`)));
    const json = await expectStatus(api('GET', `/sites/${site.siteId}/payroll/${periodFrom}`, { headers: bearer(manager) }), 200);
    expect(json.json).toMatchObject({ totals: { USD: 13_200 }, notLocked: [{ userId: colleague.userId, excluded: true }] });
  });

  it('gives the payslip to the person and managers only, from the locked result', async () => {
    const { staff, colleague, manager } = site;
    const slipPath = (userId: string) => `/sites/${site.siteId}/payroll/${periodFrom}/${userId}/payslip`;
    const slip = await expectStatus(api('GET', slipPath(staff.userId), { headers: bearer(staff) }), 200);
    expect(slip.json).toMatchObject({ employee: { userId: staff.userId }, currency: 'USD', locale: 'en', totals: { gross: 13_200 } });
    expect(slip.json.lines).toEqual([expect.objectContaining({ payCode: 'US_REG', minutes: 480, rate: 1650, amount: 13_200, explanation: expect.stringContaining('Straight time') })]);
    await expectStatus(api('GET', slipPath(staff.userId), { headers: bearer(manager) }), 200);
    await expectStatus(api('GET', slipPath(staff.userId), { headers: bearer(colleague) }), 404);
    await expectStatus(api('GET', slipPath(colleague.userId), { headers: bearer(manager) }), 409);
  });

  it('recomputes the locked period identically after the wage and the site’s settings changed', async () => {
    const { staff, manager, siteId } = site;
    const raise = profileBody({
      positions: [{ positionId: 'server', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1650 }, { from: periodFrom, kind: 'hourly', amount: 2500 }] }],
      expectedVersion: 1,
    });
    await expectStatus(api('PUT', profilePath(siteId, staff.userId), { body: raise, headers: bearer(manager) }), 200);
    const settings = await expectStatus(api('GET', `/sites/${siteId}/staff/settings`, { headers: bearer(manager) }), 200);
    const changed = { roundingMinutes: 15, publicHolidays: [today], workweekStartsOn: 'sun', ...(settings.json.version > 0 ? { expectedVersion: settings.json.version } : {}) };
    await expectStatus(api('PUT', `/sites/${siteId}/staff/settings`, { body: changed, headers: bearer(manager) }), settings.json.version > 0 ? 200 : 201);

    const recomputed = await expectStatus(api('POST', `${timesheetPath(staff.userId)}/recompute`, { headers: bearer(manager) }), 200);
    expect(recomputed.json).toMatchObject({ identical: true, stored: { amount: 13_200 }, recomputed: { amount: 13_200 } });
    expect(recomputed.json.recomputed.resultDigest).toBe(recomputed.json.stored.resultDigest);
    // The locked timesheet is still the approved one, not today's records.
    const sheet = await expectStatus(api('GET', timesheetPath(staff.userId), { headers: bearer(staff) }), 200);
    expect(sheet.json).toMatchObject({ status: 'locked', payroll: { totals: { amount: 13_200 } } });
    await expectStatus(api('POST', `${timesheetPath(site.colleague.userId)}/recompute`, { headers: bearer(manager) }), 409);
  });

  it('only an owner reopens a locked period, with a reason kept; it is then computed from today’s records and locked again', async () => {
    const { staff, manager } = site;
    const owner = await theOwner();
    const reopen = (by: TestUser, body: Record<string, unknown>) => api('POST', `${timesheetPath(staff.userId)}/reopen`, { body, headers: bearer(by) });
    await expectStatus(reopen(manager, { reason: 'wrong wage' }), 403);
    await expectStatus(reopen(owner, {}), 400);
    const reopened = await expectStatus(reopen(owner, { reason: 'The raise was due from the start of the period' }), 200);
    expect(reopened.json).toMatchObject({ status: 'open', reopenings: [{ reopenedBy: owner.userId, reason: 'The raise was due from the start of the period', locked: { amount: 13_200, lockedBy: manager.userId } }] });
    await expectStatus(reopen(owner, { reason: 'again' }), 409);
    await expectStatus(api('GET', `/sites/${site.siteId}/payroll/${periodFrom}/${staff.userId}/payslip`, { headers: bearer(staff) }), 409);

    // Open again, the period is computed from the records: the raise from periodFrom now applies.
    const sheet = await expectStatus(api('GET', timesheetPath(staff.userId), { headers: bearer(manager) }), 200);
    expect(sheet.json).toMatchObject({ status: 'open', payroll: { totals: { amount: 20_000 } }, reopenings: [expect.objectContaining({ reopenedBy: owner.userId })] });
    const relocked = await expectStatus(api('POST', `${timesheetPath(staff.userId)}/approve`, { headers: bearer(manager) }), 201);
    expect(relocked.json).toMatchObject({ status: 'locked', payroll: { totals: { amount: 20_000 } }, reopenings: [expect.objectContaining({ reason: 'The raise was due from the start of the period' })] });
    const recomputed = await expectStatus(api('POST', `${timesheetPath(staff.userId)}/recompute`, { headers: bearer(manager) }), 200);
    expect(recomputed.json).toMatchObject({ identical: true, recomputed: { amount: 20_000 } });
  });
});

describe('an edit approved while the period is being approved', () => {
  it('either lands in the locked pay or is refused: never approved outside it (5 rounds, reopened between)', async () => {
    const { colleague, manager } = site;
    const owner = await theOwner();
    const outcomes: string[] = [];
    // Hours of today away from the colleague's shift clocked a moment ago, so that no added shift overlaps it.
    const firstHour = Number(new Date().toLocaleTimeString('en-GB', { timeZone: ZONE, hour: '2-digit', hourCycle: 'h23' })) < 12 ? 13 : 0;
    const hour = (h: number) => `${String(firstHour + h).padStart(2, '0')}:00`;
    for (let round = 0; round < 5; round++) {
      const [start, end] = [hour(round * 2), hour(round * 2 + 1)];
      const [lock, edit] = await Promise.all([
        api('POST', `${timesheetPath(colleague.userId)}/approve`, { headers: bearer(manager) }),
        (async () => {
          const asked = await requestEdit(colleague, colleague.userId, { kind: 'add', clockIn: at(start), clockOut: at(end), reason: `round ${round}` });
          if (asked.status !== 201) return { status: asked.status, editId: undefined };
          const decided = await api('POST', `${editsPath(colleague.userId)}/${asked.json.editId}/approve`, { body: {}, headers: bearer(manager) });
          return { status: decided.status, editId: asked.json.editId as string };
        })(),
      ]);
      expect([201, 409]).toContain(lock.status);
      expect([200, 409]).toContain(edit.status);
      const sheet = await expectStatus(api('GET', timesheetPath(colleague.userId), { headers: bearer(manager) }), 200);
      if (sheet.json.status !== 'locked') await expectStatus(api('POST', `${timesheetPath(colleague.userId)}/approve`, { headers: bearer(manager) }), 201);
      const locked = await expectStatus(api('GET', timesheetPath(colleague.userId), { headers: bearer(manager) }), 200);
      const lockedShiftIds = locked.json.view.days.flatMap((day: { shifts: Array<{ shiftId: string }> }) => day.shifts.map((shift) => shift.shiftId));
      if (edit.status === 200) expect(lockedShiftIds).toContain(`edit-${edit.editId}`);
      else if (edit.editId) expect((await api('GET', `${editsPath(colleague.userId)}?status=approved`, { headers: bearer(manager) })).json.edits.map((e: { editId: string }) => e.editId)).not.toContain(edit.editId);
      outcomes.push(`lock ${lock.status}, edit ${edit.status}`);
      await expectStatus(api('POST', `${timesheetPath(colleague.userId)}/reopen`, { body: { reason: `race round ${round}` }, headers: bearer(owner) }), 200);
      // A pending edit left by a refused approval would block the next round's lock: decline it.
      const pending = (await api('GET', `${editsPath(colleague.userId)}?status=pending`, { headers: bearer(manager) })).json.edits as Array<{ editId: string }>;
      for (const left of pending) await expectStatus(api('POST', `${editsPath(colleague.userId)}/${left.editId}/decline`, { body: { note: 'race test' }, headers: bearer(manager) }), 200);
    }
    expect(outcomes).toHaveLength(5);
  });
});

describe('odd input', () => {
  it('odd periods in the query or the path are a 4xx with a JSON error, never a 5xx', async () => {
    const { siteId, staff, manager } = site;
    const probes = ODD_DATES.flatMap((date) => [
      badQuery(`?period=${date}`, `/sites/${siteId}/timesheets?period=${date}`),
      { what: `timesheet of ${date}`, method: 'GET', path: `/sites/${siteId}/timesheets/${encodeURIComponent(date)}/${staff.userId}` },
      { what: `payroll of ${date}`, method: 'GET', path: `/sites/${siteId}/payroll/${encodeURIComponent(date)}?format=csv` },
      { what: `payslip of ${date}`, method: 'GET', path: `/sites/${siteId}/payroll/${encodeURIComponent(date)}/${staff.userId}/payslip` },
      { what: `approve ${date}`, method: 'POST', path: `/sites/${siteId}/timesheets/${encodeURIComponent(date)}/${staff.userId}/approve` },
    ]);
    expect(await misanswered([...probes, badQuery('format=xml', `/sites/${siteId}/payroll/${periodFrom}?format=xml`)], bearer(manager))).toEqual([]);
    // A real date that starts no period: 422 naming it.
    const notAStart = await expectStatus(api('GET', `/sites/${siteId}/payroll/${periodContaining(DEFAULT_STAFF_SETTINGS.payPeriod, today).to}`, { headers: bearer(manager) }), 422);
    expect(notAStart.json.error.details).toMatchObject({ field: 'periodFrom' });
  });

  it('edits with extreme, malformed or missing fields are a 400 naming the field', async () => {
    const { staff } = site;
    const base = { kind: 'add', clockIn: at('06:00'), clockOut: at('07:00'), reason: 'forgot' };
    const bodies: Array<[string, Record<string, unknown>, string]> = [
      ['a far instant', { ...base, clockOut: '9999-01-01T00:00:00Z' }, 'clockOut'],
      ['an instant without offset', { ...base, clockIn: '2026-03-02T09:00:00' }, 'clockIn'],
      ['a number as instant', { ...base, clockIn: 1e300 }, 'clockIn'],
      ['a day-long shift and more', { ...base, clockOut: new Date(Date.parse(base.clockIn) + 25 * 3_600_000).toISOString() }, 'clockOut'],
      ['too many breaks', { ...base, breaks: Array.from({ length: 11 }, () => ({ start: base.clockIn, end: base.clockOut })) }, 'breaks'],
      ['a novel as reason', { ...base, reason: 'x'.repeat(501) }, 'reason'],
      ['an odd kind', { ...base, kind: 'teleport' }, 'kind'],
      ['an odd position', { ...base, positionId: 'astronaut' }, 'positionId'],
      ['an unknown field', { ...base, approved: true }, 'approved'],
    ];
    for (const [what, body, field] of bodies) {
      const res = await requestEdit(staff, staff.userId, body);
      expect({ what, status: res.status, names: JSON.stringify(res.json?.error).includes(field) }).toEqual({ what, status: 400, names: true });
    }
    const noKey = await api('POST', editsPath(staff.userId), { body: base, headers: bearer(staff) });
    expect(noKey.status).toBe(400);
    await expectStatus(api('POST', `${editsPath(staff.userId)}/no-such-edit/approve`, { body: {}, headers: bearer(site.manager) }), 404);
    await expectStatus(api('GET', `${editsPath(staff.userId)}?status=maybe`, { headers: bearer(staff) }), 400);
  });
});
