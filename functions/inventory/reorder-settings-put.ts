import { reorderSettingsStore } from './config';
import { httpRoute } from './policies';
import { reorderSettingsSchema } from './reorder-schemas';
import { siteParamsSchema } from './schemas';

// The service level the reorder suggestions' and the drafts' safety stock is sized for (reorder-rules.ts).
export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/inventory/reorder-settings', params: siteParamsSchema, body: reorderSettingsSchema, bodyLimit: 1024 },
  async ({ params, body, caller }) => ({ body: { siteId: params.siteId, ...(await reorderSettingsStore.put(params.siteId, body.serviceLevel, caller.userId, new Date().toISOString())) } }),
);
