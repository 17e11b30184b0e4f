import { fingerprintOf, idempotencyKeyFrom, withIdempotency } from '#shared/idempotency';
import { config } from './config';
import { publicOrder } from './order-queries';
import { recordPayment } from './payments';
import { orderParamsSchema, paymentSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/orders/{orderId}/payments', params: orderParamsSchema, body: paymentSchema, bodyLimit: 2 * 1024 },
  async ({ caller, params, body, headers, correlationId }) => {
    const idempotencyKey = idempotencyKeyFrom(headers);
    return withIdempotency(
      { tableName: config.TABLE_NAME, scope: `orders-payment#${params.siteId}#${params.orderId}#${caller.userId}`, waitMs: 15_000 },
      idempotencyKey,
      fingerprintOf(params, body),
      async () => {
        const { payment, order } = await recordPayment({ siteId: params.siteId, caller, correlationId, idempotencyKey }, params.orderId, body);
        return { status: 201, body: { payment, order: publicOrder(order) } };
      },
    );
  },
);
