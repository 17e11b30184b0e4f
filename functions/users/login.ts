import { login } from './sessions';
import { loginSchema } from './schemas';
import { publicRoute } from './policies';

export const handler = publicRoute({ route: 'POST /auth/login', body: loginSchema, bodyLimit: 2048 }, async ({ body, event }) => ({
  body: await login(body.email, body.password, { ip: event.requestContext.http.sourceIp, userAgent: event.headers['user-agent'] }),
}));
