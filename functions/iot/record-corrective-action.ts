import { recordCorrectiveAction } from './incidents';
import { correctiveActionSchema, incidentParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/incidents/{incidentId}/actions', params: incidentParamsSchema, body: correctiveActionSchema, bodyLimit: 4 * 1024 },
  async ({ params, body, caller }) => ({ status: 201, body: await recordCorrectiveAction(params.siteId, params.incidentId, body, caller) }),
);
