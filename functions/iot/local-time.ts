// Wall-clock time in a site's IANA time zone, with DST: HACCP checks happen at local times ("the 09:00 check")
// and a HACCP day is a local calendar day, which is 23 or 25 hours long twice a year.
import { wallClock as localWallClock } from '#shared/time-zone';

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone === 'UTC' || timeZone.includes('/');
  } catch {
    return false;
  }
}

function wallClock(instant: number, timeZone: string): { date: string; time: string; asUtc: number } {
  const { date, time } = localWallClock(instant, timeZone);
  return { date, time, asUtc: Date.parse(`${date}T${time}Z`) };
}

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDateOf(instant: number, timeZone: string): string {
  return wallClock(instant, timeZone).date;
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` `time` (HH:MM). In the hour a spring-forward
 * skips, that is the instant an hour later; in the hour a fall-back repeats, the first of the two.
 */
export function zonedTimeToInstant(date: string, time: string, timeZone: string): number {
  const wanted = Date.parse(`${date}T${time}:00Z`);
  let guess = wanted;
  // Two corrections settle every offset change there is (the offset at the guess, then at the corrected guess).
  for (let i = 0; i < 2; i++) guess = wanted - (wallClock(guess, timeZone).asUtc - guess);
  const earlier = guess - 60 * 60 * 1000;
  return wallClock(earlier, timeZone).asUtc === wanted ? earlier : guess;
}

/** [start, end) of a local calendar day, as instants. */
export function localDayRange(date: string, timeZone: string): { start: number; end: number } {
  const next = new Date(`${date}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { start: zonedTimeToInstant(date, '00:00', timeZone), end: zonedTimeToInstant(next.toISOString().slice(0, 10), '00:00', timeZone) };
}

/** The local wall-clock time (HH:MM) of an instant. */
export function localTimeOf(instant: number, timeZone: string): string {
  return wallClock(instant, timeZone).time.slice(0, 5);
}
