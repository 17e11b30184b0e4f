// The time model of payroll: punches (UTC instants) become minute-exact work segments, each attributed to a
// workday and a workweek in the site's time zone and cut at every wall-clock boundary a rule cares about (night
// window, differential window, workday start). Durations are real elapsed minutes, so a night across the
// spring-forward hour is one hour shorter and one across the fall-back hour one hour longer; the wall clock is
// used only to place boundaries.
import { addDays, zonedTimeToInstant } from '#shared/time';
import { WEEKDAYS, type PayrollInput, type Weekday } from './payroll-input-schema';
import type { RulePack } from './payroll-pack-schema';

const MINUTE = 60_000;

/** Local dates and wall-clock instants in one time zone. */
export interface LocalCalendar {
  at(date: string, hhmm: string): number;
  dateOf(instant: number): string;
}

// Time-zone arithmetic costs microseconds (Intl) and a month of payroll for a site asks for the same few hundred
// wall-clock instants per employee, so they are memoised across calls: a pure function's cache, bounded.
const ZONED_CACHE_LIMIT = 100_000;
const zonedInstants = new Map<string, number>();

function cachedZonedTimeToInstant(date: string, hhmm: string, timeZone: string): number {
  const key = `${timeZone} ${date} ${hhmm}`;
  let instant = zonedInstants.get(key);
  if (instant === undefined) {
    if (zonedInstants.size >= ZONED_CACHE_LIMIT) zonedInstants.clear();
    instant = zonedTimeToInstant(date, hhmm, timeZone);
    zonedInstants.set(key, instant);
  }
  return instant;
}

export function localCalendar(timeZone: string): LocalCalendar {
  const at = (date: string, hhmm: string): number => cachedZonedTimeToInstant(date, hhmm, timeZone);
  // Contiguous local days and their midnights (one more midnight than days), grown on demand; a binary search
  // then finds the local date of any instant.
  const days: string[] = [];
  const midnights: number[] = [];
  const dateOf = (instant: number): string => {
    if (days.length === 0) {
      const utcDate = new Date(instant).toISOString().slice(0, 10);
      days.push(utcDate);
      midnights.push(at(utcDate, '00:00'), at(addDays(utcDate, 1), '00:00'));
    }
    while (instant < midnights[0]!) {
      const day = addDays(days[0]!, -1);
      days.unshift(day);
      midnights.unshift(at(day, '00:00'));
    }
    while (instant >= midnights[midnights.length - 1]!) {
      const day = addDays(days[days.length - 1]!, 1);
      days.push(day);
      midnights.push(at(addDays(day, 1), '00:00'));
    }
    let low = 0;
    let high = days.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (midnights[middle]! <= instant) low = middle;
      else high = middle - 1;
    }
    return days[low]!;
  };
  return { at, dateOf };
}

export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}

/** The first date of the workweek holding `date`. */
export function weekStartOf(date: string, startsOn: Weekday): string {
  const back = (new Date(`${date}T00:00:00Z`).getUTCDay() - WEEKDAYS.indexOf(startsOn) + 7) % 7;
  return addDays(date, -back);
}

export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly minutes: number;
  readonly workday: string;
  readonly workweek: string;
  readonly position: string;
  readonly tags: readonly string[];
}

export interface PaidBreak {
  readonly workday: string;
  readonly minutes: number;
}

export interface WorkModel {
  readonly calendar: LocalCalendar;
  /** Chronological, non-overlapping, each inside one workday and one window state. */
  readonly segments: Segment[];
  readonly paidBreaks: PaidBreak[];
  /** The workday a scheduled shift starting at `instant` belongs to. */
  workdayOf(instant: number): string;
}

export interface TagWindow {
  readonly tag: string;
  readonly start: string;
  readonly end: string;
}

const floorMinute = (ms: number): number => Math.floor(ms / MINUTE) * MINUTE;
const ceilMinute = (ms: number): number => Math.ceil(ms / MINUTE) * MINUTE;

/**
 * Punches to the minute, every partial minute in the employee's favour: clock-in down, clock-out up, a break's
 * start up and its end down (so a 29 min 30 s meal is 29 minutes, short). Raw instants stay with the caller.
 */
function normalisedPunches(input: PayrollInput) {
  return input.punches
    .map((punch) => ({
      id: punch.id,
      position: punch.position ?? input.contract.position,
      start: floorMinute(punch.clockIn),
      end: ceilMinute(punch.clockOut),
      breaks: punch.breaks
        .map((pause) => ({ start: ceilMinute(pause.start), end: floorMinute(pause.end), paid: pause.paid }))
        .filter((pause) => pause.end > pause.start)
        .sort((a, b) => a.start - b.start),
    }))
    .sort((a, b) => a.start - b.start);
}

function inWindow(calendar: LocalCalendar, instant: number, window: TagWindow): boolean {
  const date = calendar.dateOf(instant);
  for (const day of [addDays(date, -1), date]) {
    const start = calendar.at(day, window.start);
    const end = window.start < window.end ? calendar.at(day, window.end) : calendar.at(addDays(day, 1), window.end);
    if (start <= instant && instant < end) return true;
  }
  return false;
}

function windowEdges(calendar: LocalCalendar, start: number, end: number, windows: readonly TagWindow[]): number[] {
  const edges: number[] = [];
  for (let day = addDays(calendar.dateOf(start), -1); day <= calendar.dateOf(end); day = addDays(day, 1)) {
    for (const window of windows) edges.push(calendar.at(day, window.start), calendar.at(day, window.end));
  }
  return edges;
}

/** Cuts [start, end) at every instant strictly inside it. */
function cut(start: number, end: number, instants: readonly number[]): Array<[number, number]> {
  const inside = [...new Set(instants.filter((t) => t > start && t < end))].sort((a, b) => a - b);
  const bounds = [start, ...inside, end];
  return bounds.slice(1).map((to, i) => [bounds[i]!, to]);
}

export function buildWorkModel(pack: RulePack, input: PayrollInput, windows: readonly TagWindow[]): WorkModel {
  const calendar = localCalendar(input.timeZone);
  const { workdayStartsAt, workweekStartsOn } = input.workplace;
  const { dailyStartTime } = input.contract;

  const fixedWorkdayOf = (instant: number): string => {
    const date = calendar.dateOf(instant);
    return instant >= calendar.at(date, workdayStartsAt) ? date : addDays(date, -1);
  };
  const workdayOf = pack.workday.mode === 'fixed_boundary' ? fixedWorkdayOf : calendar.dateOf;

  const segments: Segment[] = [];
  const paidBreaks: PaidBreak[] = [];
  let previous: { end: number; workday: string } | undefined;
  for (const punch of normalisedPunches(input)) {
    // Where the workday changes inside this punch, and the workday of any instant in it.
    let boundaries: number[];
    let punchWorkdayAt: (instant: number) => string;
    if (pack.workday.mode === 'fixed_boundary') {
      boundaries = [];
      for (let day = calendar.dateOf(punch.start); day <= calendar.dateOf(punch.end); day = addDays(day, 1)) {
        boundaries.push(calendar.at(day, workdayStartsAt));
      }
      punchWorkdayAt = fixedWorkdayOf;
    } else {
      const ownDate = calendar.dateOf(punch.start);
      const continues =
        previous !== undefined &&
        previous.workday < ownDate &&
        punch.start - previous.end <= pack.workday.continuationGapMinutes * MINUTE &&
        (dailyStartTime === undefined || punch.start < calendar.at(ownDate, dailyStartTime));
      const startDay = continues ? previous!.workday : ownDate;
      boundaries = [];
      if (dailyStartTime !== undefined) {
        for (let day = addDays(startDay, 1); calendar.at(day, dailyStartTime) < punch.end; day = addDays(day, 1)) {
          boundaries.push(calendar.at(day, dailyStartTime));
        }
      }
      const cuts = boundaries;
      punchWorkdayAt = (instant) => addDays(startDay, cuts.filter((boundary) => boundary <= instant).length);
    }

    const unpaid = punch.breaks.filter((pause) => !pause.paid);
    const intervals: Array<[number, number]> = [];
    let from = punch.start;
    for (const pause of unpaid) {
      if (pause.start > from) intervals.push([from, pause.start]);
      from = Math.max(from, pause.end);
    }
    if (punch.end > from) intervals.push([from, punch.end]);

    for (const [start, end] of intervals) {
      const edges = [...boundaries, ...windowEdges(calendar, start, end, windows)];
      for (const [pieceStart, pieceEnd] of cut(start, end, edges)) {
        const workday = punchWorkdayAt(pieceStart);
        segments.push({
          start: pieceStart,
          end: pieceEnd,
          minutes: (pieceEnd - pieceStart) / MINUTE,
          workday,
          workweek: weekStartOf(workday, workweekStartsOn),
          position: punch.position,
          tags: windows.filter((window) => inWindow(calendar, pieceStart, window)).map((window) => window.tag),
        });
      }
    }
    for (const pause of punch.breaks.filter((b) => b.paid)) {
      paidBreaks.push({ workday: punchWorkdayAt(pause.start), minutes: (pause.end - pause.start) / MINUTE });
    }
    previous = { end: punch.end, workday: punchWorkdayAt(punch.end - MINUTE) };
  }
  return { calendar, segments, paidBreaks, workdayOf };
}

/** A segment with the minutes [from, to) of it (0 ≤ from < to ≤ minutes), optionally with one more tag. */
export function sliceSegment(segment: Segment, from: number, to: number, extraTag?: string): Segment {
  return {
    ...segment,
    start: segment.start + from * MINUTE,
    end: segment.start + to * MINUTE,
    minutes: to - from,
    tags: extraTag === undefined || segment.tags.includes(extraTag) ? segment.tags : [...segment.tags, extraTag],
  };
}

/** The unpaid gaps between a workday's segments, with the minutes worked before each. */
export function gapsOf(daySegments: readonly Segment[]): Array<{ minutes: number; workedBefore: number }> {
  const gaps: Array<{ minutes: number; workedBefore: number }> = [];
  let worked = 0;
  daySegments.forEach((segment, i) => {
    const before = daySegments[i - 1];
    if (before && segment.start > before.end) gaps.push({ minutes: (segment.start - before.end) / MINUTE, workedBefore: worked });
    worked += segment.minutes;
  });
  return gaps;
}
