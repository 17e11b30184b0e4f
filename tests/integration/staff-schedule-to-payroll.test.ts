// One shift from the schedule to the payslip over the running stack, as a restaurant lives it: the manager schedules
// the server now and publishes the day (the server is told in their inbox), the server clocks in on time for that
// shift, takes a break and clocks out, the timesheet shows the shift linked to its schedule with nothing to review,
// the manager approves and the period locks, the CSV export and the payslip carry the locked pay, and a recompute
// after a raise is identical.
import { zonedTimeToInstant } from '../../functions/shared/time';
import { periodContaining } from '../../functions/staff/pay-period';
import { DEFAULT_STAFF_SETTINGS } from '../../functions/staff/settings';
import { bearer } from './support/identity';
import { waitForNotification } from './support/notifications';
import { expectStatus } from './support/orders';
import { directoryItem, profileBody, profilePath, putProfile, staffSite, tap, type StaffSite } from './support/staff';
import { api, uniqueId } from './support/target';

jest.setTimeout(180_000);

const ZONE = 'Europe/Paris';
let site: StaffSite;

beforeAll(async () => {
  site = await staffSite();
  await directoryItem({ pk: 'SITES', sk: `SITE#${site.siteId}` }, (item) => item.timeZone === ZONE, 'the site in staff’s directory');
  await putProfile(site.siteId, site.manager, site.staff.userId);
}, 120_000);

it('publish a shift, work it with a break, approve, lock, export, pay slip, and recompute identically after a raise', async () => {
  const { siteId, manager, staff } = site;
  // The shift starts this minute (site-local) and lasts an hour; past 23:00 it runs into tomorrow, which the schedule allows.
  const now = new Date();
  const local = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const part = (type: string) => local.find((p) => p.type === type)!.value;
  const today = `${part('year')}-${part('month')}-${part('day')}`;
  const start = `${part('hour')}:${part('minute')}`;
  const end = `${String((Number(part('hour')) + 1) % 24).padStart(2, '0')}:${part('minute')}`;
  expect(zonedTimeToInstant(today, start, ZONE)).toBeLessThanOrEqual(now.getTime());

  const shift = await expectStatus(
    api('POST', `/sites/${siteId}/schedule/shifts`, {
      body: { date: today, start, end, positionId: 'server', userId: staff.userId },
      headers: { ...bearer(manager), 'idempotency-key': uniqueId('shift') },
    }),
    201,
  );
  const shiftId = shift.json.shiftId as string;
  // A draft is the manager's: the server's roster does not show it yet.
  const before = await expectStatus(api('GET', `/sites/${siteId}/schedule?from=${today}&to=${today}`, { headers: bearer(staff) }), 200);
  expect(JSON.stringify(before.json)).not.toContain(shiftId);
  await expectStatus(api('POST', `/sites/${siteId}/schedule/publish`, { body: { from: today, to: today }, headers: bearer(manager) }), 200);
  const told = await waitForNotification(staff, (n) => n.eventType === 'staff.schedule-published' && n.siteId === siteId, 60_000, 'the schedule notification');
  expect(told.data.shifts).toEqual([expect.objectContaining({ shiftId })]);
  const roster = await expectStatus(api('GET', `/sites/${siteId}/schedule?from=${today}&to=${today}`, { headers: bearer(staff) }), 200);
  expect(JSON.stringify(roster.json)).toContain(shiftId);

  // The server works it: on time (the shift began this minute), a break, a minute's work, out.
  const clockIn = await expectStatus(tap(siteId, staff, staff.userId, 'clock-in'), 201);
  await expectStatus(tap(siteId, staff, staff.userId, 'break-start'), 201);
  await expectStatus(tap(siteId, staff, staff.userId, 'break-end'), 201);
  // A minute on the floor, so the shift has paid minutes (the clock is real time).
  await new Promise((resolve) => setTimeout(resolve, 62_000));
  await expectStatus(tap(siteId, staff, staff.userId, 'clock-out'), 201);
  const punches = await expectStatus(api('GET', `${profilePath(siteId, staff.userId)}/punches?from=${today}&to=${today}`, { headers: bearer(staff) }), 200);
  expect(punches.json.punches.map((p: { kind: string }) => p.kind)).toEqual(['clock-in', 'break-start', 'break-end', 'clock-out']);
  expect(punches.json.punches[0]).toMatchObject({ shiftId: clockIn.json.shiftId, scheduledShiftId: shiftId });
  expect(punches.json.punches[0].unscheduled).toBeUndefined();

  // The timesheet: the worked shift, nothing unscheduled, late or missing for the scheduled one.
  const periodFrom = periodContaining(DEFAULT_STAFF_SETTINGS.payPeriod, today).from;
  const timesheet = `/sites/${siteId}/timesheets/${periodFrom}/${staff.userId}`;
  const sheet = await expectStatus(api('GET', timesheet, { headers: bearer(staff) }), 200);
  expect(sheet.json).toMatchObject({ status: 'open', packRef: 'us.flsa@2026.1.0' });
  const worked = sheet.json.view.days.flatMap((day: { shifts: Array<{ shiftId: string }> }) => day.shifts);
  expect(worked).toEqual([expect.objectContaining({ shiftId: clockIn.json.shiftId, source: { kind: 'raw' } })]);
  const review = sheet.json.view.exceptions.filter((e: { kind: string; scheduledShiftId?: string; shiftId?: string }) => e.scheduledShiftId === shiftId || e.shiftId === clockIn.json.shiftId);
  expect(review.filter((e: { kind: string }) => ['unscheduled', 'late', 'no-show', 'auto-closed'].includes(e.kind))).toEqual([]);

  // Approve: the period locks with its input, pack and result.
  await expectStatus(api('POST', `${timesheet}/approve`, { headers: bearer(staff) }), 403);
  const locked = await expectStatus(api('POST', `${timesheet}/approve`, { headers: bearer(manager) }), 201);
  expect(locked.json).toMatchObject({ status: 'locked', locked: { lockedBy: manager.userId } });
  const amount = locked.json.payroll.totals.amount as number;
  const minutes = locked.json.payroll.totals.byPayCode.US_REG.minutes as number;
  expect(minutes).toBeGreaterThanOrEqual(1);
  // The seconds on the clock are paid to the minute at 16.50 an hour, rounded half up once per line.
  expect(amount).toBe(Math.round((minutes * 1650) / 60));

  // Export and payslip carry the locked pay.
  const csv = await expectStatus(api('GET', `/sites/${siteId}/payroll/${periodFrom}?format=csv`, { headers: bearer(manager) }), 200);
  expect(csv.text.split('\r\n')).toContainEqual(expect.stringMatching(new RegExp(`^${periodFrom},[0-9-]+,${staff.userId},[^,]*,locked,US_REG,${minutes},[0-9.]+,${amount},`)));
  const slip = await expectStatus(api('GET', `/sites/${siteId}/payroll/${periodFrom}/${staff.userId}/payslip`, { headers: bearer(staff) }), 200);
  expect(slip.json).toMatchObject({ employee: { userId: staff.userId }, currency: 'USD', totals: { gross: amount } });

  // A raise from the period's first day does not move the locked pay: the recompute runs on the stored input.
  const raise = profileBody({ positions: [{ positionId: 'server', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1650 }, { from: periodFrom, kind: 'hourly', amount: 2400 }] }], expectedVersion: 1 });
  await expectStatus(api('PUT', profilePath(siteId, staff.userId), { body: raise, headers: bearer(manager) }), 200);
  const recomputed = await expectStatus(api('POST', `${timesheet}/recompute`, { headers: bearer(manager) }), 200);
  expect(recomputed.json).toMatchObject({ identical: true, stored: { amount }, recomputed: { amount } });
});
