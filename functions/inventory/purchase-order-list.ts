import { listPurchaseOrders } from './purchase-order-lifecycle';
import { httpRoute } from './policies';
import { purchaseOrderListQuerySchema, siteParamsSchema } from './schemas';

// `?status=open` (the default) or one status, page by page; the cursor is bound to the site and the status.
export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/inventory/purchase-orders', params: siteParamsSchema, query: purchaseOrderListQuerySchema },
  async ({ params, query }) => ({ body: await listPurchaseOrders(params.siteId, query) }),
);
