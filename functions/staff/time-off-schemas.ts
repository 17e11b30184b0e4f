// Time-off requests' bodies, params and queries (time-off.ts has the use cases).
import * as z from 'zod';
import { expectedVersionSchema } from '#shared/versions';
import { pageQueryFields } from '#shared/pages';
import { isoDateSchema } from '#shared/time';
import { idSchema, staffParamsSchema } from './schemas';
import { TIME_OFF_STATUSES } from './time-off-store';

/** The longest single request, in days. */
export const MAX_TIME_OFF_DAYS = 93;

export const timeOffBodySchema = z
  .strictObject({
    from: isoDateSchema.describe('first site-local day off'),
    to: isoDateSchema.describe('last site-local day off (inclusive)'),
    kind: z.enum(['paid', 'unpaid', 'sick']),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .refine((body) => body.from <= body.to, { path: ['to'], message: 'must not be before `from`' })
  .refine((body) => (Date.parse(body.to) - Date.parse(body.from)) / 86_400_000 < MAX_TIME_OFF_DAYS, { path: ['to'], message: `at most ${MAX_TIME_OFF_DAYS} days` });

export const timeOffParamsSchema = staffParamsSchema.extend({ requestId: idSchema });
export const decisionBodySchema = z.strictObject({ decision: z.enum(['approve', 'decline']), expectedVersion: expectedVersionSchema.optional() });
export const siteTimeOffQuerySchema = z.object({ status: z.enum(TIME_OFF_STATUSES).optional(), ...pageQueryFields(500) });
export const timeOffListQuerySchema = z.object(pageQueryFields(500));
