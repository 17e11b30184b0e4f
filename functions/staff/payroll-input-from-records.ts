// The payroll engine's input for one person and one pay period, built from the records, pure: the effective shifts
// (raw punches + approved edits), the published schedule, the profile (employment, wages per position), approved
// leave and the site's staff settings. Everything the engine reads is here, so the timesheet stores exactly this
// object when it locks and recomputes from it alone (timesheets.ts).
//
// Mapping decisions (docs/staff.md, "Timesheets and payroll"):
// - Contract: weeklyMinutes = weeklyHours × 60 (quarter hours, so whole minutes); dailyMinutes = weeklyMinutes ÷
//   weeklyDays rounded down (a fraction of a minute is not contracted time); workdays = the `weeklyDays` days that
//   follow the weekly rest day (rest day sun, 5 days → mon-fri), which the engine uses only for weeks no published
//   shift covers; the position entitlements (주휴) are paid at is the profile's first active one.
// - Monthly wages become the hourly rate the engine takes, rounded half-up to the minor unit (the error is at most
//   half a won or cent an hour, never systematically against one side):
//     KR 통상시급 = monthly ÷ monthly paid hours, where monthly paid hours = (weekly + 주휴) × 365 ÷ 7 ÷ 12 rounded
//       half-up to a whole hour, 주휴 = weekly ÷ 5 capped at 8 h and none under 15 h a week: 209 h at 40 h a week.
//     US: monthly × 12 ÷ 52 ÷ contracted weekly hours (the hours the salary is meant to pay, 29 CFR 778.113): ÷ 40 at
//       a 40-hour contract.
//   A salary's guarantee (the same pay for a short month) is not modelled: hours worked are paid at that rate.
// - Approved leave of kind `paid` counts as attendance for 주휴; unpaid and sick leave do not (time-off-store.ts).
// - Punches of the whole workweeks the period touches are given (the engine's weekly rules need the full week); the
//   engine pays only the workdays inside the period.
import { addDays } from '#shared/time';
import type { EffectiveShift } from './effective-shifts';
import { WEEKDAYS as ENGINE_WEEKDAYS, type PayrollInputData, type Weekday } from './payroll-input-schema';
import type { RulePack } from './payroll-pack-schema';
import type { PayPeriod } from './pay-period';
import type { ProfileRecord, Wage } from './schemas';
import { WEEKDAYS } from './schemas';
import type { StaffSettings } from './settings';
import type { ShiftRecord } from './shift-store';
import type { TimeOffRecord } from './time-off-store';

export interface PayrollRecords {
  period: PayPeriod;
  timeZone: string;
  profile: ProfileRecord;
  pack: RulePack;
  settings: StaffSettings;
  shifts: readonly EffectiveShift[];
  schedule: readonly ShiftRecord[];
  daysOff: ReadonlyArray<{ date: string; kind: TimeOffRecord['kind'] }>;
}

/** mon → monday: the engine spells weekdays in full and starts its list on Sunday. */
export function engineWeekday(day: (typeof WEEKDAYS)[number]): Weekday {
  return ENGINE_WEEKDAYS[(WEEKDAYS.indexOf(day) + 1) % 7]!;
}

/** The contracted workdays: the `weeklyDays` days after the rest day. */
export function contractWorkdays(restDay: (typeof WEEKDAYS)[number], weeklyDays: number): Weekday[] {
  const rest = WEEKDAYS.indexOf(restDay);
  return Array.from({ length: weeklyDays }, (_, i) => engineWeekday(WEEKDAYS[(rest + 1 + i) % 7]!));
}

const KR_WEEKS_PER_MONTH = { num: 365, den: 7 * 12 };
const roundHalfUp = (num: number, den: number) => Math.floor((2 * num + den) / (2 * den));

/** KR: the paid hours of a month for a contract of `weeklyHours` (209 at 40 h). */
export function krMonthlyPaidHours(weeklyHours: number): number {
  const weeklyHoliday = weeklyHours < 15 ? 0 : Math.min(8, weeklyHours / 5);
  // In quarter hours, so that the arithmetic stays in integers.
  return roundHalfUp((weeklyHours + weeklyHoliday) * 4 * KR_WEEKS_PER_MONTH.num, 4 * KR_WEEKS_PER_MONTH.den);
}

/** The hourly rate, in minor units, the engine pays for `wage` under `pack` and a contract of `weeklyHours`. */
export function hourlyRateOf(wage: Wage, pack: Pick<RulePack, 'jurisdiction'>, weeklyHours: number): number {
  if (wage.kind === 'hourly') return wage.amount;
  if (pack.jurisdiction === 'KR') return roundHalfUp(wage.amount, krMonthlyPaidHours(weeklyHours));
  // × 12 ÷ 52 ÷ hours, with hours in quarters: × 48 ÷ (52 × quarter hours).
  return roundHalfUp(wage.amount * 12 * 4, 52 * Math.round(weeklyHours * 4));
}

/** Every wage of every position as the hourly rate payroll pays for it, in the profile's order. */
export function hourlyRatesOf(profile: Pick<ProfileRecord, 'positions' | 'employment'>, pack: Pick<RulePack, 'jurisdiction'>): Array<{ positionId: string; from: string; hourlyRate: number }> {
  return profile.positions.flatMap((position) =>
    position.wages.map((wage) => ({ positionId: position.positionId, from: wage.from, hourlyRate: hourlyRateOf(wage, pack, profile.employment.weeklyHours) })),
  );
}

/** The first and last day of the workweeks that `period` touches. */
export function workweeksAround(period: PayPeriod, startsOn: (typeof WEEKDAYS)[number]): PayPeriod {
  const back = (day: string) => {
    const index = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
    return addDays(day, -((index - WEEKDAYS.indexOf(startsOn) + 7) % 7));
  };
  return { from: back(period.from), to: addDays(back(period.to), 6) };
}

export function payrollInputFromRecords(records: PayrollRecords): PayrollInputData {
  const { period, profile, pack, settings } = records;
  const { employment } = profile;
  const weeklyMinutes = Math.round(employment.weeklyHours * 60);
  const weeks = workweeksAround(period, settings.workweekStartsOn);
  const entitlementPosition = profile.positions.find((position) => position.active) ?? profile.positions[0]!;
  return {
    period: { from: period.from, to: period.to },
    timeZone: records.timeZone,
    punches: records.shifts
      .filter((shift) => shift.date >= weeks.from && shift.date <= weeks.to)
      .map((shift) => ({
        id: shift.shiftId,
        position: shift.positionId,
        clockIn: shift.clockIn,
        clockOut: shift.clockOut,
        breaks: shift.breaks.map((pause) => ({ start: pause.start, end: pause.end, paid: false })),
      })),
    schedule: records.schedule
      .filter((shift) => shift.status === 'published' && shift.userId === profile.userId)
      .map((shift) => ({ id: shift.shiftId, position: shift.positionId, start: shift.start, end: shift.end })),
    contract: {
      employment: employment.type === 'full-time' ? 'full_time' : 'part_time',
      weeklyMinutes,
      dailyMinutes: Math.floor(weeklyMinutes / employment.weeklyDays),
      workdays: contractWorkdays(employment.restDay, employment.weeklyDays),
      weeklyRestDay: engineWeekday(employment.restDay),
      position: entitlementPosition.positionId,
    },
    wages: hourlyRatesOf(profile, pack).map(({ positionId, from, hourlyRate }) => ({ position: positionId, effectiveFrom: from, hourlyRate })),
    workplace: {
      workweekStartsOn: engineWeekday(settings.workweekStartsOn),
      workdayStartsAt: settings.workdayStartsAt,
      regularHeadcount: settings.regularHeadcount.map((entry) => ({ ...entry })),
      publicHolidays: [...settings.publicHolidays],
      localMinimumWage: settings.localMinimumWage.map((entry) => ({ ...entry })),
    },
    attendance: { approvedLeaveDates: records.daysOff.filter((day) => day.kind === 'paid').map((day) => day.date) },
    policy: {
      shiftDifferentials: settings.shiftDifferentials.map((differential) => ({ ...differential, window: { ...differential.window } })),
      ...(settings.minRestMinutes > 0 ? { minRestMinutes: settings.minRestMinutes } : {}),
      tipCreditNoticeGiven: settings.tipCreditNoticeGiven,
    },
  };
}
