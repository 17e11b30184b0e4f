import { httpRoute } from './policies';
import { timesheetParamsSchema } from './timesheet-schemas';
import { getTimesheet } from './timesheets';

// One person's timesheet: days, shifts with their sources, exceptions and the payroll preview (or, once locked, the
// stored result).
export const handler = httpRoute({ route: 'GET /sites/{siteId}/timesheets/{periodFrom}/{userId}', params: timesheetParamsSchema }, async ({ caller, params }) => ({
  body: await getTimesheet(caller, params.siteId, params.periodFrom, params.userId),
}));
