// The calendar routes' work: list a range, mark or unmark a day, set the weekdays the site never opens.
import { BadRequestError, NotFoundError } from '#shared/errors';
import type { HttpResult } from '#shared/http';
import { addDays } from '#shared/time';
import type { CalendarDay, Weekday } from './calendar-rules';
import { MAX_CALENDAR_RANGE_DAYS } from './calendar-schemas';
import { calendarStore } from './config';

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export async function calendarOf(siteId: string, query: { from?: string; to?: string }, now = Date.now()): Promise<HttpResult> {
  const today = new Date(now).toISOString().slice(0, 10);
  const from = query.from ?? (query.to ? addDays(query.to, -730) : addDays(today, -365));
  const to = query.to ?? addDays(from, 730);
  if (daysBetween(from, to) > MAX_CALENDAR_RANGE_DAYS) throw new BadRequestError(`A calendar read covers at most ${MAX_CALENDAR_RANGE_DAYS} days; narrow from/to`);
  const calendar = await calendarStore.between(siteId, from, to);
  return { body: { siteId, from, to, closedWeekdays: calendar.closedWeekdays, days: calendar.days } };
}

export async function markDay(siteId: string, day: CalendarDay, by: string, now = Date.now()): Promise<HttpResult> {
  await calendarStore.putDay(siteId, day, { by, at: new Date(now).toISOString() });
  return { body: { siteId, ...day } };
}

export async function unmarkDay(siteId: string, date: string): Promise<HttpResult> {
  if (!(await calendarStore.deleteDay(siteId, date))) throw new NotFoundError(`${date} is not marked in the calendar`);
  return { status: 204 };
}

export async function setClosedWeekdays(siteId: string, closedWeekdays: readonly Weekday[], by: string, now = Date.now()): Promise<HttpResult> {
  await calendarStore.putClosedWeekdays(siteId, closedWeekdays, { by, at: new Date(now).toISOString() });
  return { body: { siteId, closedWeekdays } };
}
