// The reports' query strings. Dates are the site's local dates, both included; `format=csv` answers CSV
// (report-csv.ts), JSON otherwise. A range is at most MAX_REPORT_DAYS long: each day is one index query.
import * as z from 'zod';
import { isoDateSchema } from '#shared/time';
import { daysIn, MAX_REPORT_DAYS } from './report-rules';

const format = z.enum(['json', 'csv']).default('json');

export const reportFormatQuerySchema = z.object({ format });

export const reportRangeQuerySchema = z
  .object({ from: isoDateSchema, to: isoDateSchema, format })
  .refine((q) => q.from <= q.to, { path: ['from'], message: 'must be on or before `to`' })
  .refine((q) => q.from > q.to || daysIn(q.from, q.to) <= MAX_REPORT_DAYS, { path: ['to'], message: `a report covers at most ${MAX_REPORT_DAYS} days` });
export type ReportRange = z.infer<typeof reportRangeQuerySchema>;
