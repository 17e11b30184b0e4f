// The analytics routes' path and query strings. Dates are the site's business days, both included; unknown query
// parameters are refused (400), so a misspelt `grian=week` is not silently a daily report.
import * as z from 'zod';
import { siteIdSchema } from '#shared/identity';
import { isoDateSchema } from '#shared/time';
import { daysBetween, FIGURE_NAMES } from './sales-rules';

export const siteParamsSchema = z.object({ siteId: siteIdSchema });

export const dashboardQuerySchema = z.strictObject({
  date: isoDateSchema.optional().describe("the business day; today in the site's time zone by default"),
  format: z.enum(['json', 'csv']).default('json').describe('csv: one row per hour of the day, with the same hour a week before'),
});

/** The longest range a report reads at each grain, in days: what one request may cost. */
export const MAX_RANGE_DAYS = { day: 400, week: 800, month: 1830 } as const;

export const salesQuerySchema = z
  .strictObject({
    from: isoDateSchema.describe('first business day'),
    to: isoDateSchema.describe('last business day, included'),
    grain: z.enum(['day', 'week', 'month']).default('day').describe('one row per day, ISO week (Monday) or calendar month'),
    compare: z.enum(['previous', 'last-year']).optional().describe('also the same number of days just before, or the same dates a year earlier'),
    format: z.enum(['json', 'csv']).default('json'),
    metrics: z
      .string()
      .transform((list) => list.split(',').map((name) => name.trim()))
      .pipe(z.array(z.enum(FIGURE_NAMES, { error: (issue) => `unknown metric ${JSON.stringify(issue.input)}: one of ${FIGURE_NAMES.join(', ')}` })).min(1))
      .optional()
      .describe('comma-separated figures to report (all by default)'),
  })
  .refine((q) => q.from <= q.to, { path: ['from'], message: 'must be on or before `to`' })
  .refine((q) => q.from > q.to || daysBetween(q.from, q.to) <= MAX_RANGE_DAYS[q.grain], {
    path: ['to'],
    message: `a report covers at most ${MAX_RANGE_DAYS.day} days at grain=day, ${MAX_RANGE_DAYS.week} at week, ${MAX_RANGE_DAYS.month} at month`,
  });
export type SalesQuery = z.infer<typeof salesQuerySchema>;

/** The heat map reads every hour of every day of its range: at most a quarter's worth of hour items. */
export const MAX_HEATMAP_DAYS = 92;

export const heatmapQuerySchema = z
  .strictObject({
    from: isoDateSchema.describe('first business day'),
    to: isoDateSchema.describe('last business day, included'),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => q.from <= q.to, { path: ['from'], message: 'must be on or before `to`' })
  .refine((q) => q.from > q.to || daysBetween(q.from, q.to) <= MAX_HEATMAP_DAYS, { path: ['to'], message: `a heat map covers at most ${MAX_HEATMAP_DAYS} days` });
export type HeatmapQuery = z.infer<typeof heatmapQuerySchema>;
