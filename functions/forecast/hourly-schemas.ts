// The hourly forecast route's query string; unknown query parameters are refused (400).
import * as z from 'zod';
import { runIdQueryField } from './run-schemas';
import { FORECAST_METRICS } from './forecast-rules';
import { MAX_HOURLY_FORECAST_DAYS } from './hourly-forecast-rules';

export const hourlyForecastQuerySchema = z.strictObject({
  days: z.coerce
    .number({ error: `days must be a whole number from 1 to ${MAX_HOURLY_FORECAST_DAYS}` })
    .int(`days must be a whole number from 1 to ${MAX_HOURLY_FORECAST_DAYS}`)
    .min(1, `days must be at least 1`)
    .max(MAX_HOURLY_FORECAST_DAYS, `days must be at most ${MAX_HOURLY_FORECAST_DAYS}`)
    .default(MAX_HOURLY_FORECAST_DAYS)
    .describe(`days ahead, 1 to ${MAX_HOURLY_FORECAST_DAYS}, from the day after the last closed day learnt`),
  metric: z.enum(FORECAST_METRICS).default('netSales').describe('the hourly figure to forecast'),
  format: z.enum(['json', 'csv']).default('json').describe('csv: one row per day and hour forecast'),
  runId: runIdQueryField,
});
export type HourlyForecastQuery = z.infer<typeof hourlyForecastQuerySchema>;
