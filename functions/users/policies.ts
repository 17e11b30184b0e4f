// Who may call each route of this domain (deny by default: a route missing here answers 403 to everyone). The
// review table of every domain's policies is docs/access-policies.md (`npm run routes` writes it).
import { protectedRoutes, publicRoutes } from '#shared/http';
import { EVERYONE, MANAGERS, OWNERS, type Policy } from '#shared/policies';

export const policies = {
  // users: sign-in and the caller's own account
  'GET /.well-known/jwks.json': { public: true, why: 'public keys for verifying access tokens' },
  'POST /auth/login': { public: true, why: 'signs in; throttled per account and per IP' },
  'POST /auth/refresh': { public: true, why: 'authenticated by the refresh token itself' },
  'POST /auth/register': { public: true, why: 'authenticated by the one-time invitation token' },
  'POST /auth/logout': { roles: EVERYONE, object: 'the session in the access token' },
  'GET /me': { roles: EVERYONE },
  'POST /me/password': { roles: EVERYONE, object: 'the caller; current password required' },
  'GET /me/sessions': { roles: EVERYONE, object: 'the caller’s own sessions' },
  'DELETE /me/sessions': { roles: EVERYONE, object: 'the caller’s own sessions' },
  'DELETE /me/sessions/{sessionId}': { roles: EVERYONE, object: 'the caller’s own session, else 404' },

  // users: administration
  'POST /invites': { roles: MANAGERS, object: 'users/rules.ts assertMayGrant: managers invite staff to their own sites only' },
  'GET /users': { roles: MANAGERS, site: 'query', object: 'the members of one site (?siteId=) the caller belongs to' },
  'GET /users/{userId}': { roles: EVERYONE, object: 'users/rules.ts assertMayView: self, or a managed user; else 404' },
  'PATCH /users/{userId}': { roles: MANAGERS, object: 'users/rules.ts assertMayManage + assertMayGrant; else 404/403' },
  'POST /users/{userId}/deactivate': { roles: MANAGERS, object: 'users/rules.ts assertMayManage; else 404/403' },
  'POST /sites': { roles: OWNERS },
  'GET /sites': { roles: EVERYONE, object: 'the caller’s sites (owners: all)' },
  'GET /sites/{siteId}': { roles: EVERYONE, site: 'path' },
  'PATCH /sites/{siteId}': { roles: OWNERS, site: 'path' },
} as const satisfies Record<string, Policy>;

// Pure: a bundle drops the builder it does not use (a public route's, the access-token verifier).
export const httpRoute = /* @__PURE__ */ protectedRoutes(policies);
export const publicRoute = /* @__PURE__ */ publicRoutes(policies);
