import { getPurchaseOrder, purchaseOrderSheet } from './purchase-order-lifecycle';
import { httpRoute } from './policies';
import { reportFormatQuerySchema } from './report-schemas';
import { purchaseOrderParamsSchema } from './schemas';

// The PO with its receipts; `?format=csv` answers the order sheet a supplier reads (purchase-order-sheet.ts).
// Another site's PO (or none) is a 404.
export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/inventory/purchase-orders/{purchaseOrderId}', params: purchaseOrderParamsSchema, query: reportFormatQuerySchema },
  async ({ params, query }) =>
    query.format === 'csv' ? purchaseOrderSheet(params.siteId, params.purchaseOrderId) : { body: await getPurchaseOrder(params.siteId, params.purchaseOrderId) },
);
