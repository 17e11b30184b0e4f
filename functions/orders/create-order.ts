import { fingerprintOf, idempotencyKeyFrom, withIdempotency } from '#shared/idempotency';
import { config } from './config';
import { publicOrder } from './order-queries';
import { placeOrder } from './orders';
import { createOrderSchema, siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/orders', params: siteParamsSchema, body: createOrderSchema, bodyLimit: 32 * 1024 },
  async ({ caller, params, body, headers, correlationId }) =>
    withIdempotency(
      // Replays wait for the first attempt, which may be retrying against a fast-moving countdown.
      { tableName: config.TABLE_NAME, scope: `orders-create#${params.siteId}#${caller.userId}`, waitMs: 15_000 },
      idempotencyKeyFrom(headers),
      fingerprintOf(params, body),
      async () => {
        const order = await placeOrder({ siteId: params.siteId, caller, correlationId }, body);
        return { status: 201, body: publicOrder(order), headers: { location: `/sites/${order.siteId}/orders/${order.orderId}` } };
      },
    ),
);
