// What the staff domain publishes on the events topic: each closed and opened shift of the time clock, so analytics
// can count labour hours per site, day and position; each person's hourly cost per position (pay rates), so it can
// cost those hours; and published schedules. Shifts carry no money; the pay rates are the only wage figures on the
// topic (base hourly cost, no premiums or payslips: docs/staff.md). Ids are per fact, so a relayed copy keeps its
// id: `clock-in:{shiftId}`, `clock-out:{shiftId}`, `pay-rates:{siteId}:{userId}:v{version}` (a person may have a
// profile at several sites, each versioned on its own). Deduplicate by `id`. Instants are UTC; `localDate` is the
// site's calendar day (its time zone) on which the shift began, which is the day its hours count for.
import * as z from 'zod';
import { currencySchema, dateSchema, moneySchema, utcInstantSchema, versionSchema } from './values';

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
    'staff.pay-rates-changed': {
      description:
        "A staff profile was created, or an edit changed the rates below: a wage or a position added, or for a monthly wage the contracted hours or the pack (PUT /sites/{siteId}/staff/{userId}; an edit that moves no rate publishes nothing): the person's hourly cost per position over time, so analytics can cost labour hours (labour cost, labour % of sales) without seeing payroll. A monthly wage is given as its hourly equivalent at the contracted hours, the rate payroll and the schedule's labour cost use. Base rates only: no overtime or other premiums. Id `pay-rates:{siteId}:{userId}:v{version}`; keep the highest `version` per site and person.",
      data: z.strictObject({
        userId: z.string().min(1).describe('whose rates'),
        version: versionSchema.describe("the profile's version after the change"),
        currency: currencySchema.describe('currency of the rates'),
        rates: z
          .array(
            z.strictObject({
              positionId: z.string().min(1).describe('the position'),
              from: dateSchema.describe('first site-local day the rate applies'),
              hourlyRate: moneySchema.describe('cost of one hour at that position, minor units'),
            }),
          )
          .max(500)
          .describe('every position’s rates, each effective until the next one of the same position'),
      }),
    },
    'staff.schedule-published': {
      description:
        'A manager published the schedule of some days (POST /sites/{siteId}/schedule/publish): one event per person with the shifts of theirs that became published or changed, and the shifts published to them before that are no longer theirs (given to someone else or made open since), so the notifications domain tells them. No wage or cost. Id `schedule-published:{publishId}:{userId}`.',
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
          .max(200)
          .describe('the person’s shifts that became published or changed, by start (empty when they only lost shifts)'),
        removed: z
          .array(
            z.strictObject({
              shiftId: z.string().min(1).describe('the shift they no longer have'),
              date: dateSchema.describe('the site-local day it starts'),
              start: utcInstantSchema,
              end: utcInstantSchema,
              positionId: z.string().min(1).describe('its position'),
            }),
          )
          .max(200)
          .optional()
          .describe('shifts published to them before that someone else now has, or that are open again, by start; absent on events published before it was carried'),
      }),
    },
  },
} as const;
