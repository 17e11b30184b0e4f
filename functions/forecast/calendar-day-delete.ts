import { unmarkDay } from './calendar';
import { calendarDayParamsSchema } from './calendar-schemas';
import { httpRoute } from './policies';

// Unmarks a day: an ordinary day again (404 when it was not marked).
export const handler = httpRoute({ route: 'DELETE /sites/{siteId}/forecast/calendar/days/{date}', params: calendarDayParamsSchema }, async ({ params }) =>
  unmarkDay(params.siteId, params.date),
);
