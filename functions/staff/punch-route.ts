// The four time-clock POSTs differ only in their route, their body and the tap they make: one builder. Each takes an
// Idempotency-Key (required), scoped to the route, the site, the caller and the person, so a retried tap on a flaky
// kitchen Wi-Fi punches once and gets the first answer again.
import type * as z from 'zod';
import { fingerprintOf, idempotencyKeyFrom, idempotentRequest } from '#shared/idempotency';
import { punch } from './clock';
import type { PunchKind } from './clock-rules';
import { config } from './config';
import { httpRoute, type policies } from './policies';
import { staffParamsSchema, type clockInBodySchema } from './schemas';

type PunchRoute = Extract<keyof typeof policies, `POST /sites/{siteId}/staff/{userId}/${PunchKind}`>;

export function punchRoute<B extends z.ZodType<z.output<typeof clockInBodySchema>>>(kind: PunchKind, body: B) {
  const route = `POST /sites/{siteId}/staff/{userId}/${kind}` as PunchRoute;
  return httpRoute({ route, params: staffParamsSchema, body, bodyLimit: 1024 }, async ({ caller, params, body: input, headers, correlationId }) =>
    punch(
      kind,
      { caller, siteId: params.siteId, userId: params.userId, correlationId, positionId: input.positionId, deviceTime: input.deviceTime },
      idempotentRequest({ tableName: config.TABLE_NAME, scope: `${route}#${params.siteId}#${caller.userId}#${params.userId}` }, idempotencyKeyFrom(headers), fingerprintOf(params, input)),
    ),
  );
}
