import { publicOrder } from './order-queries';
import { addOrderLine } from './orders';
import { addLineSchema, orderParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/orders/{orderId}/lines', params: orderParamsSchema, body: addLineSchema, bodyLimit: 4 * 1024 },
  async ({ caller, params, body, correlationId }) => ({
    status: 201,
    body: publicOrder(await addOrderLine({ siteId: params.siteId, caller, correlationId }, params.orderId, body)),
  }),
);
