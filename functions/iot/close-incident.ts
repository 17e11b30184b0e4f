import { closeIncident } from './incidents';
import { closeIncidentSchema, incidentParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/incidents/{incidentId}/close', params: incidentParamsSchema, body: closeIncidentSchema, bodyLimit: 4 * 1024 },
  async ({ params, body, caller }) => ({ body: await closeIncident(params.siteId, params.incidentId, body.note, caller) }),
);
