import { publicOrder } from './order-queries';
import { changeOrderLineStatus } from './orders';
import { lineParamsSchema, lineStatusSchema } from './schemas';
import { httpRoute } from './policies';

// The kitchen display marks a line fired, then done.
export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/orders/{orderId}/lines/{lineId}/status', params: lineParamsSchema, body: lineStatusSchema, bodyLimit: 1024 },
  async ({ caller, params, body, correlationId }) => ({
    body: publicOrder(await changeOrderLineStatus({ siteId: params.siteId, caller, correlationId }, params.orderId, params.lineId, body.status)),
  }),
);
