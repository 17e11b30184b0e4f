import { userSettingsSchema } from './schemas';
import { putUserSettings } from './settings';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'PUT /me/notification-settings', body: userSettingsSchema, bodyLimit: 8 * 1024 },
  async ({ caller, body }) => ({ body: await putUserSettings(caller.userId, body) }),
);
