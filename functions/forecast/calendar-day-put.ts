import { markDay } from './calendar';
import { calendarDayBodySchema, calendarDayParamsSchema } from './calendar-schemas';
import { httpRoute } from './policies';

// Marks a day closed or a holiday (replacing what it was); the next forecast run respects it.
export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/forecast/calendar/days/{date}', params: calendarDayParamsSchema, body: calendarDayBodySchema },
  async ({ params, body, caller }) => markDay(params.siteId, { date: params.date, ...body }, caller.userId),
);
