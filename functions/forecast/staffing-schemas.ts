// The staffing routes' bodies and query strings: the site's productivity targets (PUT …/forecast/targets) and the
// suggestion's horizon (GET …/forecast/staffing). Unknown fields and parameters are refused (400).
import * as z from 'zod';
import { expectedVersionSchema } from '#shared/versions';
import { runIdQueryField } from './run-schemas';
import { STAFFING_DRIVERS } from './staffing-rules';

export const MAX_STAFFING_DAYS = 7;
export const MAX_TARGET_POSITIONS = 50;
/** At most this many prep or close hours a position asks for: a long prep is a shift, not an edge of trade. */
export const MAX_EDGE_HOURS = 6;
const MAX_PER_PERSON_HOUR = 10_000_000_000;

const positionTargetSchema = z
  .strictObject({
    positionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be staff's position id (1-64 characters of A-Z a-z 0-9 _ -)").describe("staff's position (server, line-cook…)"),
    driver: z.enum(STAFFING_DRIVERS).describe('the forecast figure the position scales with'),
    perPersonHour: z
      .number()
      .positive('perPersonHour must be positive')
      .max(MAX_PER_PERSON_HOUR)
      .describe('what one person handles in an hour: covers or orders (at most 2 decimals), or net sales in integer minor units'),
    minimum: z.number().int().min(0).max(100).describe('people the position needs in every trading hour, however quiet'),
    prepHours: z.number().int().min(0).max(MAX_EDGE_HOURS).optional().describe('hours before the first trading hour to staff at the minimum (at least 1 person)'),
    closeHours: z.number().int().min(0).max(MAX_EDGE_HOURS).optional().describe('hours after the last trading hour to staff at the minimum (at least 1 person)'),
  })
  .refine((target) => (target.driver === 'netSales' ? Number.isInteger(target.perPersonHour) : Number.isInteger(Math.round(target.perPersonHour * 1e6) / 1e4)), {
    message: 'perPersonHour must be whole minor units for netSales, at most 2 decimals for covers and orders',
    path: ['perPersonHour'],
  });

export const putTargetsSchema = z.strictObject({
  positions: z
    .array(positionTargetSchema)
    .min(1)
    .max(MAX_TARGET_POSITIONS)
    .refine((positions) => new Set(positions.map((p) => p.positionId)).size === positions.length, 'a position appears once')
    .describe('each position staffed by the forecast'),
  expectedVersion: expectedVersionSchema.optional().describe('the version read (absent for the first write); 409 when stale'),
});
export type PutTargets = z.infer<typeof putTargetsSchema>;

export const staffingQuerySchema = z.strictObject({
  days: z.coerce
    .number({ error: `days must be a whole number from 1 to ${MAX_STAFFING_DAYS}` })
    .int(`days must be a whole number from 1 to ${MAX_STAFFING_DAYS}`)
    .min(1, 'days must be at least 1')
    .max(MAX_STAFFING_DAYS, `days must be at most ${MAX_STAFFING_DAYS}`)
    .default(7)
    .describe(`days ahead, 1 to ${MAX_STAFFING_DAYS}, from the day after the last closed day learnt`),
  format: z.enum(['json', 'csv']).default('json').describe('csv: one row per day, hour and position'),
  runId: runIdQueryField,
});
export type StaffingQuery = z.infer<typeof staffingQuerySchema>;
