// The forecast route's path and query string; unknown query parameters are refused (400).
import * as z from 'zod';
import { siteIdSchema } from '#shared/identity';
import { FORECAST_METRICS, MAX_FORECAST_DAYS } from './forecast-rules';

export const siteParamsSchema = z.object({ siteId: siteIdSchema });

export const salesForecastQuerySchema = z.strictObject({
  days: z.coerce
    .number({ error: `days must be a whole number from 1 to ${MAX_FORECAST_DAYS}` })
    .int(`days must be a whole number from 1 to ${MAX_FORECAST_DAYS}`)
    .min(1, `days must be at least 1`)
    .max(MAX_FORECAST_DAYS, `days must be at most ${MAX_FORECAST_DAYS}`)
    .default(7)
    .describe(`days ahead, 1 to ${MAX_FORECAST_DAYS}, from the day after the last closed day learnt`),
  metric: z.enum(FORECAST_METRICS).default('netSales').describe('the daily figure to forecast'),
  format: z.enum(['json', 'csv']).default('json').describe('csv: one row per day forecast'),
});
export type SalesForecastQuery = z.infer<typeof salesForecastQuerySchema>;
