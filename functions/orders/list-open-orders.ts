import { listOpenOrders } from './order-queries';
import { openOrdersQuerySchema, siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/open-orders', params: siteParamsSchema, query: openOrdersQuerySchema },
  async ({ params, query }) => ({ body: { orders: await listOpenOrders(params.siteId, query.station) } }),
);
