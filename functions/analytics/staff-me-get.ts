import { httpRoute } from './policies';
import { reportQuerySchema } from './report-schemas';
import { siteParamsSchema } from './schemas';
import { staffReport } from './staff-report';

// The caller's own performance over a range (any member of the site; only their own row); ?format=csv.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/analytics/staff/me', params: siteParamsSchema, query: reportQuerySchema }, async ({ caller, params, query }) =>
  staffReport(params.siteId, query, caller.userId),
);
