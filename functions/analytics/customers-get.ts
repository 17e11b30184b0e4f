import { customersReport } from './customers-report';
import { httpRoute } from './policies';
import { customersQuerySchema } from './report-schemas';
import { siteParamsSchema } from './schemas';

// Known customers over a range: new and returning, repeat rate, visits, spend, lapsed regulars (refs only); ?format=csv.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/analytics/customers', params: siteParamsSchema, query: customersQuerySchema }, async ({ params, query }) =>
  customersReport(params.siteId, query),
);
