// The calendar routes' path, query and bodies; unknown fields and parameters are refused (400).
import * as z from 'zod';
import { siteIdSchema } from '#shared/identity';
import { isoDateSchema } from '#shared/time';
import { WEEKDAYS } from './calendar-rules';

/** Widest range one calendar read returns: three years, enough for last year's holidays and the next year's closures. */
export const MAX_CALENDAR_RANGE_DAYS = 1100;

export const calendarDayParamsSchema = z.object({ siteId: siteIdSchema, date: isoDateSchema.describe('the site-local day') });

export const calendarQuerySchema = z
  .strictObject({
    from: isoDateSchema.optional().describe('first day listed (default: a year ago)'),
    to: isoDateSchema.optional().describe('last day listed (default: a year ahead)'),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from must not be after to', path: ['from'] });

export const calendarDayBodySchema = z.strictObject({
  kind: z.enum(['closed', 'holiday']).describe('closed: no trade (forecast 0, a gap in history); holiday: open but unlike its weekday'),
  name: z.string().trim().min(1).max(80).optional().describe('what it is; a holiday matches the same name in other years for its uplift'),
});

export const closedWeekdaysBodySchema = z.strictObject({
  closedWeekdays: z
    .array(z.enum(WEEKDAYS))
    .max(7)
    .refine((days) => new Set(days).size === days.length, 'each weekday at most once')
    .describe('weekdays the site never opens (e.g. ["monday"])'),
});
