// Time at a site: instants are UTC, and what people mean by "the 09:00 check", "today's orders" or "Tuesday's
// shift" is a wall-clock time in the site's IANA time zone, with DST (a local day is 23 or 25 hours twice a year).
// Staff (shifts, payroll), inventory (cut-off times), orders (business days) and iot (HACCP) share these.
import * as z from 'zod';

/**
 * Dates and instants every schema accepts lie in this window, so the code that turns them into local days,
 * ISO strings or time-zone parts can always handle them (year 0000 or 9999 +1 day cannot).
 */
export const EARLIEST_DATE = '2000-01-01';
export const LATEST_DATE = '2199-12-31';
const EARLIEST_INSTANT = Date.parse(`${EARLIEST_DATE}T00:00:00Z`);
const LATEST_INSTANT = Date.parse(`${LATEST_DATE}T23:59:59.999Z`);

/** A calendar date YYYY-MM-DD that exists, within [EARLIEST_DATE, LATEST_DATE]. */
export const isoDateSchema = z.iso
  .date()
  .refine((date) => date >= EARLIEST_DATE && date <= LATEST_DATE, `must be a date from ${EARLIEST_DATE} to ${LATEST_DATE}`);

/** An ISO-8601 instant with an offset, as epoch milliseconds, within the same window. */
export const instantSchema = z.iso
  .datetime({ offset: true })
  .transform((value) => Date.parse(value))
  .refine((ms) => ms >= EARLIEST_INSTANT && ms <= LATEST_INSTANT, `must be an instant from ${EARLIEST_DATE} to ${LATEST_DATE}`);

// Building an Intl.DateTimeFormat costs ~0.2–0.3 ms, formatting with a built one ~0.02 ms: one per zone, kept for
// the container's life (there are a few hundred IANA zones at most).
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();
const validZones = new Set<string>();

export function isTimeZone(timeZone: string): boolean {
  if (validZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return false;
  }
  if (timeZone !== 'UTC' && !timeZone.includes('/')) return false;
  validZones.add(timeZone);
  return true;
}

/** A site's IANA time zone. */
export const timeZoneSchema = z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris');

function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    // Only a zone that formats is kept (the constructor throws for one that does not).
    wallClockFormats.set(timeZone, format);
  }
  return format;
}

/** What a wall clock in `timeZone` shows at `instant`: date YYYY-MM-DD and time HH:MM:SS (24 h, DST-aware). */
export function wallClock(instant: number, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    wallClockFormat(timeZone)
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}` };
}

function wallClockAsUtc(instant: number, timeZone: string): number {
  const { date, time } = wallClock(instant, timeZone);
  return Date.parse(`${date}T${time}Z`);
}

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDateOf(instant: number, timeZone: string): string {
  return wallClock(instant, timeZone).date;
}

/**
 * The business day an instant belongs to: its local date, except that the hours before the site's
 * `startsAt` (HH:MM, say 04:00) still count for the previous day, so a late bar tab and the dinner service share
 * one day. With `startsAt` 00:00 it is the calendar date. Orders file orders by it; analytics files everything else
 * by the same rule, learnt from orders' `menu.settings-changed`.
 */
export function businessDayOf(at: Date | number, timeZone: string, startsAt: string): string {
  const { date, time } = wallClock(typeof at === 'number' ? at : at.getTime(), timeZone);
  return time.slice(0, 5) < startsAt ? addDays(date, -1) : date;
}

/** The local wall-clock time (HH:MM) of an instant. */
export function localTimeOf(instant: number, timeZone: string): string {
  return wallClock(instant, timeZone).time.slice(0, 5);
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` `time` (HH:MM). In the hour a spring-forward
 * skips, that is the instant an hour later; in the hour a fall-back repeats, the first of the two.
 */
export function zonedTimeToInstant(date: string, time: string, timeZone: string): number {
  const wanted = Date.parse(`${date}T${time}:00Z`);
  let guess = wanted;
  // Two corrections settle every offset change there is (the offset at the guess, then at the corrected guess).
  for (let i = 0; i < 2; i++) guess = wanted - (wallClockAsUtc(guess, timeZone) - guess);
  const earlier = guess - 60 * 60 * 1000;
  return wallClockAsUtc(earlier, timeZone) === wanted ? earlier : guess;
}

/** The calendar date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  const next = new Date(`${date}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}

/** [start, end) of a local calendar day, as instants. */
export function localDayRange(date: string, timeZone: string): { start: number; end: number } {
  return { start: zonedTimeToInstant(date, '00:00', timeZone), end: zonedTimeToInstant(addDays(date, 1), '00:00', timeZone) };
}
