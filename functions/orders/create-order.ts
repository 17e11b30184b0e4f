import { fingerprintOf, idempotencyKeyFrom, idempotentRequest } from '#shared/idempotency';
import { config } from './config';
import { publicOrder } from './order-queries';
import { placeOrder, withCustomerRef } from './orders';
import { createOrderSchema, siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

// The Idempotency-Key's record commits in the order's own transaction (orders.ts placeOrder), not around it. The
// request is fingerprinted with its customer already hashed, so that record never holds a phone number either.
export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/orders', params: siteParamsSchema, body: createOrderSchema, bodyLimit: 32 * 1024 },
  async ({ caller, params, body, headers, correlationId }) => {
    const input = await withCustomerRef(body);
    return placeOrder({ siteId: params.siteId, caller, correlationId }, input, {
      idempotency: idempotentRequest(
        { tableName: config.TABLE_NAME, scope: `orders-create#${params.siteId}#${caller.userId}` },
        idempotencyKeyFrom(headers),
        fingerprintOf(params, input),
      ),
      respond: (order) => ({ status: 201, body: publicOrder(order), headers: { location: `/sites/${order.siteId}/orders/${order.orderId}` } }),
    });
  },
);
