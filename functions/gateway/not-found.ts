import { MethodNotAllowedError, NotFoundError } from '#shared/errors';
import { publicRoute } from './policies';
import { methodsFor } from './routes';

// The HTTP API's $default route: JSON 404 for unknown paths, 405 (with Allow) for a wrong method.
// CORS preflight never gets here: API Gateway answers it from provider.httpApi.cors.
export const handler = publicRoute({ route: '$default' }, async ({ event }) => {
  const method = event.requestContext.http.method.toUpperCase();
  const allowed = methodsFor(event.rawPath);
  if (allowed.length === 0) throw new NotFoundError(`No route for ${method} ${event.rawPath}`);
  throw new MethodNotAllowedError(allowed);
});
