import { rejectStore } from './config';
import { rejectsQuerySchema, siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

// What telemetry was refused and why (invalid readings, unknown devices, messages the rule could not deliver).
export const handler = httpRoute({ route: 'GET /sites/{siteId}/telemetry-rejects', params: siteParamsSchema, query: rejectsQuerySchema }, async ({ params, query }) => ({
  body: await rejectStore.listRejects(params.siteId, query),
}));
