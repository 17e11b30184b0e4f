import { telemetryStore } from './config';
import { requireDevice } from './devices';
import { pagedTimeRange, windowCursor } from './time-range';
import { deviceParamsSchema, readingsQuerySchema } from './schemas';
import { httpRoute } from './policies';

const DAY_MS = 24 * 60 * 60 * 1000;

export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/devices/{deviceId}/readings', params: deviceParamsSchema, query: readingsQuerySchema },
  async ({ params, query }) => {
    await requireDevice(params.siteId, params.deviceId);
    const { range, pageCursor } = pagedTimeRange(query, { defaultSpanMs: DAY_MS, maxSpanMs: 7 * DAY_MS });
    const page = await telemetryStore.listReadings(params.siteId, params.deviceId, range, { ...query, cursor: pageCursor });
    const nextCursor = windowCursor(range, page.nextCursor);
    return {
      body: {
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
        readings: page.items.map(({ t, receivedAt, ...fields }) => ({
          at: new Date(Number(t)).toISOString(),
          ...fields,
          receivedAt: new Date(Number(receivedAt)).toISOString(),
        })),
        ...(nextCursor && { nextCursor }),
      },
    };
  },
);
