// Which minutes are what: day-class tags (weekly rest day, public holiday, 7th consecutive day) and threshold
// buckets (daily/weekly overtime, part-time excess, holiday hours over 8), applied in the pack's order. A bucket
// counts only the minutes its `select` admits, so "weekly over 40 on straight-time minutes only" (California's no
// pyramiding, Korea's 1일 8시간·1주 40시간 counted once) is data, not code.
import { addDays } from '#shared/time';
import { PayrollInputError, type PayrollInput } from './payroll-input-schema';
import type { RuleOf, Select, Threshold, When } from './payroll-pack-schema';
import { sliceSegment, weekdayOf, type Segment } from './payroll-time';

export interface Facts {
  readonly input: PayrollInput;
  /** Whether a rule's `when` holds on a workday. */
  applies(rule: { id: string; when?: When | undefined }, date: string): boolean;
  minutesOf(threshold: Threshold): number;
}

export function factsOf(input: PayrollInput): Facts {
  const headcount = [...input.workplace.regularHeadcount].sort((a, b) => a.from.localeCompare(b.from));
  const headcountOn = (ruleId: string, date: string): 'ge5' | 'lt5' => {
    const entry = headcount.filter((h) => h.from <= date).at(-1);
    if (!entry) throw new PayrollInputError('workplace.regularHeadcount', `rule ${ruleId} needs the headcount status on ${date}`);
    return entry.status;
  };
  return {
    input,
    applies(rule, date) {
      if (rule.when?.headcount !== undefined && headcountOn(rule.id, date) !== rule.when.headcount) return false;
      if (rule.when?.employment !== undefined && input.contract.employment !== rule.when.employment) return false;
      return true;
    },
    minutesOf(threshold) {
      if (threshold === 'contract.daily_minutes') return input.contract.dailyMinutes;
      if (threshold === 'contract.weekly_minutes') return input.contract.weeklyMinutes;
      return threshold;
    },
  };
}

export function selects(select: Select, tags: readonly string[]): boolean {
  return (
    select.tagsAll.every((tag) => tags.includes(tag)) &&
    (select.tagsAny.length === 0 || select.tagsAny.some((tag) => tags.includes(tag))) &&
    !select.tagsNone.some((tag) => tags.includes(tag))
  );
}

export function tagDayClass(segments: readonly Segment[], rule: RuleOf<'tag.day_class'>, facts: Facts): Segment[] {
  const { contract, workplace } = facts.input;
  const workedDates = new Set(segments.map((segment) => segment.workday));
  const seventhDays = new Map<string, string | undefined>();
  // California (Mendoza v. Nordstrom): only when all seven days of the employer's workweek were worked.
  const seventhDayOf = (workweek: string): string | undefined => {
    if (!seventhDays.has(workweek)) {
      const week = Array.from({ length: 7 }, (_, i) => addDays(workweek, i));
      seventhDays.set(workweek, week.every((date) => workedDates.has(date)) ? week[6] : undefined);
    }
    return seventhDays.get(workweek);
  };
  const isClass = (segment: Segment): boolean => {
    switch (rule.dayClass) {
      case 'weekly_rest_day':
        return weekdayOf(segment.workday) === contract.weeklyRestDay;
      case 'public_holiday':
        return workplace.publicHolidays.includes(segment.workday);
      case 'seventh_consecutive_day':
        return segment.workday === seventhDayOf(segment.workweek);
    }
  };
  return segments.map((segment) =>
    isClass(segment) && facts.applies(rule, segment.workday) ? sliceSegment(segment, 0, segment.minutes, rule.tag) : segment,
  );
}

/**
 * Tags the minutes past `after` (and up to `until`) of the selected minutes of each workday or workweek,
 * counted in chronological order; a segment that straddles the threshold is split at it.
 */
export function allocateThreshold(segments: readonly Segment[], rule: RuleOf<'bucket.threshold'>, facts: Facts): Segment[] {
  const after = facts.minutesOf(rule.after);
  const until = rule.until === undefined ? Infinity : facts.minutesOf(rule.until);
  const counted = new Map<string, number>();
  const result: Segment[] = [];
  for (const segment of segments) {
    if (!selects(rule.select, segment.tags) || !facts.applies(rule, segment.workday)) {
      result.push(segment);
      continue;
    }
    const key = rule.per === 'workday' ? segment.workday : segment.workweek;
    const before = counted.get(key) ?? 0;
    counted.set(key, before + segment.minutes);
    const from = Math.min(Math.max(after - before, 0), segment.minutes);
    const to = Math.min(Math.max(until - before, 0), segment.minutes);
    if (to <= from) {
      result.push(segment);
      continue;
    }
    if (from > 0) result.push(sliceSegment(segment, 0, from));
    result.push(sliceSegment(segment, from, to, rule.tag));
    if (to < segment.minutes) result.push(sliceSegment(segment, to, segment.minutes));
  }
  return result;
}
