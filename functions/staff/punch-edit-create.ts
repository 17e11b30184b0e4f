import { fingerprintOf, idempotencyKeyFrom, withIdempotency } from '#shared/idempotency';
import { config } from './config';
import { httpRoute } from './policies';
import { punchEditBodySchema } from './punch-edit-rules';
import { requestPunchEdit } from './punch-edits';
import { staffParamsSchema } from './schemas';

const route = 'POST /sites/{siteId}/staff/{userId}/punch-edits';

// A correction of the person's punches, pending until a manager approves it. An Idempotency-Key (required) makes a
// retried request one edit, not two.
export const handler = httpRoute({ route, params: staffParamsSchema, body: punchEditBodySchema, bodyLimit: 8 * 1024 }, async ({ caller, params, body, headers }) =>
  withIdempotency({ tableName: config.TABLE_NAME, scope: `${route}#${params.siteId}#${caller.userId}#${params.userId}` }, idempotencyKeyFrom(headers), fingerprintOf(params, body), async () => ({
    status: 201,
    body: await requestPunchEdit(caller, params.siteId, params.userId, body),
  })),
);
