// The accuracy route's query; unknown parameters are refused (400).
import * as z from 'zod';
import { isoDateSchema } from '#shared/time';
import { FORECAST_METRICS } from './forecast-rules';
import { TRACKED_HORIZONS } from './run-rules';

/** Widest range one accuracy read compares: a year and a month, as far back as runs are kept. */
export const MAX_ACCURACY_DAYS = 400;

export const accuracyQuerySchema = z
  .strictObject({
    metric: z.enum(FORECAST_METRICS).default('netSales').describe('the daily figure'),
    horizon: z
      .enum(TRACKED_HORIZONS.map(String) as [string, ...string[]])
      .default('1')
      .transform(Number)
      .describe('days ahead the forecast was made: 1 (the day before) or 7 (a week before)'),
    from: isoDateSchema.optional().describe('first day compared (default: 27 days before `to`)'),
    to: isoDateSchema.optional().describe('last day compared (default: the last day learnt)'),
    format: z.enum(['json', 'csv']).default('json').describe('csv: one row per day'),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from must not be after to', path: ['from'] });
export type AccuracyQuery = z.infer<typeof accuracyQuerySchema>;
