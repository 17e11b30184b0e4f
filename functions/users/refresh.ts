import { refresh } from './sessions';
import { refreshSchema } from './schemas';
import { publicRoute } from './policies';

export const handler = publicRoute({ route: 'POST /auth/refresh', body: refreshSchema, bodyLimit: 1024 }, async ({ body }) => ({
  body: await refresh(body.refreshToken),
}));
