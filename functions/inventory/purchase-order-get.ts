import { getPurchaseOrder } from './purchase-order-lifecycle';
import { httpRoute } from './policies';
import { purchaseOrderParamsSchema } from './schemas';

// The PO with its receipts; another site's PO (or none) is a 404.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/inventory/purchase-orders/{purchaseOrderId}', params: purchaseOrderParamsSchema }, async ({ params }) => ({
  body: await getPurchaseOrder(params.siteId, params.purchaseOrderId),
}));
