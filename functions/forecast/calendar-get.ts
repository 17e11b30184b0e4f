import { calendarOf } from './calendar';
import { calendarQuerySchema } from './calendar-schemas';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';

// The site's weekly closing days and the closures and holidays marked in a range (default: a year either side).
export const handler = httpRoute({ route: 'GET /sites/{siteId}/forecast/calendar', params: siteParamsSchema, query: calendarQuerySchema }, async ({ params, query }) =>
  calendarOf(params.siteId, query),
);
