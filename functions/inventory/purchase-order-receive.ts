import { fingerprintOf, idempotencyKeyFrom, idempotentRequest } from '#shared/idempotency';
import { config } from './config';
import { receiveAgainstPurchaseOrder } from './purchase-order-receiving';
import { httpRoute } from './policies';
import { purchaseOrderParamsSchema, receiptSchema } from './schemas';

const route = 'POST /sites/{siteId}/inventory/purchase-orders/{purchaseOrderId}/receipts';

// A delivery received against a sent PO, with a required Idempotency-Key scoped to the site, the caller and the
// route, as the movement routes: a retry answers the first response byte for byte.
export const handler = httpRoute({ route, params: purchaseOrderParamsSchema, body: receiptSchema, bodyLimit: 32 * 1024 }, async ({ caller, params, body, headers, correlationId }) =>
  receiveAgainstPurchaseOrder(
    { siteId: params.siteId, caller, correlationId },
    params.purchaseOrderId,
    body,
    idempotentRequest({ tableName: config.TABLE_NAME, scope: `${route}#${params.siteId}#${caller.userId}` }, idempotencyKeyFrom(headers), fingerprintOf(params, body)),
  ),
);
