import { fingerprintOf, idempotencyKeyFrom, idempotentRequest } from '#shared/idempotency';
import { config } from './config';
import { discardHold } from './holds';
import { closeHoldSchema, holdParamsSchema } from './hold-schemas';
import { httpRoute } from './policies';

const route = 'POST /sites/{siteId}/inventory/holds/{holdId}/discard';

// Books `quarantined` waste of the held stock at its average cost and closes the hold; takes an Idempotency-Key.
export const handler = httpRoute({ route, params: holdParamsSchema, body: closeHoldSchema, bodyLimit: 2 * 1024 }, async ({ params, body, caller, headers, correlationId }) =>
  discardHold(
    { siteId: params.siteId, caller, correlationId },
    params.holdId,
    body.note,
    idempotentRequest({ tableName: config.TABLE_NAME, scope: `${route}#${params.siteId}#${caller.userId}` }, idempotencyKeyFrom(headers), fingerprintOf(params, body)),
  ),
);
