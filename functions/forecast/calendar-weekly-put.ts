import { setClosedWeekdays } from './calendar';
import { closedWeekdaysBodySchema } from './calendar-schemas';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';

// The weekdays the site never opens (e.g. Mondays): closed every week, past and future.
export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/forecast/calendar/weekly', params: siteParamsSchema, body: closedWeekdaysBodySchema },
  async ({ params, body, caller }) => setClosedWeekdays(params.siteId, body.closedWeekdays, caller.userId),
);
