import { httpRoute } from './policies';
import { reportQuerySchema } from './report-schemas';
import { siteParamsSchema } from './schemas';
import { staffReport } from './staff-report';

// Every server's performance over a range, for managers; ?format=csv.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/analytics/staff', params: siteParamsSchema, query: reportQuerySchema }, async ({ params, query }) =>
  staffReport(params.siteId, query),
);
