import { fingerprintOf, idempotencyKeyFrom, withIdempotency } from '#shared/idempotency';
import { config } from './config';
import { publicOrder } from './order-queries';
import { refundPayment } from './payments';
import { orderParamsSchema, refundSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/orders/{orderId}/refunds', params: orderParamsSchema, body: refundSchema, bodyLimit: 2 * 1024 },
  async ({ caller, params, body, headers, correlationId }) => {
    const idempotencyKey = idempotencyKeyFrom(headers);
    return withIdempotency(
      { tableName: config.TABLE_NAME, scope: `orders-refund#${params.siteId}#${params.orderId}#${caller.userId}`, waitMs: 15_000 },
      idempotencyKey,
      fingerprintOf(params, body),
      async () => {
        const { refund, order } = await refundPayment({ siteId: params.siteId, caller, correlationId, idempotencyKey }, params.orderId, body);
        return { status: 201, body: { refund, order: publicOrder(order) } };
      },
    );
  },
);
