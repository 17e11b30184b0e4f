// A timesheet's view, pure: one person's shifts of a pay period grouped by the site-local day they started, their
// hours and breaks, the rounded view when the site rounds, and the exceptions a manager reviews before approving:
//   missed-break   the pack's break rules found a workday short of its break (engine findings)
//   late           clocked in more than LATE_GRACE_MINUTES after a published shift's start
//   no-show        a published shift, over, with no worked shift overlapping it and no approved leave that day
//   auto-closed    the clock-out was written by the auto-close job (a forgotten clock-out)
//   unscheduled    clocked in without a published shift
//   pending-edit   a punch edit of the period waits for a manager
//   open-shift     the person is still clocked in on a shift of the period (not in the hours until it closes)
// Rounding is a view only: the punches and payroll keep the minute (docs/staff.md).
import type { EffectiveShift, OpenShift } from './effective-shifts';
import type { Finding } from './payroll-lines';
import type { PayPeriod } from './pay-period';
import type { PunchEditRecord } from './punch-edit-rules';
import type { ShiftRecord } from './shift-store';

/** Minutes after a published start a clock-in is still on time. */
export const LATE_GRACE_MINUTES = 5;
const MINUTE_MS = 60_000;
const BREAK_MEASURES = new Set(['break_minutes', 'meal_periods', 'rest_periods']);

export type TimesheetException =
  | { kind: 'missed-break'; date: string; ruleId: string; explanation: string }
  | { kind: 'late'; date: string; shiftId: string; scheduledShiftId: string; minutesLate: number }
  | { kind: 'no-show'; date: string; scheduledShiftId: string; start: string; end: string }
  | { kind: 'auto-closed' | 'unscheduled'; date: string; shiftId: string }
  | { kind: 'pending-edit'; date: string; editId: string; editKind: string; reason: string }
  | { kind: 'open-shift'; date: string; shiftId: string; clockIn: string };

export interface TimesheetShift extends EffectiveShift {
  breakMinutes: number;
  workedMinutes: number;
  /** Present when the site rounds punches: the same shift on the rounded clock. */
  rounded?: { clockIn: string; clockOut: string; workedMinutes: number };
}

export interface TimesheetDay {
  date: string;
  workedMinutes: number;
  breakMinutes: number;
  roundedWorkedMinutes?: number;
  shifts: TimesheetShift[];
}

export interface TimesheetView {
  period: PayPeriod;
  timeZone: string;
  roundingMinutes: number;
  days: TimesheetDay[];
  totals: { workedMinutes: number; breakMinutes: number; roundedWorkedMinutes?: number; shifts: number };
  exceptions: TimesheetException[];
}

export interface TimesheetFacts {
  period: PayPeriod;
  timeZone: string;
  roundingMinutes: number;
  shifts: readonly EffectiveShift[];
  open: readonly OpenShift[];
  schedule: readonly ShiftRecord[];
  pendingEdits: readonly PunchEditRecord[];
  daysOff: ReadonlyArray<{ date: string }>;
  findings: readonly Finding[];
  /** Epoch ms: a published shift not over yet is no no-show. */
  now: number;
}

const ms = (iso: string) => Date.parse(iso);
const minutesBetween = (from: number, to: number) => Math.floor((to - from) / MINUTE_MS);

/** An instant on the nearest `increment` of the clock (half up); 0 leaves it as it is. */
export function roundInstant(instant: string, increment: number): string {
  if (increment === 0) return instant;
  const step = increment * MINUTE_MS;
  return new Date(Math.floor((ms(instant) + step / 2) / step) * step).toISOString();
}

function viewOf(shift: EffectiveShift, roundingMinutes: number): TimesheetShift {
  const breakMinutes = shift.breaks.reduce((sum, pause) => sum + minutesBetween(ms(pause.start), ms(pause.end)), 0);
  const workedMinutes = Math.max(0, minutesBetween(ms(shift.clockIn), ms(shift.clockOut)) - breakMinutes);
  if (roundingMinutes === 0) return { ...shift, breakMinutes, workedMinutes };
  const clockIn = roundInstant(shift.clockIn, roundingMinutes);
  const clockOut = roundInstant(shift.clockOut, roundingMinutes);
  return { ...shift, breakMinutes, workedMinutes, rounded: { clockIn, clockOut, workedMinutes: Math.max(0, minutesBetween(ms(clockIn), ms(clockOut)) - breakMinutes) } };
}

const inPeriod = (period: PayPeriod, date: string) => date >= period.from && date <= period.to;
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

function scheduleExceptions(facts: TimesheetFacts, shifts: readonly EffectiveShift[]): TimesheetException[] {
  const exceptions: TimesheetException[] = [];
  const leave = new Set(facts.daysOff.map((day) => day.date));
  const worked = [...shifts.map((shift) => ({ shiftId: shift.shiftId, clockIn: shift.clockIn, clockOut: shift.clockOut })), ...facts.open.map((shift) => ({ ...shift, clockOut: new Date(facts.now).toISOString() }))];
  for (const planned of facts.schedule) {
    if (planned.status !== 'published' || !inPeriod(facts.period, planned.date)) continue;
    const overlapping = worked.filter((shift) => shift.clockIn < planned.end && planned.start < shift.clockOut).sort((a, b) => a.clockIn.localeCompare(b.clockIn));
    const first = overlapping[0];
    if (!first) {
      if (ms(planned.end) <= facts.now && !leave.has(planned.date)) exceptions.push({ kind: 'no-show', date: planned.date, scheduledShiftId: planned.shiftId, start: planned.start, end: planned.end });
      continue;
    }
    const minutesLate = minutesBetween(ms(planned.start), ms(first.clockIn));
    if (minutesLate > LATE_GRACE_MINUTES) exceptions.push({ kind: 'late', date: planned.date, shiftId: first.shiftId, scheduledShiftId: planned.shiftId, minutesLate });
  }
  return exceptions;
}

export function timesheetView(facts: TimesheetFacts): TimesheetView {
  const { period, roundingMinutes } = facts;
  const shifts = facts.shifts.filter((shift) => inPeriod(period, shift.date)).map((shift) => viewOf(shift, roundingMinutes));
  const byDay = new Map<string, TimesheetShift[]>();
  for (const shift of shifts) byDay.set(shift.date, [...(byDay.get(shift.date) ?? []), shift]);
  const rounded = roundingMinutes > 0;
  const days: TimesheetDay[] = [...byDay].map(([date, dayShifts]) => ({
    date,
    workedMinutes: sum(dayShifts.map((shift) => shift.workedMinutes)),
    breakMinutes: sum(dayShifts.map((shift) => shift.breakMinutes)),
    ...(rounded ? { roundedWorkedMinutes: sum(dayShifts.map((shift) => shift.rounded!.workedMinutes)) } : {}),
    shifts: dayShifts,
  }));
  const exceptions: TimesheetException[] = [
    ...facts.findings.filter((finding) => BREAK_MEASURES.has(finding.measure) && inPeriod(period, finding.date)).map((finding) => ({ kind: 'missed-break' as const, date: finding.date, ruleId: finding.ruleId, explanation: finding.explanation })),
    ...scheduleExceptions(facts, shifts),
    ...shifts.flatMap((shift): TimesheetException[] => [
      ...(shift.flags.autoClosed ? [{ kind: 'auto-closed' as const, date: shift.date, shiftId: shift.shiftId }] : []),
      ...(shift.flags.unscheduled ? [{ kind: 'unscheduled' as const, date: shift.date, shiftId: shift.shiftId }] : []),
    ]),
    ...facts.pendingEdits.filter((edit) => edit.dates.some((date) => inPeriod(period, date))).map((edit) => ({ kind: 'pending-edit' as const, date: edit.dates[0]!, editId: edit.editId, editKind: edit.kind, reason: edit.reason })),
    ...facts.open.filter((shift) => inPeriod(period, shift.date)).map((shift) => ({ kind: 'open-shift' as const, date: shift.date, shiftId: shift.shiftId, clockIn: shift.clockIn })),
  ].sort((a, b) => a.date.localeCompare(b.date) || a.kind.localeCompare(b.kind));
  return {
    period,
    timeZone: facts.timeZone,
    roundingMinutes,
    days,
    totals: {
      workedMinutes: sum(days.map((day) => day.workedMinutes)),
      breakMinutes: sum(days.map((day) => day.breakMinutes)),
      ...(rounded ? { roundedWorkedMinutes: sum(days.map((day) => day.roundedWorkedMinutes!)) } : {}),
      shifts: shifts.length,
    },
    exceptions,
  };
}

/** Why the period cannot be approved yet, or undefined: edits waiting, or the person on the clock in it. */
export function whyNotApprovable(view: TimesheetView): string | undefined {
  const pending = view.exceptions.filter((exception) => exception.kind === 'pending-edit');
  if (pending.length > 0) return `${pending.length} punch edit(s) of this period wait for a manager's decision`;
  if (view.exceptions.some((exception) => exception.kind === 'open-shift')) return 'the person is clocked in on a shift of this period: clock out first';
  return undefined;
}
