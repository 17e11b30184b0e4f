import { publicRoute } from '#shared/http';
import { refresh } from './sessions';
import { refreshSchema } from './schemas';

export const handler = publicRoute({ route: 'POST /auth/refresh', body: refreshSchema, bodyLimit: 1024 }, async ({ body }) => ({
  body: await refresh(body.refreshToken),
}));
