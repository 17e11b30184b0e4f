import { clockStore } from './config';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';

const iso = (ms: number) => new Date(ms).toISOString();

// Who is clocked in now, and who of them is on a break, with the shift's start and the position worked: the manager's
// floor view. One partition read (the site's clocks), filtered to those not off.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/staff/on-the-clock', params: siteParamsSchema }, async ({ params }) => ({
  body: {
    staff: (await clockStore.onTheClock(params.siteId)).flatMap(({ userId, state, shift }) =>
      shift
        ? [
            {
              userId,
              state,
              shiftId: shift.shiftId,
              positionId: shift.positionId,
              clockedInAt: iso(shift.clockedInAt),
              ...(shift.breakStartedAt !== undefined ? { breakStartedAt: iso(shift.breakStartedAt) } : {}),
            },
          ]
        : [],
    ),
  },
}));
