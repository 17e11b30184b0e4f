// The schedule's rules, pure: where a shift lies in time (site-local day and HH:MM → UTC instants, DST-aware), and
// what is wrong with giving it to a person. Checked when a shift is created, edited, claimed or swapped, and again
// on publish, against the person's other shifts, approved time off, weekly availability, the site's minimum rest and
// the weekly cap of the person's pay rule pack.
//
//   conflict        refused                          with `override: true` (managers)
//   overlap         409, naming the other shift      still refused: one person cannot work two shifts at once
//   time-off        422                              kept, flagged on the shift
//   unavailable     422                              kept, flagged
//   weekly-cap      422                              kept, flagged
//   short-rest      never: flagged                   flagged
import { ConflictError, UnprocessableError } from '#shared/errors';
import { mulDivHalfUp } from '#shared/money';
import { addDays, localDateOf, localDayRange, zonedTimeToInstant } from '#shared/time';
import type { RulePack } from './payroll-pack-schema';
import { hourlyRateOf } from './payroll-input-from-records';
import { selects } from './payroll-tagging';
import type { ProfileRecord, Wage } from './schemas';
import type { StaffSettings } from './settings';

const MINUTE = 60_000;
type Employment = ProfileRecord['employment'];
export const WEEKDAY_OF_UTC_DAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAY_OF_UTC_DAY)[number];

/** Site-local HH:MM; an `end` at or before `start` is on the next day (a window or shift across midnight). */
export interface LocalWindow {
  start: string;
  end: string;
}

/** Per weekday: absent = available all day; an empty list = unavailable all day; otherwise available in the windows. */
export type WeeklyAvailability = Partial<Record<Weekday, LocalWindow[]>>;

export interface PlannedShift {
  shiftId: string;
  userId?: string;
  /** The site-local day it starts. */
  date: string;
  /** Epoch ms. */
  start: number;
  end: number;
  breakMinutes: number;
}

export type ConflictKind = 'overlap' | 'time-off' | 'unavailable' | 'weekly-cap' | 'short-rest';

export interface Conflict {
  kind: ConflictKind;
  message: string;
  /** The other shift (overlap, short rest). */
  shiftId?: string;
  /** Weekly cap: the rule, its limit and the planned minutes of the workweek. */
  ruleId?: string;
  limitMinutes?: number;
  plannedMinutes?: number;
}

/** What a manager's override lets through; an overlap never. */
const OVERRIDABLE: ReadonlySet<ConflictKind> = new Set(['time-off', 'unavailable', 'weekly-cap']);

export function weekdayOf(date: string): Weekday {
  return WEEKDAY_OF_UTC_DAY[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
}

/**
 * The instants of a shift given as a local start day and wall-clock times: `end` at or before `start` ends the next
 * day. The length is real time, so a night across the spring-forward hour is an hour shorter and one across the
 * fall-back hour an hour longer. A start in the hour a spring-forward skips is the instant an hour later.
 */
export function shiftInstants(date: string, window: LocalWindow, timeZone: string): { start: number; end: number } {
  const endDate = window.end <= window.start ? addDays(date, 1) : date;
  return { start: zonedTimeToInstant(date, window.start, timeZone), end: zonedTimeToInstant(endDate, window.end, timeZone) };
}

/** The span less the planned unpaid break. */
export function plannedMinutes(shift: Pick<PlannedShift, 'start' | 'end' | 'breakMinutes'>): number {
  return Math.max(0, Math.round((shift.end - shift.start) / MINUTE) - shift.breakMinutes);
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

/** The first day of the workweek holding `date`. */
export function workweekStart(date: string, startsOn: Weekday): string {
  const back = (WEEKDAY_OF_UTC_DAY.indexOf(weekdayOf(date)) - WEEKDAY_OF_UTC_DAY.indexOf(startsOn) + 7) % 7;
  return addDays(date, -back);
}

/** The instants the person is available, as merged intervals over the local days `from`..`to`. */
export function availableIntervals(availability: WeeklyAvailability, from: string, to: string, timeZone: string): Array<{ start: number; end: number }> {
  const intervals: Array<{ start: number; end: number }> = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const windows = availability[weekdayOf(date)];
    if (windows === undefined) intervals.push(localDayRange(date, timeZone));
    else for (const window of windows) intervals.push(shiftInstants(date, window, timeZone));
  }
  intervals.sort((a, b) => a.start - b.start);
  const merged: Array<{ start: number; end: number }> = [];
  for (const interval of intervals) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** Does the availability cover the whole shift? A window of the day before that runs past midnight counts. */
export function withinAvailability(shift: Pick<PlannedShift, 'start' | 'end'>, availability: WeeklyAvailability, timeZone: string): boolean {
  const from = addDays(localDateOf(shift.start, timeZone), -1);
  const to = localDateOf(shift.end, timeZone);
  return availableIntervals(availability, from, to, timeZone).some((interval) => interval.start <= shift.start && shift.end <= interval.end);
}

/**
 * The weekly caps of the pack that apply to this person: rule id and limit. Planned minutes carry no tags, so a rule
 * counts them when its selection takes untagged minutes; one that selects tagged minutes only (the part-timer's
 * excess over contract) needs the payroll engine's tagging and is left to it.
 */
export function weeklyCaps(pack: RulePack, employment: Employment, headcount: 'ge5' | 'lt5'): Array<{ ruleId: string; maxMinutes: number }> {
  const employmentKind = employment.type === 'full-time' ? 'full_time' : 'part_time';
  return pack.rules.flatMap((rule) => {
    if (rule.kind !== 'check.weekly_cap' || !selects(rule.select, [])) return [];
    if (rule.when?.headcount && rule.when.headcount !== headcount) return [];
    if (rule.when?.employment && rule.when.employment !== employmentKind) return [];
    return [{ ruleId: rule.id, maxMinutes: rule.maxMinutes }];
  });
}

/** The site's Korean headcount status on `date`; a site that never recorded one counts as 5 or more (the caps apply). */
export function headcountOn(settings: Pick<StaffSettings, 'regularHeadcount'>, date: string): 'ge5' | 'lt5' {
  let status: 'ge5' | 'lt5' = 'ge5';
  for (const entry of [...settings.regularHeadcount].sort((a, b) => a.from.localeCompare(b.from))) if (entry.from <= date) status = entry.status;
  return status;
}

export interface PersonContext {
  /** The person's other shifts (any status) around the shift: the workweek and a day either side at least. */
  shifts: readonly PlannedShift[];
  /** Local days of approved leave. */
  daysOff: ReadonlySet<string>;
  availability: WeeklyAvailability;
  caps: ReadonlyArray<{ ruleId: string; maxMinutes: number }>;
  minRestMinutes: number;
  workweekStartsOn: Weekday;
  timeZone: string;
}

/** Whether `shift` (ISO instants) spans a site-local day of `from`..`to`: a night shift touches both its days. */
export function shiftTouchesDays(shift: { date: string; end: string }, from: string, to: string, timeZone: string): boolean {
  return shift.date <= to && localDateOf(Date.parse(shift.end) - 1, timeZone) >= from;
}

/** Everything wrong with `shift` for its person, in the order a manager reads it. */
export function conflictsOf(shift: PlannedShift, person: PersonContext): Conflict[] {
  const conflicts: Conflict[] = [];
  const others = person.shifts.filter((other) => other.shiftId !== shift.shiftId);
  for (const other of others.filter((o) => overlaps(o, shift))) {
    conflicts.push({ kind: 'overlap', shiftId: other.shiftId, message: `Overlaps the person's shift ${other.shiftId} (${iso(other.start)}–${iso(other.end)})` });
  }
  const lastDay = localDateOf(shift.end - 1, person.timeZone);
  for (let date = shift.date; date <= lastDay; date = addDays(date, 1)) {
    if (person.daysOff.has(date)) conflicts.push({ kind: 'time-off', message: `The person has approved time off on ${date}` });
  }
  if (!withinAvailability(shift, person.availability, person.timeZone)) {
    conflicts.push({ kind: 'unavailable', message: 'Outside the person’s weekly availability' });
  }
  const weekStart = workweekStart(shift.date, person.workweekStartsOn);
  const weekEnd = addDays(weekStart, 6);
  const planned = [shift, ...others.filter((o) => o.date >= weekStart && o.date <= weekEnd)].reduce((sum, s) => sum + plannedMinutes(s), 0);
  for (const cap of person.caps) {
    if (planned <= cap.maxMinutes) continue;
    conflicts.push({
      kind: 'weekly-cap',
      ruleId: cap.ruleId,
      limitMinutes: cap.maxMinutes,
      plannedMinutes: planned,
      message: `The week from ${weekStart} would have ${hours(planned)} h planned, over the pack's cap of ${hours(cap.maxMinutes)} h (${cap.ruleId})`,
    });
  }
  for (const other of others) {
    const gap = other.start >= shift.end ? other.start - shift.end : shift.start - other.end;
    if (gap < 0 || gap >= person.minRestMinutes * MINUTE || overlaps(other, shift)) continue;
    conflicts.push({ kind: 'short-rest', shiftId: other.shiftId, message: `Only ${Math.round(gap / MINUTE)} min of rest next to shift ${other.shiftId}; the site asks for ${person.minRestMinutes}` });
  }
  return conflicts;
}

/**
 * Refuses a shift its conflicts forbid (an overlap always: 409; the others unless overridden: 422) and returns the
 * flags it keeps. `field` names the body field the refusal is about.
 */
export function flagsAllowed(conflicts: readonly Conflict[], override: boolean, field = 'userId'): Conflict[] {
  const overlap = conflicts.find((c) => c.kind === 'overlap');
  if (overlap) throw new ConflictError(overlap.message, { field, conflicts: [overlap] });
  const refused = conflicts.filter((c) => OVERRIDABLE.has(c.kind));
  if (refused.length > 0 && !override) {
    throw new UnprocessableError(`${refused.map((c) => c.message).join('; ')}. A manager may pass override: true to schedule it anyway (it is flagged)`, { field, conflicts: refused });
  }
  return [...conflicts];
}

// ------------------------------------------------------------------------------------------------ labour cost

export interface ShiftCost {
  /** Minor units, half-up. */
  cost: number;
  /** The rate used, per hour in minor units. */
  hourlyRate: number;
  /** A monthly wage, costed at its hourly equivalent. */
  monthly?: { amount: number };
}

/**
 * The planned cost of `minutes` at `wage`, at the hourly rate payroll pays for it (payroll-input-from-records.ts
 * hourlyRateOf: a monthly wage's 통상시급, monthly ÷ 209 h at 40 h a week in Korea, or × 12 ÷ 52 ÷ contracted hours),
 * so the schedule's cost and the pay agree.
 */
export function costOf(minutes: number, wage: Wage, employment: Pick<Employment, 'weeklyHours'>, pack: Pick<RulePack, 'jurisdiction'>): ShiftCost {
  const hourlyRate = hourlyRateOf(wage, pack, employment.weeklyHours);
  return { cost: mulDivHalfUp(hourlyRate, minutes, 60), hourlyRate, ...(wage.kind === 'monthly' ? { monthly: { amount: wage.amount } } : {}) };
}

const iso = (ms: number) => new Date(ms).toISOString();
const hours = (minutes: number) => (minutes / 60).toFixed(2).replace(/\.?0+$/, '');

/**
 * Labour as a share of forecast sales, in basis points (2 750 = 27.5 %), or null without a forecast. The hook for
 * the forecast domain, which does not exist yet: the schedule view passes no sales today.
 */
export function labourShareBps(labourCost: number, forecastSales: number | undefined): number | null {
  if (forecastSales === undefined || forecastSales <= 0) return null;
  return mulDivHalfUp(labourCost, 10_000, forecastSales);
}

/** DynamoDB's limit on one transaction's items. */
export const MAX_TRANSACTION_ITEMS = 100;

/**
 * Packs a publish into as few transactions as fit: each group (a person's shifts with their event, or the open
 * shifts, which have none) goes whole into one transaction where it fits, the first transaction also holding
 * `reserved` items (the weeks' records). A group larger than a transaction is split, its event with its first part.
 */
export function transactionBatches<S, E>(groups: ReadonlyArray<{ shifts: readonly S[]; event?: E }>, reserved: number, max = MAX_TRANSACTION_ITEMS): Array<{ shifts: S[]; events: E[] }> {
  const batches: Array<{ shifts: S[]; events: E[] }> = [{ shifts: [], events: [] }];
  const room = max - reserved - 1;
  for (const group of groups) {
    // A person who only lost shifts has an event and no shift of their own in the publish.
    for (let i = 0; i < Math.max(group.shifts.length, 1); i += room) {
      const part = group.shifts.slice(i, i + room);
      const events = group.event !== undefined && i === 0 ? [group.event] : [];
      if (part.length + events.length === 0) continue;
      let batch = batches.at(-1)!;
      const used = batch.shifts.length + batch.events.length + (batches.length === 1 ? reserved : 0);
      if (used + part.length + events.length > max) batches.push((batch = { shifts: [], events: [] }));
      batch.shifts.push(...part);
      batch.events.push(...events);
    }
  }
  return batches;
}
