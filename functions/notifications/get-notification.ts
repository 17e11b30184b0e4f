import { httpRoute } from '#shared/http';
import { getNotification } from './inbox';
import { notificationParamsSchema } from './schemas';

export const handler = httpRoute({ route: 'GET /me/notifications/{notificationId}', params: notificationParamsSchema }, async ({ caller, params }) => ({
  body: await getNotification(caller.userId, params.notificationId),
}));
