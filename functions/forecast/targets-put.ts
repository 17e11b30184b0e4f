import { targetStore } from './config';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';
import { putTargetsSchema } from './staffing-schemas';
import type { TargetsRecord } from './target-store';

// Sets the site's productivity targets: the first time without expectedVersion (201), then with the version read
// (200); a stale version, or a first write where targets exist, is a 409 (target-store.ts).
export const handler = httpRoute({ route: 'PUT /sites/{siteId}/forecast/targets', params: siteParamsSchema, body: putTargetsSchema, bodyLimit: 32 * 1024 }, async ({ caller, params, body }) => {
  const record: TargetsRecord = { siteId: params.siteId, positions: body.positions, version: (body.expectedVersion ?? 0) + 1, updatedAt: new Date().toISOString(), updatedBy: caller.userId };
  await targetStore.put(record);
  return { status: body.expectedVersion === undefined ? 201 : 200, body: record };
});
