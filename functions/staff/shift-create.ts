import { fingerprintOf, idempotencyKeyFrom, withIdempotency } from '#shared/idempotency';
import { config } from './config';
import { httpRoute } from './policies';
import { createShift } from './schedule';
import { createShiftSchema, scheduleParamsSchema } from './schedule-schemas';

const route = 'POST /sites/{siteId}/schedule/shifts';

// A manager adds a draft shift (201): assigned to a person with the position, or open; conflicts refused or flagged.
// The Idempotency-Key (required) makes a retried create one shift, answered again with the first response.
export const handler = httpRoute({ route, params: scheduleParamsSchema, body: createShiftSchema, bodyLimit: 4096 }, async ({ caller, params, body, headers }) =>
  withIdempotency({ tableName: config.TABLE_NAME, scope: `${route}#${params.siteId}#${caller.userId}` }, idempotencyKeyFrom(headers), fingerprintOf(params, body), async () => ({
    status: 201,
    body: await createShift(caller, params.siteId, body),
  })),
);
