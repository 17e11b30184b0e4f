import { httpRoute } from '#shared/http';
import { getUserSettings } from './settings';

export const handler = httpRoute({ route: 'GET /me/notification-settings' }, async ({ caller }) => ({ body: await getUserSettings(caller.userId) }));
