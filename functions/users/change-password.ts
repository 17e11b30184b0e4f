import { changePassword } from './sessions';
import { changePasswordSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'POST /me/password', body: changePasswordSchema, bodyLimit: 2048 }, async ({ caller, body, event }) => {
  await changePassword(caller, body.currentPassword, body.newPassword, event.requestContext.http.sourceIp);
  return { status: 204 };
});
