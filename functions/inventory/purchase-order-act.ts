import { actOnPurchaseOrder, publicPurchaseOrder } from './purchase-order-lifecycle';
import { httpRoute } from './policies';
import { purchaseOrderActionSchema, purchaseOrderParamsSchema } from './schemas';

// approve, send, cancel, close-short: 409 naming from → to when the PO's status does not allow it.
export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/inventory/purchase-orders/{purchaseOrderId}/actions', params: purchaseOrderParamsSchema, body: purchaseOrderActionSchema, bodyLimit: 1024 },
  async ({ caller, params, body, correlationId }) => ({
    body: publicPurchaseOrder(await actOnPurchaseOrder({ siteId: params.siteId, caller, correlationId }, params.purchaseOrderId, body)),
  }),
);
