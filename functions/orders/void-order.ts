import { publicOrder } from './order-queries';
import { voidOrderAs } from './orders';
import { orderParamsSchema, voidSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/orders/{orderId}/void', params: orderParamsSchema, body: voidSchema, bodyLimit: 1024 },
  async ({ caller, params, body, correlationId }) => ({
    body: publicOrder(await voidOrderAs({ siteId: params.siteId, caller, correlationId }, params.orderId, body)),
  }),
);
