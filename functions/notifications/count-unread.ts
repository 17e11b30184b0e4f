import { httpRoute } from '#shared/http';
import { unreadCount } from './inbox';

export const handler = httpRoute({ route: 'GET /me/notifications/unread-count' }, async ({ caller }) => ({ body: await unreadCount(caller.userId) }));
