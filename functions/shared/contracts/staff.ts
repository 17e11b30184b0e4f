// What the staff domain publishes on the events topic: each closed and opened shift of the time clock, so analytics
// can count labour hours per site, day and position. No wage or pay is in them: wages are seen by managers and the
// person only (docs/staff.md). Ids are per fact, so a relayed copy keeps its id: `clock-in:{shiftId}`,
// `clock-out:{shiftId}`. Deduplicate by `id`. Instants are UTC; `localDate` is the site's calendar day (its time
// zone) on which the shift began, which is the day its hours count for.
import * as z from 'zod';
import { dateSchema, utcInstantSchema } from './values';

const shift = {
  shiftId: z.string().min(1).describe('the shift: one clock-in to its clock-out'),
  userId: z.string().min(1).describe('who worked it'),
  positionId: z.string().min(1).describe('the position worked (server, line-cook…)'),
  clockedInAt: utcInstantSchema.describe('when the shift began (server time)'),
  localDate: dateSchema.describe('the site-local day the shift began on'),
};

const seconds = (meaning: string) => z.number().int().min(0).max(366 * 24 * 3600).describe(`${meaning}, in seconds`);

export const staffContract = {
  source: 'staff',
  topic: 'events',
  events: {
    'staff.clocked-in': {
      description: 'Someone clocked in at the site (POST …/clock-in). Id `clock-in:{shiftId}`.',
      data: z.strictObject(shift),
    },
    'staff.clocked-out': {
      description:
        'A shift closed (POST …/clock-out, or the auto-close job for a forgotten clock-out: `autoClosed`; a break still open closes with it): its span, its breaks and the time worked. Id `clock-out:{shiftId}`.',
      data: z.strictObject({
        ...shift,
        clockedOutAt: utcInstantSchema.describe('when it ended (server time)'),
        breakSeconds: seconds('time on breaks'),
        workedSeconds: seconds('time worked: the span less the breaks'),
        autoClosed: z
          .literal(true)
          .optional()
          .describe('present when nobody clocked out: the auto-close job closed the shift at its scheduled end or after the site’s autoCloseAfterHours'),
      }),
    },
    'staff.schedule-published': {
      description:
        'A manager published the schedule of some days (POST /sites/{siteId}/schedule/publish): one event per person with the shifts of theirs that became published or changed, so the notifications domain tells them. No wage or cost. Id `schedule-published:{publishId}:{userId}`.',
      data: z.strictObject({
        publishId: z.string().min(1).describe('the publish: every person’s event of one publish shares it'),
        userId: z.string().min(1).describe('whose shifts these are'),
        from: dateSchema.describe('first site-local day published'),
        to: dateSchema.describe('last site-local day published (inclusive)'),
        shifts: z
          .array(
            z.strictObject({
              shiftId: z.string().min(1).describe('the scheduled shift (GET /sites/{siteId}/schedule)'),
              date: dateSchema.describe('the site-local day it starts'),
              start: utcInstantSchema,
              end: utcInstantSchema,
              positionId: z.string().min(1).describe('the position to work'),
              breakMinutes: z.number().int().min(0).describe('unpaid break planned, in minutes'),
            }),
          )
          .min(1)
          .max(200)
          .describe('the person’s shifts that became published or changed, by start'),
      }),
    },
  },
} as const;
