import { listOrders } from './order-queries';
import { listOrdersQuerySchema, siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/orders', params: siteParamsSchema, query: listOrdersQuerySchema },
  async ({ params, query }) => ({ body: await listOrders(params.siteId, query) }),
);
