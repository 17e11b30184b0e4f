import { httpRoute } from '#shared/http';
import { MethodNotAllowedError, NotFoundError } from '#shared/errors';
import { methodsFor } from './routes';

// The HTTP API's $default route: JSON 404 for unknown paths, 405 (with Allow) for a wrong method,
// and CORS preflight for known paths.
export const handler = httpRoute({ access: { public: true }, bodyLimit: Number.MAX_SAFE_INTEGER }, async ({ event }) => {
  const method = event.requestContext.http.method.toUpperCase();
  const allowed = methodsFor(event.rawPath);
  if (allowed.length === 0) throw new NotFoundError(`No route for ${method} ${event.rawPath}`);
  if (method === 'OPTIONS') {
    return {
      status: 204,
      headers: {
        'access-control-allow-methods': [...allowed, 'OPTIONS'].join(', '),
        'access-control-allow-headers': 'authorization, content-type, idempotency-key, x-correlation-id',
        'access-control-max-age': '600',
      },
    };
  }
  throw new MethodNotAllowedError(allowed);
});
