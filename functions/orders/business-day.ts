// The business day an order belongs to: the date in the site's time zone, except that orders placed before
// the site's `businessDayStartsAt` (say 04:00) still count for the previous day, so a late bar tab and the
// dinner service share one day and one ticket sequence.
import { addDays, wallClock } from '#shared/time';

export function businessDayOf(at: Date, timeZone: string, startsAt: string): string {
  const { date, time } = wallClock(at.getTime(), timeZone);
  return time.slice(0, 5) < startsAt ? addDays(date, -1) : date;
}
