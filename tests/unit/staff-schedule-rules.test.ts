// The schedule's pure rules: where a shift lies in time (across midnight, across both DST changes), weekly
// availability windows (a day off, a window across midnight, adjacent windows), the conflicts of giving a shift to
// a person (overlap, time off, availability, rest, the pack's weekly cap) and what an override lets through, the
// labour cost of hourly and monthly wages, and the labour-share hook.
import { ConflictError, UnprocessableError } from '../../functions/shared/errors';
import { payrollPack } from '../../functions/staff/payroll-packs';
import {
  conflictsOf,
  costOf,
  flagsAllowed,
  headcountOn,
  labourShareBps,
  plannedMinutes,
  shiftInstants,
  shiftTouchesDays,
  transactionBatches,
  weekdayOf,
  weeklyCaps,
  withinAvailability,
  workweekStart,
  type PersonContext,
  type PlannedShift,
  type WeeklyAvailability,
} from '../../functions/staff/schedule-rules';
import { createShiftSchema, scheduleQuerySchema, shiftIdSchema } from '../../functions/staff/schedule-schemas';
import { timeOffBodySchema } from '../../functions/staff/time-off-schemas';
import { putAvailabilitySchema } from '../../functions/staff/availability-schemas';

const PARIS = 'Europe/Paris';
const HOUR = 3_600_000;
const KR = payrollPack('kr.lsa@2026.1.0');
const US = payrollPack('us.flsa@2026.1.0');
const fullTime = { type: 'full-time' as const, weeklyHours: 40, weeklyDays: 5, restDay: 'sun' as const };

let next = 0;
function shift(date: string, start: string, end: string, changes: Partial<PlannedShift> = {}, timeZone = PARIS): PlannedShift {
  return { shiftId: `s${++next}`, userId: 'u1', date, ...shiftInstants(date, { start, end }, timeZone), breakMinutes: 0, ...changes };
}

function person(changes: Partial<PersonContext> = {}): PersonContext {
  return { shifts: [], daysOff: new Set(), availability: {}, caps: [], minRestMinutes: 600, workweekStartsOn: 'mon', timeZone: PARIS, ...changes };
}

describe('where a shift lies in time', () => {
  it('a day shift is its wall-clock length; an end at or before the start is the next day', () => {
    const day = shiftInstants('2026-11-25', { start: '09:00', end: '17:30' }, PARIS);
    expect(new Date(day.start).toISOString()).toBe('2026-11-25T08:00:00.000Z');
    expect((day.end - day.start) / HOUR).toBe(8.5);
    const night = shiftInstants('2026-11-25', { start: '22:00', end: '06:00' }, PARIS);
    expect(new Date(night.end).toISOString()).toBe('2026-11-26T05:00:00.000Z');
    expect((night.end - night.start) / HOUR).toBe(8);
  });

  it('a night across the spring-forward hour is an hour shorter, across the fall-back hour an hour longer', () => {
    const spring = shiftInstants('2026-03-28', { start: '22:00', end: '06:00' }, PARIS);
    expect((spring.end - spring.start) / HOUR).toBe(7);
    const fall = shiftInstants('2026-10-24', { start: '22:00', end: '06:00' }, PARIS);
    expect((fall.end - fall.start) / HOUR).toBe(9);
    const newYork = shiftInstants('2026-03-07', { start: '20:00', end: '04:00' }, 'America/New_York');
    expect((newYork.end - newYork.start) / HOUR).toBe(7);
    expect(plannedMinutes({ ...spring, breakMinutes: 30 })).toBe(390);
  });

  it('weekdays and workweeks follow the site’s first day of the week', () => {
    expect(weekdayOf('2026-11-25')).toBe('wed');
    expect(workweekStart('2026-11-25', 'mon')).toBe('2026-11-23');
    expect(workweekStart('2026-11-25', 'sun')).toBe('2026-11-22');
    expect(workweekStart('2026-11-22', 'sun')).toBe('2026-11-22');
    expect(workweekStart('2026-11-25', 'thu')).toBe('2026-11-19');
  });
});

describe('weekly availability', () => {
  const within = (s: PlannedShift, availability: WeeklyAvailability) => withinAvailability(s, availability, PARIS);

  it('a day left out is available all day; an empty day is not available at all', () => {
    expect(within(shift('2026-11-25', '09:00', '17:00'), {})).toBe(true);
    expect(within(shift('2026-11-25', '09:00', '17:00'), { wed: [] })).toBe(false);
    expect(within(shift('2026-11-25', '09:00', '17:00'), { tue: [] })).toBe(true);
  });

  it('a shift must lie inside a window; adjacent windows join', () => {
    expect(within(shift('2026-11-25', '10:00', '14:00'), { wed: [{ start: '09:00', end: '15:00' }] })).toBe(true);
    expect(within(shift('2026-11-25', '08:00', '14:00'), { wed: [{ start: '09:00', end: '15:00' }] })).toBe(false);
    expect(within(shift('2026-11-25', '12:00', '16:00'), { wed: [{ start: '10:00', end: '14:00' }, { start: '14:00', end: '18:00' }] })).toBe(true);
    expect(within(shift('2026-11-25', '12:00', '16:00'), { wed: [{ start: '10:00', end: '14:00' }, { start: '14:30', end: '18:00' }] })).toBe(false);
  });

  it('a window across midnight covers a night shift, and counts on the next day too', () => {
    const friday = { fri: [{ start: '18:00', end: '02:00' }], sat: [] };
    expect(within(shift('2026-11-27', '20:00', '01:30'), friday)).toBe(true);
    expect(within(shift('2026-11-27', '20:00', '03:00'), friday)).toBe(false);
    // Saturday is unavailable, but Friday's window runs to 02:00 on Saturday.
    expect(within(shift('2026-11-28', '00:30', '01:30'), friday)).toBe(true);
    expect(within(shift('2026-11-28', '09:00', '10:00'), friday)).toBe(false);
    // A night shift into a day left out (available all day) is fine when the evening is covered to midnight.
    expect(within(shift('2026-11-25', '22:00', '06:00'), { wed: [{ start: '18:00', end: '00:00' }] })).toBe(true);
    expect(within(shift('2026-11-25', '22:00', '06:00'), { wed: [{ start: '18:00', end: '23:59' }] })).toBe(false);
  });
});

describe('conflicts of giving a shift to a person', () => {
  it('an overlap with another of their shifts names it, and no override lets it through (409)', () => {
    const other = shift('2026-11-25', '12:00', '18:00');
    const conflicts = conflictsOf(shift('2026-11-25', '17:00', '22:00'), person({ shifts: [other] }));
    expect(conflicts).toEqual([expect.objectContaining({ kind: 'overlap', shiftId: other.shiftId })]);
    expect(() => flagsAllowed(conflicts, true)).toThrow(ConflictError);
    // Back to back is no overlap (only short rest).
    expect(conflictsOf(shift('2026-11-25', '18:00', '22:00'), person({ shifts: [other] })).map((c) => c.kind)).toEqual(['short-rest']);
  });

  it('the shift itself (an edit) is never its own conflict', () => {
    const stored = shift('2026-11-25', '12:00', '18:00');
    expect(conflictsOf({ ...stored, end: stored.end + HOUR }, person({ shifts: [stored] }))).toEqual([]);
  });

  it('approved time off on either day of a night shift, or outside availability: 422, or flagged with override', () => {
    const night = shift('2026-11-25', '22:00', '06:00');
    expect(conflictsOf(night, person({ daysOff: new Set(['2026-11-26']) })).map((c) => c.kind)).toEqual(['time-off']);
    expect(conflictsOf(night, person({ daysOff: new Set(['2026-11-24']) }))).toEqual([]);
    const conflicts = conflictsOf(night, person({ daysOff: new Set(['2026-11-25']), availability: { wed: [] } }));
    expect(conflicts.map((c) => c.kind)).toEqual(['time-off', 'unavailable']);
    expect(() => flagsAllowed(conflicts, false)).toThrow(UnprocessableError);
    expect(flagsAllowed(conflicts, true).map((c) => c.kind)).toEqual(['time-off', 'unavailable']);
  });

  it('rest shorter than the site’s minimum is flagged, never refused', () => {
    const close = shift('2026-11-25', '16:00', '23:00');
    const open = shift('2026-11-26', '07:00', '12:00');
    const conflicts = conflictsOf(open, person({ shifts: [close] }));
    expect(conflicts).toEqual([expect.objectContaining({ kind: 'short-rest', shiftId: close.shiftId, message: expect.stringMatching(/480 min/) })]);
    expect(flagsAllowed(conflicts, false)).toEqual(conflicts);
    expect(conflictsOf(open, person({ shifts: [close], minRestMinutes: 480 }))).toEqual([]);
  });

  it('the Korean 52 h cap applies at 5 or more employees only, over the workweek’s planned hours; US packs have none', () => {
    expect(weeklyCaps(KR, fullTime, 'ge5')).toEqual([{ ruleId: 'kr.check.weekly_52h', maxMinutes: 3120 }]);
    expect(weeklyCaps(KR, fullTime, 'lt5')).toEqual([]);
    expect(weeklyCaps(US, fullTime, 'ge5')).toEqual([]);
    const caps = weeklyCaps(KR, fullTime, 'ge5');
    // Mon-Fri 10 h each (50 h) in the week of 2026-11-23; a Saturday 3 h more is 53 h.
    const week = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'].map((d) => shift(d, '08:00', '18:00'));
    const saturday = shift('2026-11-28', '09:00', '12:00');
    const conflicts = conflictsOf(saturday, person({ shifts: week, caps, minRestMinutes: 0 }));
    expect(conflicts).toEqual([expect.objectContaining({ kind: 'weekly-cap', ruleId: 'kr.check.weekly_52h', limitMinutes: 3120, plannedMinutes: 3180 })]);
    expect(() => flagsAllowed(conflicts, false)).toThrow(UnprocessableError);
    // Two hours is exactly 52 h: allowed. The next week's Monday does not count towards it.
    expect(conflictsOf(shift('2026-11-28', '09:00', '11:00'), person({ shifts: week, caps, minRestMinutes: 0 }))).toEqual([]);
    expect(conflictsOf(shift('2026-11-30', '09:00', '12:00'), person({ shifts: week, caps, minRestMinutes: 0 }))).toEqual([]);
  });

  it('the headcount status is the latest entry on or before the day; none recorded counts as 5 or more', () => {
    const settings = { regularHeadcount: [{ from: '2026-06-01', status: 'ge5' as const }, { from: '2026-01-01', status: 'lt5' as const }] };
    expect(headcountOn(settings, '2026-03-01')).toBe('lt5');
    expect(headcountOn(settings, '2026-06-01')).toBe('ge5');
    expect(headcountOn({ regularHeadcount: [] }, '2026-03-01')).toBe('ge5');
  });
});

describe('labour cost', () => {
  it('hourly: planned minutes × the rate, half-up', () => {
    expect(costOf(450, { from: '2026-01-01', kind: 'hourly', amount: 1650 }, fullTime, US)).toEqual({ cost: 12375, hourlyRate: 1650 });
    expect(costOf(7, { from: '2026-01-01', kind: 'hourly', amount: 1650 }, fullTime, US).cost).toBe(193); // 192.5 → 193
  });

  it('monthly: at the hourly rate payroll pays (KR monthly ÷ 209 h at 40 h a week, 주휴 included; US × 12 ÷ 52 ÷ hours)', () => {
    expect(costOf(480, { from: '2026-01-01', kind: 'monthly', amount: 2_156_880 }, fullTime, KR)).toEqual({ cost: 82_560, hourlyRate: 10_320, monthly: { amount: 2_156_880 } });
    // 20 h a week: 20 + 4 h of 주휴 × 365 ÷ 84 = 104.3 → 104 paid hours; 1,000,000 ÷ 104 = 9,615.4 → 9,615 won an hour.
    expect(costOf(60, { from: '2026-01-01', kind: 'monthly', amount: 1_000_000 }, { weeklyHours: 20 }, KR)).toMatchObject({ hourlyRate: 9_615, cost: 9_615 });
    // $4,000 a month at 40 h: × 12 ÷ 52 ÷ 40 = $23.0769 → 2,308 cents an hour.
    expect(costOf(60, { from: '2026-01-01', kind: 'monthly', amount: 400_000 }, fullTime, US)).toMatchObject({ hourlyRate: 2_308, cost: 2_308 });
  });

  it('labour % of forecast sales is null without a forecast, in basis points with one', () => {
    expect(labourShareBps(27_500, undefined)).toBeNull();
    expect(labourShareBps(27_500, 0)).toBeNull();
    expect(labourShareBps(27_500, 100_000)).toBe(2750);
  });
});

describe('shifts on days off', () => {
  it('a shift touches every site-local day it spans: a night shift from the evening before touches the first day off', () => {
    const night = { date: '2027-04-04', end: '2027-04-05T04:00:00.000Z' }; // 22:00–06:00 in Paris (CEST)
    expect(shiftTouchesDays(night, '2027-04-05', '2027-04-06', PARIS)).toBe(true);
    const evening = { date: '2027-04-04', end: '2027-04-04T21:59:00.000Z' }; // ends 23:59 the evening before
    expect(shiftTouchesDays(evening, '2027-04-05', '2027-04-06', PARIS)).toBe(false);
    // Ending at midnight exactly is the day before's.
    expect(shiftTouchesDays({ date: '2027-04-04', end: '2027-04-04T22:00:00.000Z' }, '2027-04-05', '2027-04-05', PARIS)).toBe(false);
    expect(shiftTouchesDays({ date: '2027-04-07', end: '2027-04-07T15:00:00.000Z' }, '2027-04-05', '2027-04-06', PARIS)).toBe(false);
  });
});

describe('publishing in transactions of at most 100 items', () => {
  const group = (person: string, count: number, event = true) => ({ shifts: Array.from({ length: count }, (_, i) => `${person}${i}`), ...(event ? { event: person } : {}) });
  const sizes = (batches: Array<{ shifts: string[]; events: string[] }>) => batches.map((b) => [b.shifts.length, b.events.length]);

  it('one transaction while everything fits, the weeks counted in the first', () => {
    expect(sizes(transactionBatches([group('a', 40), group('b', 40), group('open', 14, false)], 4))).toEqual([[94, 2]]);
    expect(sizes(transactionBatches([group('a', 40), group('b', 40), group('open', 15, false)], 4))).toEqual([[80, 2], [15, 0]]);
  });

  it('a person’s shifts and event stay together: a group that does not fit starts the next transaction', () => {
    const batches = transactionBatches([group('a', 40), group('b', 40), group('c', 40)], 3);
    expect(sizes(batches)).toEqual([[80, 2], [40, 1]]);
    expect(batches[1]!.events).toEqual(['c']);
    expect(batches.every((b, i) => b.shifts.length + b.events.length + (i === 0 ? 3 : 0) <= 100)).toBe(true);
  });

  it('a group larger than a transaction is split, its event with its first part', () => {
    const batches = transactionBatches([group('a', 150)], 2);
    expect(sizes(batches)).toEqual([[97, 1], [53, 0]]);
    expect(batches.flatMap((b) => b.shifts)).toHaveLength(150);
  });

  it('a person who only lost shifts is an event without shifts, kept; an empty group without an event adds nothing', () => {
    const batches = transactionBatches([group('lost', 0), group('a', 98), group('open', 0, false)], 1);
    // The week's record and 'lost''s event leave 98 items: not enough for 'a''s 98 shifts and its event.
    expect(sizes(batches)).toEqual([[0, 1], [98, 1]]);
    expect(batches.flatMap((b) => b.events)).toEqual(['lost', 'a']);
  });
});

describe('request shapes', () => {
  it('a shift: start and end differ; an unknown field, a bad time or a huge break is refused at the field', () => {
    const ok = { date: '2026-11-25', start: '22:00', end: '06:00', positionId: 'server' };
    expect(createShiftSchema.parse(ok)).toMatchObject({ breakMinutes: 0, override: false });
    const path = (body: unknown) => createShiftSchema.safeParse(body).error?.issues[0]?.path.join('.');
    expect(path({ ...ok, end: '22:00' })).toBe('end');
    expect(path({ ...ok, start: '24:00' })).toBe('start');
    expect(path({ ...ok, breakMinutes: 100000 })).toBe('breakMinutes');
    expect(path({ ...ok, date: '2026-02-30' })).toBe('date');
    expect(createShiftSchema.safeParse({ ...ok, wage: 1 }).success).toBe(false);
  });

  it('shift ids carry a real start day; ranges are bounded; time off and availability refuse backwards or odd input', () => {
    expect(shiftIdSchema.safeParse('2026-11-25-0123456789ab').success).toBe(true);
    expect(shiftIdSchema.safeParse('2026-02-30-0123456789ab').success).toBe(false);
    expect(shiftIdSchema.safeParse('../etc').success).toBe(false);
    expect(scheduleQuerySchema.safeParse({ from: '2026-11-01', to: '2026-12-02' }).success).toBe(false);
    expect(scheduleQuerySchema.safeParse({ from: '2026-11-01', to: '2026-12-01' }).success).toBe(true);
    expect(timeOffBodySchema.safeParse({ from: '2026-11-25', to: '2026-11-24', kind: 'paid' }).error?.issues[0]?.path).toEqual(['to']);
    expect(putAvailabilitySchema.safeParse({ days: { mon: [{ start: '09:00', end: '09:00' }] } }).success).toBe(false);
    expect(putAvailabilitySchema.safeParse({ days: { funday: [] } }).success).toBe(false);
    expect(putAvailabilitySchema.safeParse({ days: { fri: [{ start: '18:00', end: '02:00' }], sun: [] } }).success).toBe(true);
  });
});
