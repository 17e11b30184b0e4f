import { httpRoute } from './policies';
import { salesReport } from './sales';
import { salesQuerySchema, siteParamsSchema } from './schemas';

// Sales over a range by day, week or month, optionally against the previous period or last year; ?format=csv.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/analytics/sales', params: siteParamsSchema, query: salesQuerySchema }, async ({ params, query }) =>
  salesReport(params.siteId, query),
);
