import { fingerprintOf, idempotencyKeyFrom, idempotentRequest } from '#shared/idempotency';
import { config } from './config';
import { createPurchaseOrder } from './purchase-order-lifecycle';
import { httpRoute } from './policies';
import { createPurchaseOrderSchema, siteParamsSchema } from './schemas';

const route = 'POST /sites/{siteId}/inventory/purchase-orders';

// A manual PO: a draft for one supplier, its lines priced from the supplier's offers (422 for an item not offered).
// A required Idempotency-Key (scoped to the site, the caller and the route): a double submit makes one draft.
export const handler = httpRoute({ route, params: siteParamsSchema, body: createPurchaseOrderSchema, bodyLimit: 16 * 1024 }, async ({ caller, params, body, headers }) =>
  createPurchaseOrder(
    params.siteId,
    body,
    idempotentRequest({ tableName: config.TABLE_NAME, scope: `${route}#${params.siteId}#${caller.userId}` }, idempotencyKeyFrom(headers), fingerprintOf(params, body)),
  ),
);
