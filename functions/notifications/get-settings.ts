import { getUserSettings } from './settings';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /me/notification-settings' }, async ({ caller }) => ({ body: await getUserSettings(caller.userId) }));
