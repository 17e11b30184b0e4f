import { listLowStock } from './low-stock';
import { httpRoute } from './policies';
import { pageQuerySchema, siteParamsSchema } from './schemas';

// What is low now, as the last review found it: on-hand, usage per day, days of cover, the next delivery.
export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/inventory/low-stock', params: siteParamsSchema, query: pageQuerySchema },
  async ({ params, query }) => ({ body: await listLowStock(params.siteId, query) }),
);
