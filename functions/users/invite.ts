import { httpRoute } from '#shared/http';
import { invite } from './accounts';
import { inviteSchema } from './schemas';

export const handler = httpRoute({ route: 'POST /invites', body: inviteSchema, bodyLimit: 4096 }, async ({ caller, body }) => ({
  status: 201,
  body: await invite(caller, body),
}));
