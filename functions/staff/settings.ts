// A site's staff settings: how its pay periods run, when its workweek and workday start, how punches are rounded
// for display, how early a clock-in may be without a manager, when a forgotten clock-out is closed, and the facts
// payroll needs that are the site's, not the person's (Korean headcount status, public holidays, a city's minimum
// wage, shift differentials). One item per site (table.ts); a site that never set them runs on the defaults.
import * as z from 'zod';
import { expectedVersionSchema } from '#shared/versions';
import { moneySchema } from '#shared/money';
import { isoDateSchema } from '#shared/time';
import { hhmmSchema } from './payroll-pack-schema';
import { WEEKDAYS } from './schemas';

export const PAY_PERIOD_KINDS = ['weekly', 'biweekly', 'semimonthly', 'monthly'] as const;
export const ROUNDING_INCREMENTS = [0, 5, 6, 10, 15] as const;

export const staffSettingsSchema = z.strictObject({
  payPeriod: z
    .strictObject({
      kind: z.enum(PAY_PERIOD_KINDS),
      /** Weekly and bi-weekly: the first day of any one period (the others follow every 7 or 14 days). */
      anchor: isoDateSchema.default('2026-01-05'),
    })
    .prefault({ kind: 'biweekly' }),
  /** The FLSA/California workweek and the Korean 1주 start on this day. */
  workweekStartsOn: z.enum(WEEKDAYS).default('mon'),
  /** The fixed 24-hour workday starts at this local time (California daily overtime). */
  workdayStartsAt: hhmmSchema.default('00:00'),
  /** Rounding is a derived view of the punches (never a rewrite); 0 = none. */
  roundingMinutes: z.union(ROUNDING_INCREMENTS.map((n) => z.literal(n)), { error: `must be one of ${ROUNDING_INCREMENTS.join(', ')}` }).default(0),
  /** A clock-in more than this many minutes before the person's scheduled shift needs a manager's approval. */
  earlyClockInMinutes: z.number().int().min(0).max(240).default(10),
  /** A shift still open this many hours after its clock-in is closed by the auto-close job and flagged. */
  autoCloseAfterHours: z.number().int().min(4).max(24).default(16),
  /** The shortest rest between two shifts of one person; the schedule flags shorter ones. */
  minRestMinutes: z.number().int().min(0).max(1440).default(600),
  /** Korea: 상시근로자 5인 이상/미만 by effective date. */
  regularHeadcount: z.array(z.strictObject({ from: isoDateSchema, status: z.enum(['ge5', 'lt5']) })).max(100).default([]),
  /** Public holidays observed as paid holidays at the site. */
  publicHolidays: z.array(isoDateSchema).max(100).default([]),
  /** A city or county minimum wage above the pack's statutory one, by effective date (minor units per hour). */
  localMinimumWage: z.array(z.strictObject({ from: isoDateSchema, hourlyRate: moneySchema })).max(50).default([]),
  /** Company shift differentials above statute, e.g. +1.50/h after 22:00. */
  shiftDifferentials: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9_]{1,32}$/),
        label: z.string().min(1).max(120),
        window: z.strictObject({ start: hhmmSchema, end: hhmmSchema }),
        amountPerHour: moneySchema,
      }),
    )
    .max(10)
    .default([]),
  /** FLSA §3(m)(2)(A): the tip credit is taken only after this notice was given. */
  tipCreditNoticeGiven: z.boolean().default(false),
});

export type StaffSettings = z.output<typeof staffSettingsSchema>;
export type StaffSettingsInput = z.input<typeof staffSettingsSchema>;

export interface StaffSettingsRecord extends StaffSettings {
  siteId: string;
  /** 0 while the site runs on the defaults (never written). */
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

export const DEFAULT_STAFF_SETTINGS: StaffSettings = staffSettingsSchema.parse({});

/** PUT …/staff/settings: the whole settings (omitted fields take their defaults) and the version they replace. */
export const putSettingsSchema = staffSettingsSchema
  .extend({
    /** Absent: the site's first settings (409 once it has some). Given: replace that version only (409 when stale). */
    expectedVersion: expectedVersionSchema.optional(),
  })
  .refine((s) => new Set(s.shiftDifferentials.map((d) => d.id)).size === s.shiftDifferentials.length, { path: ['shiftDifferentials'], message: 'an id appears once' })
  .refine((s) => s.regularHeadcount.every((h, i) => i === 0 || h.from > s.regularHeadcount[i - 1]!.from), { path: ['regularHeadcount'], message: 'must be in order of `from`, one per day' })
  .refine((s) => s.localMinimumWage.every((w, i) => i === 0 || w.from > s.localMinimumWage[i - 1]!.from), { path: ['localMinimumWage'], message: 'must be in order of `from`, one per day' });
