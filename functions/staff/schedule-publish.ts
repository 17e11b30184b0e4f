import { publishSchedule } from './schedule-publishing';
import { publishBodySchema, scheduleParamsSchema } from './schedule-schemas';
import { httpRoute } from './policies';

// A manager publishes the drafts (and the edited published shifts) of local days `from`..`to`; each person is told.
export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/schedule/publish', params: scheduleParamsSchema, body: publishBodySchema, bodyLimit: 1024 },
  async ({ caller, params, body, correlationId }) => ({ body: await publishSchedule(caller, params.siteId, body.from, body.to, correlationId) }),
);
