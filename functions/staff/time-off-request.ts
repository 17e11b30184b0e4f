import { fingerprintOf, idempotencyKeyFrom, withIdempotency } from '#shared/idempotency';
import { config } from './config';
import { httpRoute } from './policies';
import { staffParamsSchema } from './schemas';
import { requestTimeOff } from './time-off';
import { timeOffBodySchema } from './time-off-schemas';

const route = 'POST /sites/{siteId}/staff/{userId}/time-off';

// Asks for days off (201, pending); 409 when it overlaps a pending or approved request of the person. The
// Idempotency-Key (required) answers a retry with the first response instead of a 409 against itself.
export const handler = httpRoute({ route, params: staffParamsSchema, body: timeOffBodySchema, bodyLimit: 2048 }, async ({ caller, params, body, headers }) =>
  withIdempotency(
    { tableName: config.TABLE_NAME, scope: `${route}#${params.siteId}#${caller.userId}#${params.userId}` },
    idempotencyKeyFrom(headers),
    fingerprintOf(params, body),
    async () => ({ status: 201, body: await requestTimeOff(caller, params.siteId, params.userId, body) }),
  ),
);
