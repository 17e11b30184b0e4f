// The forecast route's path and query string; unknown query parameters are refused (400).
import * as z from 'zod';
import { siteIdSchema } from '#shared/identity';
import { FORECAST_METRICS, MAX_FORECAST_DAYS } from './forecast-rules';
import { runIdQueryField } from './run-schemas';

export const siteParamsSchema = z.object({ siteId: siteIdSchema });

/** `?days=` of every forecast route: a whole number of days ahead, 1 to `max`, each limit named in its 400. */
export const daysAheadField = (max: number, byDefault: number) =>
  z.coerce
    .number({ error: `days must be a whole number from 1 to ${max}` })
    .int(`days must be a whole number from 1 to ${max}`)
    .min(1, `days must be at least 1`)
    .max(max, `days must be at most ${max}`)
    .default(byDefault)
    .describe(`days ahead, 1 to ${max}, from the day after the last closed day learnt`);

export const salesForecastQuerySchema = z.strictObject({
  days: daysAheadField(MAX_FORECAST_DAYS, 7),
  metric: z.enum(FORECAST_METRICS).default('netSales').describe('the daily figure to forecast'),
  format: z.enum(['json', 'csv']).default('json').describe('csv: one row per day forecast'),
  runId: runIdQueryField,
});
export type SalesForecastQuery = z.infer<typeof salesForecastQuerySchema>;
