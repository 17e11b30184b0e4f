import { httpRoute } from './policies';
import { runNow } from './runs';
import { siteParamsSchema } from './schemas';

// Runs every forecast of the site now and stores it (201), or answers the run made less than a minute ago over the same history (200).
export const handler = httpRoute({ route: 'POST /sites/{siteId}/forecast/runs', params: siteParamsSchema }, async ({ params, caller }) =>
  runNow(params.siteId, caller.userId),
);
