import { menuReport } from './menu-report';
import { httpRoute } from './policies';
import { reportQuerySchema } from './report-schemas';
import { siteParamsSchema } from './schemas';

// Menu engineering over a range: each item's popularity and contribution margin, its class, top and bottom 5; ?format=csv.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/analytics/menu', params: siteParamsSchema, query: reportQuerySchema }, async ({ params, query }) =>
  menuReport(params.siteId, query),
);
