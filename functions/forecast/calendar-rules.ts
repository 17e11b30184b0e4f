// A site's closures and holidays, as the forecasts read them (pure). A closed day — a date marked closed, or a weekday
// the site never opens — is not a zero-demand day: in history it is a gap (the models interpolate past it, backtests
// skip it), in the future it forecasts 0 and says closed. A holiday is an open day unlike its weekday: in history it
// is kept out of the fit (one Christmas Eve must not bend the weekly pattern), and a future holiday gets the uplift the
// same holiday had last time it was observed (its actual ÷ the mean of its weekday in the weeks around it).
import { addDays } from '#shared/time';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface CalendarDay {
  date: string;
  kind: 'closed' | 'holiday';
  /** What it is ("Christmas Day", "Refurbishment"); a holiday's name matches it with the same holiday other years. */
  name?: string;
}

export interface Calendar {
  days: readonly CalendarDay[];
  closedWeekdays: readonly Weekday[];
}

export const EMPTY_CALENDAR: Calendar = { days: [], closedWeekdays: [] };

/** Weeks either side of a past holiday whose same weekday sets its baseline. */
export const UPLIFT_BASELINE_WEEKS = 4;

export function weekdayOf(date: string): Weekday {
  // 2000-01-03 was a Monday; dates are calendar days, so UTC arithmetic is exact.
  const days = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse('2000-01-03T00:00:00Z')) / 86_400_000);
  return WEEKDAYS[((days % 7) + 7) % 7]!;
}

export class SiteCalendar {
  private readonly byDate: Map<string, CalendarDay>;
  private readonly closedWeekdays: ReadonlySet<Weekday>;

  constructor(calendar: Calendar) {
    this.byDate = new Map(calendar.days.map((day) => [day.date, day]));
    this.closedWeekdays = new Set(calendar.closedWeekdays);
  }

  isClosed(date: string): boolean {
    return this.byDate.get(date)?.kind === 'closed' || this.closedWeekdays.has(weekdayOf(date));
  }

  holidayOn(date: string): CalendarDay | undefined {
    const day = this.byDate.get(date);
    return day?.kind === 'holiday' && !this.isClosed(date) ? day : undefined;
  }

  /** The closed dates of `[from, to]`: what the hourly, item and staffing forecasts take. */
  closedBetween(from: string, to: string): Set<string> {
    const closed = new Set<string>();
    for (let date = from; date <= to; date = addDays(date, 1)) if (this.isClosed(date)) closed.add(date);
    return closed;
  }

  /** Values of a history for fitting: closed days and holidays become gaps. */
  forFitting(dates: readonly string[], values: ReadonlyArray<number | null>): Array<number | null> {
    return values.map((value, i) => (this.isClosed(dates[i]!) || this.holidayOn(dates[i]!) ? null : value));
  }

  /**
   * The ratio a holiday named like `holiday` had the last time it was observed before `before`: its value over the mean
   * of its weekday's ordinary observed days within UPLIFT_BASELINE_WEEKS weeks. Undefined without such a day.
   */
  upliftOf(holiday: CalendarDay, before: string, valueOn: (date: string) => number | null | undefined): { ratio: number; observedOn: string } | undefined {
    if (!holiday.name) return undefined;
    const past = [...this.byDate.values()]
      .filter((day) => day.kind === 'holiday' && day.name === holiday.name && day.date < before)
      .sort((a, b) => b.date.localeCompare(a.date));
    for (const day of past) {
      const actual = valueOn(day.date);
      if (actual === null || actual === undefined || this.isClosed(day.date)) continue;
      const baseline: number[] = [];
      for (let week = -UPLIFT_BASELINE_WEEKS; week <= UPLIFT_BASELINE_WEEKS; week++) {
        const date = addDays(day.date, 7 * week);
        const value = week === 0 || this.isClosed(date) || this.holidayOn(date) ? undefined : valueOn(date);
        if (value !== null && value !== undefined) baseline.push(value);
      }
      const mean = baseline.reduce((a, b) => a + b, 0) / baseline.length;
      if (baseline.length > 0 && mean > 0) return { ratio: actual / mean, observedOn: day.date };
    }
    return undefined;
  }
}
