import { httpRoute } from '#shared/http';
import { markRead } from './inbox';
import { notificationParamsSchema } from './schemas';

export const handler = httpRoute({ route: 'POST /me/notifications/{notificationId}/read', params: notificationParamsSchema }, async ({ caller, params }) => ({
  body: await markRead(caller.userId, params.notificationId),
}));
