import { httpRoute } from './policies';
import { usageAnswer } from './reports';
import { reportRangeQuerySchema } from './report-schemas';
import { siteParamsSchema } from './schemas';

// Theoretical (sales) against actual (the shelf, by the ledger and its counts) usage per item over local dates
// ?from=…&to=… (both included, at most 92 days); ?format=csv for a spreadsheet.
export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/inventory/reports/usage', params: siteParamsSchema, query: reportRangeQuerySchema },
  ({ params, query }) => usageAnswer(params.siteId, query),
);
