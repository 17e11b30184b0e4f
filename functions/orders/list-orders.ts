import { httpRoute } from '#shared/http';
import { listOrders } from './order-queries';
import { listOrdersQuerySchema, siteParamsSchema } from './schemas';

export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/orders', params: siteParamsSchema, query: listOrdersQuerySchema },
  async ({ params, query }) => ({ body: await listOrders(params.siteId, query) }),
);
