import { createPurchaseOrder, publicPurchaseOrder } from './purchase-order-lifecycle';
import { httpRoute } from './policies';
import { createPurchaseOrderSchema, siteParamsSchema } from './schemas';

// A manual PO: a draft for one supplier, its lines priced from the supplier's offers (422 for an item not offered).
export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/inventory/purchase-orders', params: siteParamsSchema, body: createPurchaseOrderSchema, bodyLimit: 16 * 1024 },
  async ({ params, body }) => {
    const po = await createPurchaseOrder(params.siteId, body);
    return { status: 201, body: publicPurchaseOrder(po), headers: { location: `/sites/${params.siteId}/inventory/purchase-orders/${po.purchaseOrderId}` } };
  },
);
