import { invite } from './accounts';
import { inviteSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'POST /invites', body: inviteSchema, bodyLimit: 4096 }, async ({ caller, body }) => ({
  status: 201,
  body: await invite(caller, body),
}));
