// Timesheets' pure parts: pay periods, raw punches + approved edits → effective shifts, punch edit validation and
// who decides, the engine input built from records (contract, monthly wages, DST), the timesheet view and its
// exceptions, the digests a locked period is checked with, and the payroll export's rows and CSV.
import { ConflictError, ForbiddenError } from '../../functions/shared/errors';
import type { Caller } from '../../functions/shared/identity';
import { addedShiftId, applyEdits, effectiveShifts, rawShifts, type EffectiveShift } from '../../functions/staff/effective-shifts';
import { computePayroll } from '../../functions/staff/payroll-engine';
import { payrollCsv, payrollRows } from '../../functions/staff/payroll-export-rows';
import { contractWorkdays, engineWeekday, hourlyRateOf, krMonthlyPaidHours, payrollInputFromRecords, workweeksAround, type PayrollRecords } from '../../functions/staff/payroll-input-from-records';
import { payrollPack } from '../../functions/staff/payroll-packs';
import { nextPeriod, periodContaining, periodStartingOn, periodsTouching, PayPeriodStartError, previousPeriod, type PayPeriodRule } from '../../functions/staff/pay-period';
import { assertMayDecide, assertNoOverlap, punchEditBodySchema, PunchEditOverlapError, type PunchEditRecord } from '../../functions/staff/punch-edit-rules';
import type { ProfileRecord, PunchRecord } from '../../functions/staff/schemas';
import { DEFAULT_STAFF_SETTINGS, type StaffSettings } from '../../functions/staff/settings';
import type { ShiftRecord } from '../../functions/staff/shift-store';
import { canonicalDigest } from '../../functions/staff/timesheet-digest';
import { roundInstant, timesheetView, whyNotApprovable, type TimesheetFacts } from '../../functions/staff/timesheet-rules';
import type { LockedTimesheet } from '../../functions/staff/timesheet-store';
import { addDays } from '../../functions/shared/time';

const weekly: PayPeriodRule = { kind: 'weekly', anchor: '2026-01-05' };
const biweekly: PayPeriodRule = { kind: 'biweekly', anchor: '2026-01-05' };
const semimonthly: PayPeriodRule = { kind: 'semimonthly', anchor: '2026-01-05' };
const monthly: PayPeriodRule = { kind: 'monthly', anchor: '2026-01-05' };

describe('pay periods', () => {
  it('finds the period holding a date, before and after the anchor', () => {
    expect(periodContaining(weekly, '2026-03-04')).toEqual({ from: '2026-03-02', to: '2026-03-08' });
    expect(periodContaining(weekly, '2025-12-31')).toEqual({ from: '2025-12-29', to: '2026-01-04' });
    expect(periodContaining(biweekly, '2026-01-18')).toEqual({ from: '2026-01-05', to: '2026-01-18' });
    expect(periodContaining(biweekly, '2026-01-19')).toEqual({ from: '2026-01-19', to: '2026-02-01' });
    expect(periodContaining(biweekly, '2026-01-04')).toEqual({ from: '2025-12-22', to: '2026-01-04' });
    expect(periodContaining(semimonthly, '2026-02-15')).toEqual({ from: '2026-02-01', to: '2026-02-15' });
    expect(periodContaining(semimonthly, '2026-02-16')).toEqual({ from: '2026-02-16', to: '2026-02-28' });
    expect(periodContaining(semimonthly, '2028-02-20')).toEqual({ from: '2028-02-16', to: '2028-02-29' });
    expect(periodContaining(monthly, '2026-12-31')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('steps to the next and previous period across months and years', () => {
    expect(nextPeriod(monthly, { from: '2026-12-01', to: '2026-12-31' })).toEqual({ from: '2027-01-01', to: '2027-01-31' });
    expect(previousPeriod(semimonthly, { from: '2026-03-01', to: '2026-03-15' })).toEqual({ from: '2026-02-16', to: '2026-02-28' });
    expect(nextPeriod(biweekly, { from: '2026-12-21', to: '2027-01-03' })).toEqual({ from: '2027-01-04', to: '2027-01-17' });
  });

  it('tiles every day exactly once, for every kind', () => {
    for (const rule of [weekly, biweekly, semimonthly, monthly]) {
      let period = periodContaining(rule, '2025-11-20');
      for (let date = '2025-11-20'; date <= '2027-02-10'; date = addDays(date, 1)) {
        if (date > period.to) {
          const next = nextPeriod(rule, period);
          expect(next.from).toBe(addDays(period.to, 1));
          expect(previousPeriod(rule, next)).toEqual(period);
          period = next;
        }
        expect(periodContaining(rule, date)).toEqual(period);
      }
    }
  });

  it('refuses a day that starts no period with a 422 naming the field and the period it lies in', () => {
    expect(periodStartingOn(semimonthly, '2026-02-16')).toEqual({ from: '2026-02-16', to: '2026-02-28' });
    let error: unknown;
    try {
      periodStartingOn(biweekly, '2026-01-12', 'period');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PayPeriodStartError);
    expect(error).toMatchObject({ statusCode: 422, details: { field: 'period', periodContaining: { from: '2026-01-05', to: '2026-01-18' } } });
    expect(periodsTouching(monthly, ['2026-02-03', '2026-01-31', '2026-02-28'])).toEqual([
      { from: '2026-01-01', to: '2026-01-31' },
      { from: '2026-02-01', to: '2026-02-28' },
    ]);
  });
});

const SEOUL = 'Asia/Seoul';
let seq = 0;
function punch(shiftId: string, kind: PunchRecord['kind'], at: string, extra: Record<string, unknown> = {}): PunchRecord {
  return { siteId: 's', userId: 'u', shiftId, seq: ++seq, kind, at, localDate: at.slice(0, 10), positionId: 'server', by: 'u', ...extra };
}

function edit(overrides: Partial<PunchEditRecord>): PunchEditRecord {
  return {
    siteId: 's',
    userId: 'u',
    editId: 'e1',
    kind: 'replace',
    breaks: [],
    positionId: 'server',
    reason: 'forgot to clock out',
    dates: ['2026-03-02'],
    status: 'approved',
    requestedBy: 'u',
    requestedAt: '2026-03-03T00:00:00.000Z',
    decidedBy: 'm',
    decidedAt: '2026-03-03T01:00:00.000Z',
    version: 2,
    ...overrides,
  };
}

describe('effective shifts', () => {
  // Seoul is UTC+9: 14:30Z is 23:30 local, the shift is dated by its clock-in's local day.
  const night = [
    punch('a', 'clock-in', '2026-03-02T14:30:00.000Z', { unscheduled: true }),
    punch('a', 'break-start', '2026-03-02T17:00:00.000Z'),
    punch('a', 'break-end', '2026-03-02T17:30:00.000Z', { closedBy: 'clock-out' }),
    punch('a', 'clock-out', '2026-03-02T17:30:00.000Z', { closedBy: 'auto-close' }),
  ];

  it('pairs raw punches into shifts with breaks and flags, dated by the local clock-in day; open shifts apart', () => {
    const { shifts, open } = rawShifts([...night, punch('b', 'clock-in', '2026-03-03T23:00:00.000Z'), punch('c', 'clock-out', '2026-03-02T01:00:00.000Z')], SEOUL);
    expect(shifts).toEqual([
      {
        shiftId: 'a',
        positionId: 'server',
        clockIn: '2026-03-02T14:30:00.000Z',
        clockOut: '2026-03-02T17:30:00.000Z',
        breaks: [{ start: '2026-03-02T17:00:00.000Z', end: '2026-03-02T17:30:00.000Z' }],
        date: '2026-03-02',
        flags: { autoClosed: true, unscheduled: true },
        source: { kind: 'raw' },
      },
    ]);
    // `c` lost its clock-in to the range read: it belongs to the period before.
    expect(open).toEqual([{ shiftId: 'b', positionId: 'server', clockIn: '2026-03-03T23:00:00.000Z', date: '2026-03-04' }]);
  });

  it('applies approved edits only, in approval order, each saying who and why; raw punches stay', () => {
    const raw = rawShifts(night, SEOUL).shifts;
    const replace = edit({ editId: 'e1', shiftId: 'a', clockIn: '2026-03-02T14:00:00.000Z', clockOut: '2026-03-02T18:00:00.000Z' });
    const later = edit({ editId: 'e0', shiftId: 'a', clockIn: '2026-03-02T14:15:00.000Z', clockOut: '2026-03-02T18:00:00.000Z', decidedAt: '2026-03-04T00:00:00.000Z' });
    const pending = edit({ editId: 'e2', kind: 'void', shiftId: 'a', status: 'pending' });
    const declined = edit({ editId: 'e3', kind: 'void', shiftId: 'a', status: 'declined' });
    const [shift] = applyEdits(raw, [later, replace, pending, declined], SEOUL);
    expect(shift).toMatchObject({ shiftId: 'a', clockIn: '2026-03-02T14:15:00.000Z', flags: { autoClosed: true }, source: { kind: 'edit', editId: 'e0', approvedBy: 'm', reason: 'forgot to clock out', replaced: 'a' } });
    expect(raw[0]!.clockIn).toBe('2026-03-02T14:30:00.000Z');

    const add = edit({ editId: 'e4', kind: 'add', clockIn: '2026-03-05T00:00:00.000Z', clockOut: '2026-03-05T04:00:00.000Z', positionId: 'host' });
    const voidAdded = edit({ editId: 'e5', kind: 'void', shiftId: addedShiftId('e4'), decidedAt: '2026-03-05T00:00:00.000Z' });
    expect(effectiveShifts(night, [add], SEOUL).shifts.map((s) => [s.shiftId, s.date, s.positionId])).toEqual([
      ['a', '2026-03-02', 'server'],
      ['edit-e4', '2026-03-05', 'host'],
    ]);
    expect(effectiveShifts(night, [add, voidAdded, edit({ editId: 'e6', kind: 'void', shiftId: 'a' })], SEOUL).shifts).toEqual([]);
  });
});

describe('punch edit requests', () => {
  const issues = (body: Record<string, unknown>) => {
    const result = punchEditBodySchema.safeParse(body);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  };
  const base = { kind: 'replace', shiftId: 'a', clockIn: '2026-03-02T09:00:00+01:00', clockOut: '2026-03-02T17:00:00+01:00', reason: 'tablet down' };

  it('names the offending field of backwards, overlong or overlapping times and misplaced ids', () => {
    expect(issues(base)).toEqual([]);
    expect(punchEditBodySchema.parse(base)).toMatchObject({ clockIn: '2026-03-02T08:00:00.000Z', clockOut: '2026-03-02T16:00:00.000Z', breaks: [] });
    expect(issues({ ...base, clockOut: '2026-03-02T08:00:00+01:00' })).toEqual(['clockOut']);
    expect(issues({ ...base, clockOut: '2026-03-03T10:00:00+01:00' })).toEqual(['clockOut']);
    expect(issues({ ...base, breaks: [{ start: '2026-03-02T12:00:00+01:00', end: '2026-03-02T11:00:00+01:00' }] })).toEqual(['breaks.0.end']);
    expect(issues({ ...base, breaks: [{ start: '2026-03-02T08:00:00+01:00', end: '2026-03-02T09:30:00+01:00' }] })).toEqual(['breaks.0']);
    const overlapping = [
      { start: '2026-03-02T12:00:00+01:00', end: '2026-03-02T12:30:00+01:00' },
      { start: '2026-03-02T12:15:00+01:00', end: '2026-03-02T12:45:00+01:00' },
    ];
    expect(issues({ ...base, breaks: overlapping })).toEqual(['breaks.1.start']);
    expect(issues({ ...base, shiftId: undefined })).toEqual(['shiftId']);
    expect(issues({ ...base, kind: 'add' })).toEqual(['shiftId']);
    expect(issues({ kind: 'void', shiftId: 'a', clockIn: base.clockIn, reason: 'mistake' })).toEqual(['clockIn']);
    expect(issues({ kind: 'add', clockIn: base.clockIn, reason: 'forgot' })).toEqual(['clockOut']);
    expect(issues({ ...base, clockIn: '1970-01-01T00:00:00Z' })).toContain('clockIn');
    expect(issues({ ...base, reason: ' ' })).toEqual(['reason']);
  });

  it('refuses an edit overlapping another shift of the person (edges may touch), never the shift it replaces', () => {
    const other: EffectiveShift = { shiftId: 'b', positionId: 'server', clockIn: '2026-03-02T17:00:00.000Z', clockOut: '2026-03-02T20:00:00.000Z', breaks: [], date: '2026-03-02', flags: {}, source: { kind: 'raw' } };
    const replacing = { kind: 'replace' as const, shiftId: 'a', clockIn: '2026-03-02T08:00:00.000Z', clockOut: '2026-03-02T17:00:00.000Z' };
    expect(() => assertNoOverlap(replacing, [other])).not.toThrow();
    expect(() => assertNoOverlap({ ...replacing, shiftId: 'b' }, [other])).not.toThrow();
    expect(() => assertNoOverlap({ ...replacing, clockOut: '2026-03-02T17:01:00.000Z' }, [other])).toThrow(PunchEditOverlapError);
    expect(() => assertNoOverlap({ kind: 'add', clockIn: '2026-03-02T18:00:00.000Z', clockOut: '2026-03-02T19:00:00.000Z' }, [other])).toThrow(/clockIn: the shift overlaps shift b/);
  });

  it('lets managers decide others’ edits, owners any, nobody their own as a manager, and only once', () => {
    const caller = (role: Caller['role'], userId: string): Caller => ({ role, userId, sites: ['s'], sessionId: 'x', issuedAt: 0 });
    const asked = edit({ status: 'pending', userId: 'u' });
    expect(() => assertMayDecide(caller('manager', 'm'), asked)).not.toThrow();
    expect(() => assertMayDecide(caller('owner', 'u'), asked)).not.toThrow();
    expect(() => assertMayDecide(caller('manager', 'u'), asked)).toThrow(ForbiddenError);
    expect(() => assertMayDecide(caller('staff', 'v'), asked)).toThrow(ForbiddenError);
    expect(() => assertMayDecide(caller('manager', 'm'), { ...asked, status: 'approved' })).toThrow(ConflictError);
  });
});

const LA = 'America/Los_Angeles';
/** A Korean site must say whether it has five or more regular workers (the engine refuses to guess). */
const KR_SITE: StaffSettings = { ...DEFAULT_STAFF_SETTINGS, regularHeadcount: [{ from: '2026-01-01', status: 'ge5' }] };
function profile(overrides: Partial<ProfileRecord> = {}): ProfileRecord {
  return {
    siteId: 's',
    userId: 'u',
    name: 'Kim',
    positions: [{ positionId: 'server', active: true, wages: [{ from: '2026-01-01', kind: 'hourly', amount: 2000 }] }],
    employment: { type: 'full-time', weeklyHours: 40, weeklyDays: 5, restDay: 'sun' },
    payPack: 'us.flsa@2026.1.0',
    version: 1,
    createdAt: '',
    updatedAt: '',
    updatedBy: 'm',
    ...overrides,
  };
}

function records(overrides: Partial<PayrollRecords> = {}): PayrollRecords {
  return {
    period: { from: '2026-03-02', to: '2026-03-15' },
    timeZone: LA,
    profile: profile(),
    pack: payrollPack('us.flsa@2026.1.0'),
    settings: DEFAULT_STAFF_SETTINGS,
    shifts: [],
    schedule: [],
    daysOff: [],
    ...overrides,
  };
}

const shiftAt = (shiftId: string, clockIn: string, clockOut: string, breaks: EffectiveShift['breaks'] = []): EffectiveShift => ({
  shiftId,
  positionId: 'server',
  clockIn,
  clockOut,
  breaks,
  date: clockIn.slice(0, 10),
  flags: {},
  source: { kind: 'raw' },
});

describe('the engine input from records', () => {
  it('maps the contract: minutes, a daily share, the workdays after the rest day, the rest day', () => {
    expect(engineWeekday('mon')).toBe('monday');
    expect(engineWeekday('sun')).toBe('sunday');
    expect(contractWorkdays('sun', 5)).toEqual(['monday', 'tuesday', 'wednesday', 'thursday', 'friday']);
    expect(contractWorkdays('mon', 4)).toEqual(['tuesday', 'wednesday', 'thursday', 'friday']);
    const input = payrollInputFromRecords(records({ profile: profile({ employment: { type: 'part-time', weeklyHours: 22.5, weeklyDays: 4, restDay: 'wed' } }) }));
    expect(input.contract).toEqual({ employment: 'part_time', weeklyMinutes: 1350, dailyMinutes: 337, workdays: ['thursday', 'friday', 'saturday', 'sunday'], weeklyRestDay: 'wednesday', position: 'server' });
  });

  it('turns monthly wages into hourly rates: KR ÷ 209 h at 40 h a week, US × 12 ÷ 52 ÷ contracted hours', () => {
    expect(krMonthlyPaidHours(40)).toBe(209);
    expect(krMonthlyPaidHours(20)).toBe(104); // (20 + 4) × 365 ÷ 84 = 104.29
    expect(krMonthlyPaidHours(14)).toBe(61); // no 주휴 under 15 h: 14 × 365 ÷ 84 = 60.83
    const kr = payrollPack('kr.lsa@2026.1.0');
    expect(hourlyRateOf({ from: '2026-01-01', kind: 'monthly', amount: 2_156_880 }, kr, 40)).toBe(10_320);
    expect(hourlyRateOf({ from: '2026-01-01', kind: 'monthly', amount: 2_500_000 }, kr, 40)).toBe(11_962); // 11,961.72
    const us = payrollPack('us.flsa@2026.1.0');
    expect(hourlyRateOf({ from: '2026-01-01', kind: 'monthly', amount: 400_000 }, us, 40)).toBe(2308); // 2,307.69
    expect(hourlyRateOf({ from: '2026-01-01', kind: 'monthly', amount: 400_000 }, us, 37.5)).toBe(2462); // 2,461.54
    expect(hourlyRateOf({ from: '2026-01-01', kind: 'hourly', amount: 1650 }, us, 40)).toBe(1650);
  });

  it('pays a KR monthly wage through the engine at its 통상시급, and a raise from its date', () => {
    const kr = payrollPack('kr.lsa@2026.1.0');
    const monthlyProfile = profile({
      payPack: 'kr.lsa@2026.1.0',
      positions: [{ positionId: 'line-cook', active: true, wages: [{ from: '2026-01-01', kind: 'monthly', amount: 2_156_880 }, { from: '2026-03-04', kind: 'monthly', amount: 2_508_000 }] }],
    });
    const input = payrollInputFromRecords(
      records({
        timeZone: SEOUL,
        pack: kr,
        profile: monthlyProfile,
        settings: KR_SITE,
        period: { from: '2026-03-01', to: '2026-03-31' },
        shifts: [shiftAt('d1', '2026-03-03T00:00:00.000Z', '2026-03-03T05:00:00.000Z'), shiftAt('d2', '2026-03-04T00:00:00.000Z', '2026-03-04T05:00:00.000Z')].map((s) => ({ ...s, positionId: 'line-cook' })),
      }),
    );
    expect(input.wages).toEqual([
      { position: 'line-cook', effectiveFrom: '2026-01-01', hourlyRate: 10_320 },
      { position: 'line-cook', effectiveFrom: '2026-03-04', hourlyRate: 12_000 },
    ]);
    const result = computePayroll(kr, input);
    const base = result.lines.filter((line) => line.payCode === result.lines[0]!.payCode);
    expect(base.map((line) => [line.rate, line.minutes])).toEqual([
      [10_320, 300],
      [12_000, 300],
    ]);
  });

  it('gives the whole workweeks around the period, approved paid leave as attendance and the site’s facts', () => {
    const settings: StaffSettings = { ...DEFAULT_STAFF_SETTINGS, minRestMinutes: 0, publicHolidays: ['2026-03-10'], workweekStartsOn: 'sun' };
    expect(workweeksAround({ from: '2026-03-02', to: '2026-03-15' }, 'sun')).toEqual({ from: '2026-03-01', to: '2026-03-21' });
    const input = payrollInputFromRecords(
      records({
        settings,
        shifts: [shiftAt('before', '2026-02-28T17:00:00.000Z', '2026-02-28T20:00:00.000Z'), shiftAt('in', '2026-03-01T17:00:00.000Z', '2026-03-01T20:00:00.000Z'), shiftAt('after', '2026-03-22T17:00:00.000Z', '2026-03-22T20:00:00.000Z')],
        schedule: [
          { siteId: 's', shiftId: 'p', date: '2026-03-03', start: '2026-03-03T17:00:00.000Z', end: '2026-03-04T01:00:00.000Z', positionId: 'server', userId: 'u', status: 'published', breakMinutes: 30, flags: [], version: 1, createdAt: '', updatedAt: '', updatedBy: '' },
          { siteId: 's', shiftId: 'q', date: '2026-03-03', start: '2026-03-03T17:00:00.000Z', end: '2026-03-04T01:00:00.000Z', positionId: 'server', userId: 'u', status: 'draft', breakMinutes: 30, flags: [], version: 1, createdAt: '', updatedAt: '', updatedBy: '' },
        ],
        daysOff: [
          { date: '2026-03-05', kind: 'paid' },
          { date: '2026-03-06', kind: 'unpaid' },
        ],
      }),
    );
    expect(input.punches!.map((p) => p.id)).toEqual(['in']);
    expect(input.schedule!.map((s) => s.id)).toEqual(['p']);
    expect(input.attendance).toEqual({ approvedLeaveDates: ['2026-03-05'] });
    expect(input.workplace).toMatchObject({ workweekStartsOn: 'sunday', publicHolidays: ['2026-03-10'] });
    expect(input.policy).toEqual({ shiftDifferentials: [], tipCreditNoticeGiven: false });
  });

  it('pays a night across the spring-forward hour one hour short, in the timesheet and in payroll', () => {
    // Los Angeles springs forward on 2026-03-08 at 02:00: 22:00 PST → 06:00 PDT is 7 hours.
    const raw = [punch('n', 'clock-in', '2026-03-08T06:00:00.000Z'), punch('n', 'clock-out', '2026-03-08T13:00:00.000Z')];
    const { shifts } = effectiveShifts(raw, [], LA);
    expect(shifts[0]!.date).toBe('2026-03-07');
    const view = timesheetView(facts({ shifts, timeZone: LA, period: { from: '2026-03-02', to: '2026-03-15' } }));
    expect(view.days).toEqual([expect.objectContaining({ date: '2026-03-07', workedMinutes: 420 })]);
    const result = computePayroll(payrollPack('us.flsa@2026.1.0'), payrollInputFromRecords(records({ shifts })));
    expect(result.totals.byPayCode.US_REG).toEqual({ minutes: 420, amount: 14_000 });
  });
});

function facts(overrides: Partial<TimesheetFacts> = {}): TimesheetFacts {
  return {
    period: { from: '2026-03-02', to: '2026-03-15' },
    timeZone: 'UTC',
    roundingMinutes: 0,
    shifts: [],
    open: [],
    schedule: [],
    pendingEdits: [],
    daysOff: [],
    findings: [],
    now: Date.parse('2026-03-20T00:00:00Z'),
    ...overrides,
  };
}

const planned = (shiftId: string, date: string, start: string, end: string, status: ShiftRecord['status'] = 'published'): ShiftRecord => ({
  siteId: 's',
  shiftId,
  date,
  start,
  end,
  positionId: 'server',
  userId: 'u',
  status,
  breakMinutes: 0,
  flags: [],
  version: 1,
  createdAt: '',
  updatedAt: '',
  updatedBy: '',
});

describe('the timesheet view', () => {
  it('groups hours and breaks by day and rounds a view of them only when the site rounds', () => {
    const shifts = [shiftAt('a', '2026-03-03T09:07:00.000Z', '2026-03-03T17:23:00.000Z', [{ start: '2026-03-03T12:00:00.000Z', end: '2026-03-03T12:30:00.000Z' }])];
    const plain = timesheetView(facts({ shifts }));
    expect(plain.days).toEqual([expect.objectContaining({ date: '2026-03-03', workedMinutes: 466, breakMinutes: 30 })]);
    expect(plain.days[0]!.shifts[0]!.rounded).toBeUndefined();
    const rounded = timesheetView(facts({ shifts, roundingMinutes: 15 }));
    expect(rounded.days[0]!.shifts[0]!.rounded).toEqual({ clockIn: '2026-03-03T09:00:00.000Z', clockOut: '2026-03-03T17:30:00.000Z', workedMinutes: 480 });
    expect(rounded.totals).toEqual({ workedMinutes: 466, breakMinutes: 30, roundedWorkedMinutes: 480, shifts: 1 });
    expect(roundInstant('2026-03-03T09:07:30.000Z', 15)).toBe('2026-03-03T09:15:00.000Z');
    expect(roundInstant('2026-03-03T09:02:59.000Z', 6)).toBe('2026-03-03T09:00:00.000Z');
    expect(roundInstant('2026-03-03T09:03:00.000Z', 6)).toBe('2026-03-03T09:06:00.000Z');
  });

  it('flags late, no-show, missed break, auto-closed, unscheduled, pending edits and open shifts', () => {
    const schedule = [
      planned('late', '2026-03-03', '2026-03-03T09:00:00.000Z', '2026-03-03T17:00:00.000Z'),
      planned('ontime', '2026-03-04', '2026-03-04T09:00:00.000Z', '2026-03-04T17:00:00.000Z'),
      planned('absent', '2026-03-05', '2026-03-05T09:00:00.000Z', '2026-03-05T17:00:00.000Z'),
      planned('leave', '2026-03-06', '2026-03-06T09:00:00.000Z', '2026-03-06T17:00:00.000Z'),
      planned('draft', '2026-03-07', '2026-03-07T09:00:00.000Z', '2026-03-07T17:00:00.000Z', 'draft'),
      planned('future', '2026-03-14', '2026-03-14T09:00:00.000Z', '2026-03-14T17:00:00.000Z'),
    ];
    const view = timesheetView(
      facts({
        now: Date.parse('2026-03-10T00:00:00Z'),
        schedule,
        daysOff: [{ date: '2026-03-06' }],
        shifts: [
          shiftAt('s1', '2026-03-03T09:07:00.000Z', '2026-03-03T17:00:00.000Z'),
          shiftAt('s2', '2026-03-04T09:05:00.000Z', '2026-03-04T17:00:00.000Z'),
          { ...shiftAt('s3', '2026-03-08T09:00:00.000Z', '2026-03-08T17:00:00.000Z'), flags: { autoClosed: true, unscheduled: true } },
        ],
        findings: [
          { ruleId: 'ca.pay.meal_premium', severity: 'violation', date: '2026-03-04', measure: 'meal_periods', limit: 0, actual: 1, legalRefs: [], explanation: 'no meal' },
          { ruleId: 'kr.check.weekly_52h', severity: 'violation', date: '2026-03-02', measure: 'minutes_per_week', limit: 3120, actual: 3200, legalRefs: [], explanation: 'cap' },
        ],
        pendingEdits: [edit({ editId: 'p1', status: 'pending', dates: ['2026-03-09'] }), edit({ editId: 'p2', status: 'pending', dates: ['2026-03-30'] })],
        open: [{ shiftId: 'o', positionId: 'server', clockIn: '2026-03-09T22:00:00.000Z', date: '2026-03-09' }],
      }),
    );
    expect(view.exceptions.map((e) => [e.kind, e.date])).toEqual([
      ['late', '2026-03-03'],
      ['missed-break', '2026-03-04'],
      ['no-show', '2026-03-05'],
      ['auto-closed', '2026-03-08'],
      ['unscheduled', '2026-03-08'],
      ['open-shift', '2026-03-09'],
      ['pending-edit', '2026-03-09'],
    ]);
    expect(view.exceptions[0]).toMatchObject({ kind: 'late', minutesLate: 7, shiftId: 's1', scheduledShiftId: 'late' });
    expect(whyNotApprovable(view)).toMatch(/1 punch edit/);
    expect(whyNotApprovable(timesheetView(facts({ open: [{ shiftId: 'o', positionId: 'server', clockIn: '2026-03-09T22:00:00.000Z', date: '2026-03-09' }] })))).toMatch(/clocked in/);
    expect(whyNotApprovable(timesheetView(facts()))).toBeUndefined();
  });
});

describe('locking digests and the export', () => {
  it('digests the same value the same whatever the key order the table gives back', () => {
    const input = payrollInputFromRecords(records({ shifts: [shiftAt('a', '2026-03-03T17:00:00.000Z', '2026-03-04T01:00:00.000Z')] }));
    const result = computePayroll(payrollPack('us.flsa@2026.1.0'), input);
    const shuffle = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(shuffle) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, shuffle(v)])) : value;
    const stored = shuffle(JSON.parse(JSON.stringify(input))) as typeof input;
    expect(canonicalDigest(computePayroll(payrollPack('us.flsa@2026.1.0'), stored))).toBe(canonicalDigest(result));
    expect(canonicalDigest(stored)).toBe(canonicalDigest(input));
    expect(canonicalDigest({ ...input, timeZone: 'UTC' })).not.toBe(canonicalDigest(input));
  });

  it('writes one row per person per pay code of locked timesheets, open ones as not locked, formula-safe', () => {
    const krProfile = profile({ positions: [{ positionId: 'server', active: true, wages: [{ from: '2026-01-01', kind: 'hourly', amount: 12_000 }] }] });
    const krRecords = records({ timeZone: SEOUL, pack: payrollPack('kr.lsa@2026.1.0'), settings: KR_SITE, profile: krProfile, shifts: [shiftAt('a', '2026-03-03T00:00:00.000Z', '2026-03-03T04:00:00.000Z')] });
    const result = computePayroll(payrollPack('kr.lsa@2026.1.0'), payrollInputFromRecords(krRecords));
    const locked = { userId: 'u', periodFrom: '2026-03-02', periodTo: '2026-03-15', status: 'locked', result, packRef: 'kr.lsa@2026.1.0' } as LockedTimesheet;
    const rows = payrollRows([profile({ name: '=cmd|calc' }), profile({ userId: 'v', name: 'Lee, "J"' })], [locked]);
    expect(rows).toEqual([
      { userId: 'u', name: '=cmd|calc', status: 'locked', payCode: expect.any(String), minutes: 240, amount: 48_000, currency: 'KRW', packRef: 'kr.lsa@2026.1.0' },
      { userId: 'v', name: 'Lee, "J"', status: 'not_locked' },
    ]);
    const csv = payrollCsv({ from: '2026-03-02', to: '2026-03-15' }, rows).split('\r\n');
    expect(csv[1]).toBe(`2026-03-02,2026-03-15,u,'=cmd|calc,locked,${rows[0]!.payCode},240,4.00,48000,48000,kr.lsa@2026.1.0,KRW`);
    expect(csv[2]).toBe('2026-03-02,2026-03-15,v,"Lee, ""J""",not_locked,,,,,,,');
  });
});
