// The item and ingredient forecast routes' query strings; unknown query parameters are refused (400).
import * as z from 'zod';
import { MAX_ITEM_FORECAST_DAYS } from './item-forecast-rules';
import { runIdQueryField } from './run-schemas';
import { daysAheadField } from './schemas';

export const itemForecastQuerySchema = z.strictObject({
  days: daysAheadField(MAX_ITEM_FORECAST_DAYS, MAX_ITEM_FORECAST_DAYS),
  format: z.enum(['json', 'csv']).default('json').describe('csv: one row per item (or ingredient) and day'),
  runId: runIdQueryField,
});
export type ItemForecastQuery = z.infer<typeof itemForecastQuerySchema>;
