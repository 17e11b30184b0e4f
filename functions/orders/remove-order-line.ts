import { publicOrder } from './order-queries';
import { removeOrderLine } from './orders';
import { lineParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'DELETE /sites/{siteId}/orders/{orderId}/lines/{lineId}', params: lineParamsSchema },
  async ({ caller, params, correlationId }) => ({
    body: publicOrder(await removeOrderLine({ siteId: params.siteId, caller, correlationId }, params.orderId, params.lineId)),
  }),
);
