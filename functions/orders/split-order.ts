import { publicOrder } from './order-queries';
import { splitOrder } from './orders';
import { orderParamsSchema, splitSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/orders/{orderId}/split', params: orderParamsSchema, body: splitSchema, bodyLimit: 8 * 1024 },
  async ({ caller, params, body, correlationId }) => ({
    body: publicOrder(await splitOrder({ siteId: params.siteId, caller, correlationId }, params.orderId, body)),
  }),
);
