import { unreadCount } from './inbox';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /me/notifications/unread-count' }, async ({ caller }) => ({ body: await unreadCount(caller.userId) }));
