// The five movement POSTs differ only in their route, body and how the body becomes a movement: one builder.
// Each takes an Idempotency-Key (required), scoped to the site, the caller and the route, as orders' create-order.
import type * as z from 'zod';
import { fingerprintOf, idempotencyKeyFrom, idempotentRequest } from '#shared/idempotency';
import { config } from './config';
import { recordMovement, type MovementRequest } from './movements';
import { httpRoute, type policies } from './policies';
import { itemParamsSchema } from './schemas';

type MovementRoute = Extract<keyof typeof policies, `POST /sites/{siteId}/inventory/items/{itemId}/${string}`>;

export function movementRoute<B extends z.ZodType>(route: MovementRoute, body: B, toRequest: (body: z.infer<B>) => MovementRequest) {
  return httpRoute({ route, params: itemParamsSchema, body, bodyLimit: 4 * 1024 }, async ({ caller, params, body: input, headers, correlationId }) =>
    recordMovement(
      { siteId: params.siteId, caller, correlationId },
      params.itemId,
      toRequest(input),
      idempotentRequest({ tableName: config.TABLE_NAME, scope: `${route}#${params.siteId}#${caller.userId}` }, idempotencyKeyFrom(headers), fingerprintOf(params, input)),
    ),
  );
}
