import { httpRoute } from '#shared/http';
import { publicOrder } from './order-queries';
import { removeOrderLine } from './orders';
import { lineParamsSchema } from './schemas';

export const handler = httpRoute(
  { route: 'DELETE /sites/{siteId}/orders/{orderId}/lines/{lineId}', params: lineParamsSchema },
  async ({ caller, params, correlationId }) => ({
    body: publicOrder(await removeOrderLine({ siteId: params.siteId, caller, correlationId }, params.orderId, params.lineId)),
  }),
);
