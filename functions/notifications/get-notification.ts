import { getNotification } from './inbox';
import { notificationParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /me/notifications/{notificationId}', params: notificationParamsSchema }, async ({ caller, params }) => ({
  body: await getNotification(caller.userId, params.notificationId),
}));
