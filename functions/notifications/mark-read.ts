import { markRead } from './inbox';
import { notificationParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'POST /me/notifications/{notificationId}/read', params: notificationParamsSchema }, async ({ caller, params }) => ({
  body: await markRead(caller.userId, params.notificationId),
}));
