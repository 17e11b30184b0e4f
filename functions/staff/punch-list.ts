import { localDayRange } from '#shared/time';
import { clockStore, directoryStore } from './config';
import { getProfile } from './profiles';
import { httpRoute } from './policies';
import { punchQuerySchema, staffParamsSchema } from './schemas';

// The person's raw punches over site-local days `from`..`to` (inclusive, at most 62), oldest first, in pages. The
// days are the site's: a punch at 23:30 local is on that day whatever the UTC date.
export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/staff/{userId}/punches', params: staffParamsSchema, query: punchQuerySchema },
  async ({ caller, params, query }) => {
    await getProfile(caller, params.siteId, params.userId);
    const timeZone = await directoryStore.timeZoneOf(params.siteId);
    const start = new Date(localDayRange(query.from, timeZone).start).toISOString();
    const end = new Date(localDayRange(query.to, timeZone).end).toISOString();
    return { body: { timeZone, ...(await clockStore.punches(params.siteId, params.userId, start, end, query.limit, query.cursor)) } };
  },
);
