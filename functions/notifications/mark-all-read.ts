import { httpRoute } from '#shared/http';
import { markAllRead } from './inbox';

export const handler = httpRoute({ route: 'POST /me/notifications/read-all' }, async ({ caller }) => ({ body: await markAllRead(caller.userId) }));
