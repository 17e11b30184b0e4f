import { httpRoute } from '#shared/http';
import { acknowledge } from './inbox';
import { notificationParamsSchema } from './schemas';

export const handler = httpRoute(
  { route: 'POST /me/notifications/{notificationId}/acknowledge', params: notificationParamsSchema },
  async ({ caller, params }) => ({ body: await acknowledge(caller.userId, params.notificationId) }),
);
