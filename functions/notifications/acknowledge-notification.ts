import { acknowledge } from './inbox';
import { notificationParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'POST /me/notifications/{notificationId}/acknowledge', params: notificationParamsSchema },
  async ({ caller, params }) => ({ body: await acknowledge(caller.userId, params.notificationId) }),
);
