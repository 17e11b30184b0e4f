import { markAllRead } from './inbox';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'POST /me/notifications/read-all' }, async ({ caller }) => ({ body: await markAllRead(caller.userId) }));
