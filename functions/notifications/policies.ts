// Who may call each route of this domain (deny by default: a route missing here answers 403 to everyone). The
// review table of every domain's policies is docs/access-policies.md (`npm run routes` writes it).
import { protectedRoutes, publicRoutes } from '#shared/http';
import { EVERYONE, MANAGERS, OWNERS, type Policy } from '#shared/policies';

export const policies = {
  // notifications: the caller's own inbox and settings (keyed by the caller, so another user's id is 404), and
  // each site's escalation policy and SMS cap (functions/notifications).
  'GET /me/notifications': { roles: EVERYONE, object: 'the caller’s own inbox' },
  'GET /me/notifications/unread-count': { roles: EVERYONE, object: 'the caller’s own inbox' },
  'GET /me/notifications/{notificationId}': { roles: EVERYONE, object: 'the caller’s own notification, else 404' },
  'POST /me/notifications/{notificationId}/read': { roles: EVERYONE, object: 'the caller’s own notification, else 404' },
  'POST /me/notifications/read-all': { roles: EVERYONE, object: 'the caller’s own inbox' },
  'POST /me/notifications/{notificationId}/acknowledge': { roles: EVERYONE, object: 'the caller’s own notification, else 404' },
  'GET /me/notification-settings': { roles: EVERYONE, object: 'the caller’s own settings' },
  'PUT /me/notification-settings': { roles: EVERYONE, object: 'the caller’s own settings' },
  'GET /sites/{siteId}/notification-settings': { roles: MANAGERS, site: 'path' },
  'PUT /sites/{siteId}/notification-settings': { roles: OWNERS, site: 'path', object: 'the SMS cap is spend: owners only' },
} as const satisfies Record<string, Policy>;

// Pure: a bundle drops the builder it does not use (a public route's, the access-token verifier).
export const httpRoute = /* @__PURE__ */ protectedRoutes(policies);
export const publicRoute = /* @__PURE__ */ publicRoutes(policies);
