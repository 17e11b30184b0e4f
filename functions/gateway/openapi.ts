import { publicRoute } from './policies';
// The API description, generated from every domain's declarations by `npm run openapi` (scripts/openapi.ts) and
// kept beside the gateway as route-table.json is; bundled into the function.
import openApiDocument from './openapi.json';

export const document: unknown = openApiDocument;

export const handler = publicRoute({ route: 'GET /openapi.json' }, async () => ({
  body: document,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
}));
