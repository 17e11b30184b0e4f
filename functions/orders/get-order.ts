import { getOrder } from './order-queries';
import { orderParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /sites/{siteId}/orders/{orderId}', params: orderParamsSchema }, async ({ params }) => ({
  body: await getOrder(params.siteId, params.orderId),
}));
