import { publicOrder } from './order-queries';
import { changeOrderStatus } from './orders';
import { orderParamsSchema, statusChangeSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/orders/{orderId}/status', params: orderParamsSchema, body: statusChangeSchema, bodyLimit: 1024 },
  async ({ caller, params, body, correlationId }) => ({
    body: publicOrder(await changeOrderStatus({ siteId: params.siteId, caller, correlationId }, params.orderId, body)),
  }),
);
