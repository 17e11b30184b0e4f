import { httpRoute } from './policies';
import { wasteAnswer } from './reports';
import { reportRangeQuerySchema } from './report-schemas';
import { siteParamsSchema } from './schemas';

// Waste by reason and by item, quantity and value, over local dates ?from=…&to=… (both included, at most 92 days);
// ?format=csv for a spreadsheet.
export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/inventory/reports/waste', params: siteParamsSchema, query: reportRangeQuerySchema },
  ({ params, query }) => wasteAnswer(params.siteId, query),
);
