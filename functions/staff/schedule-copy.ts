import { fingerprintOf, idempotencyKeyFrom, withIdempotency } from '#shared/idempotency';
import { config } from './config';
import { httpRoute } from './policies';
import { copySchedule } from './schedule-copying';
import { copyScheduleSchema, scheduleParamsSchema } from './schedule-schemas';

const route = 'POST /sites/{siteId}/schedule/copy';

// A manager copies some days' shifts forward as drafts (200 with what was copied and what the rules refused). The
// Idempotency-Key (required) makes a retried copy one set of drafts, answered again with the first response.
export const handler = httpRoute({ route, params: scheduleParamsSchema, body: copyScheduleSchema, bodyLimit: 1024 }, async ({ caller, params, body, headers }) =>
  withIdempotency({ tableName: config.TABLE_NAME, scope: `${route}#${params.siteId}#${caller.userId}` }, idempotencyKeyFrom(headers), fingerprintOf(params, body), async () => ({
    status: 200,
    body: await copySchedule(caller, params.siteId, body),
  })),
);
