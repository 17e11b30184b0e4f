import { httpRoute } from '#shared/http';
import { publicOrder } from './order-queries';
import { voidOrderAs } from './orders';
import { orderParamsSchema, voidSchema } from './schemas';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/orders/{orderId}/void', params: orderParamsSchema, body: voidSchema, bodyLimit: 1024 },
  async ({ caller, params, body, correlationId }) => ({
    body: publicOrder(await voidOrderAs({ siteId: params.siteId, caller, correlationId }, params.orderId, body)),
  }),
);
