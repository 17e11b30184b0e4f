// Who may call each route of this domain (deny by default: a route missing here answers 403 to everyone). The
// review table of every domain's policies is docs/access-policies.md (`npm run routes` writes it).
import { protectedRoutes, publicRoutes } from '#shared/http';
import { MANAGERS, type Policy } from '#shared/policies';

export const policies = {
  // gateway
  'GET /health': { public: true, why: 'liveness probe; touches nothing' },
  'GET /status': { roles: MANAGERS },
  'GET /openapi.json': { public: true, why: 'the API description (OpenAPI 3.1); generated from the declarations, holds no data' },
  'GET /docs': { public: true, why: 'browsable page of the API description; static, holds no data' },
} as const satisfies Record<string, Policy>;

// Pure: a bundle drops the builder it does not use (a public route's, the access-token verifier).
export const httpRoute = /* @__PURE__ */ protectedRoutes(policies);
export const publicRoute = /* @__PURE__ */ publicRoutes(policies);
