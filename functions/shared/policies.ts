// Who may call what: every HTTP route in the project, in one table a reader can scan. A route that is not
// here does not answer (deny by default), and a test fails for any route in a functions.yml missing from it.
//
// `site`: where the route names the site its object belongs to; the kit refuses (403) a caller who is not a
//         member of that site (owners belong to every site).
// `object`: checks on the object itself that only the domain can make (ownership, rank); enforced in the
//         named service function, listed here so the whole picture is in one place.
import type { Role } from './identity';

export type Policy =
  | { public: true; why: string }
  | { public?: false; roles: readonly Role[]; site?: 'path' | 'query'; object?: string };

const EVERYONE: readonly Role[] = ['owner', 'manager', 'staff'];
const MANAGERS: readonly Role[] = ['owner', 'manager'];
const OWNERS: readonly Role[] = ['owner'];

export const policies = {
  // gateway
  'GET /health': { public: true, why: 'liveness probe; touches nothing' },
  'GET /status': { roles: MANAGERS },

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

  // demo (walking skeleton)
  'POST /demo/sites/{siteId}/notes': { roles: EVERYONE, site: 'path' },
  'GET /demo/sites/{siteId}/notes/{noteId}': { roles: EVERYONE, site: 'path' },
  'GET /demo/sites/{siteId}/devices/{deviceId}/readings': { roles: EVERYONE, site: 'path' },
  'POST /demo/sites/{siteId}/devices/{deviceId}/commands': { roles: MANAGERS, site: 'path' },
} as const satisfies Record<string, Policy>;

export type RouteKey = keyof typeof policies;

export function policyFor(route: string): Policy | undefined {
  return (policies as Record<string, Policy>)[route];
}
