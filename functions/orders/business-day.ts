// The business day an order belongs to: the date in the site's time zone, except that orders placed before
// the site's `businessDayStartsAt` (say 04:00) still count for the previous day, so a late bar tab and the
// dinner service share one day and one ticket sequence.
import { wallClock } from '#shared/time';

export function businessDayOf(at: Date, timeZone: string, startsAt: string): string {
  const { date, time } = wallClock(at.getTime(), timeZone);
  return time.slice(0, 5) < startsAt ? previousDate(date) : date;
}

function previousDate(isoDate: string): string {
  const date = new Date(`${isoDate}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}
