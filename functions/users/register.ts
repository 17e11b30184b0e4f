import { register } from './accounts';
import { registerSchema } from './schemas';
import { publicRoute } from './policies';

export const handler = publicRoute({ route: 'POST /auth/register', body: registerSchema, bodyLimit: 2048 }, async ({ body, correlationId }) => ({
  status: 201,
  body: await register(body.inviteToken, body.name, body.password, correlationId),
}));
