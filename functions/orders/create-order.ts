import { fingerprintOf, idempotencyKeyFrom, idempotentRequest } from '#shared/idempotency';
import { config } from './config';
import { publicOrder } from './order-queries';
import { placeOrder } from './orders';
import { createOrderSchema, siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

// The Idempotency-Key's record commits in the order's own transaction (orders.ts placeOrder), not around it.
export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/orders', params: siteParamsSchema, body: createOrderSchema, bodyLimit: 32 * 1024 },
  async ({ caller, params, body, headers, correlationId }) =>
    placeOrder({ siteId: params.siteId, caller, correlationId }, body, {
      idempotency: idempotentRequest(
        { tableName: config.TABLE_NAME, scope: `orders-create#${params.siteId}#${caller.userId}` },
        idempotencyKeyFrom(headers),
        fingerprintOf(params, body),
      ),
      respond: (order) => ({ status: 201, body: publicOrder(order), headers: { location: `/sites/${order.siteId}/orders/${order.orderId}` } }),
    }),
);
