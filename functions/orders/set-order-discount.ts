import { publicOrder } from './order-queries';
import { discountOrder } from './orders';
import { discountSchema, orderParamsSchema } from './schemas';
import { httpRoute } from './policies';

// Sets, replaces or (with 0) removes the order's one discount.
export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/orders/{orderId}/discount', params: orderParamsSchema, body: discountSchema, bodyLimit: 1024 },
  async ({ caller, params, body, correlationId }) => ({
    body: publicOrder(await discountOrder({ siteId: params.siteId, caller, correlationId }, params.orderId, body)),
  }),
);
