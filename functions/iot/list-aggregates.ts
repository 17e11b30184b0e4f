import { BUCKET_MS } from './aggregates';
import { telemetryStore } from './config';
import { requireDevice } from './devices';
import { aggregatesQuerySchema, deviceParamsSchema } from './schemas';
import { timeRange } from './time-range';
import { httpRoute } from './policies';

const DAY_MS = 24 * 60 * 60 * 1000;

export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/devices/{deviceId}/aggregates', params: deviceParamsSchema, query: aggregatesQuerySchema },
  async ({ params, query }) => {
    const device = await requireDevice(params.siteId, params.deviceId);
    const range = timeRange(query, { defaultSpanMs: DAY_MS, maxSpanMs: 31 * DAY_MS });
    const aggregates = await telemetryStore.listAggregates(device, range.from, range.to);
    return {
      body: {
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
        bucketMinutes: BUCKET_MS / 60_000,
        aggregates: aggregates.map(({ start, ...figures }) => ({ start: new Date(start).toISOString(), ...figures })),
      },
    };
  },
);
