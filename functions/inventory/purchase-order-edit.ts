import { editPurchaseOrder, publicPurchaseOrder } from './purchase-order-lifecycle';
import { httpRoute } from './policies';
import { editPurchaseOrderSchema, purchaseOrderParamsSchema } from './schemas';

// A draft's lines replaced, priced from the offers now; 409 when it is no longer a draft or `expectedVersion` is stale.
export const handler = httpRoute(
  { route: 'PATCH /sites/{siteId}/inventory/purchase-orders/{purchaseOrderId}', params: purchaseOrderParamsSchema, body: editPurchaseOrderSchema, bodyLimit: 16 * 1024 },
  async ({ params, body }) => ({ body: publicPurchaseOrder(await editPurchaseOrder(params.siteId, params.purchaseOrderId, body)) }),
);
