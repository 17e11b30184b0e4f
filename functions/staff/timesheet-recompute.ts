import { httpRoute } from './policies';
import { timesheetParamsSchema } from './timesheet-schemas';
import { recomputeTimesheet } from './timesheets';

// Recomputes a locked period from its stored input with its pinned pack and says whether the result is identical.
export const handler = httpRoute({ route: 'POST /sites/{siteId}/timesheets/{periodFrom}/{userId}/recompute', params: timesheetParamsSchema }, async ({ caller, params }) => ({
  body: await recomputeTimesheet(caller, params.siteId, params.periodFrom, params.userId),
}));
