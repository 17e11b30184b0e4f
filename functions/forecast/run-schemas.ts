// The forecast runs' routes: path and query; unknown parameters are refused (400).
import * as z from 'zod';
import { siteIdSchema } from '#shared/identity';

export const runParamsSchema = z.object({
  siteId: siteIdSchema,
  runId: z
    .string()
    .regex(/^r\d{8}T\d{9}Z-[0-9a-f]{4}$/, 'runId is a run id as GET …/forecast/runs lists them (r20261203T031500123Z-9f3a)')
    .describe('the run'),
});

export const runsQuerySchema = z.strictObject({
  limit: z.coerce
    .number({ error: 'limit must be a whole number from 1 to 100' })
    .int('limit must be a whole number from 1 to 100')
    .min(1, 'limit must be at least 1')
    .max(100, 'limit must be at most 100')
    .default(20)
    .describe('runs per page, newest first'),
  cursor: z.string().min(1).max(2048).optional().describe('nextCursor of the previous page'),
});

/** `?runId=` on a forecast read: that run's stored forecast instead of the latest. */
export const runIdQueryField = runParamsSchema.shape.runId.optional().describe('a stored run to read (default: the latest)');
