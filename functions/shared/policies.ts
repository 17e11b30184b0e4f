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

  // orders: menu, orders, kitchen flow, payments (functions/orders). Every route names its site in the path, and
  // an order or item is looked up under that site only, so another site's id answers 404.
  'PUT /sites/{siteId}/menu/settings': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/menu': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/menu/categories': { roles: MANAGERS, site: 'path' },
  'PATCH /sites/{siteId}/menu/categories/{categoryId}': { roles: MANAGERS, site: 'path' },
  'POST /sites/{siteId}/menu/items': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/menu/items/{itemId}': { roles: EVERYONE, site: 'path' },
  'PATCH /sites/{siteId}/menu/items/{itemId}': { roles: MANAGERS, site: 'path' },
  'PUT /sites/{siteId}/menu/items/{itemId}/availability': { roles: EVERYONE, site: 'path', object: '86 and restore: staff run out of things' },
  'POST /sites/{siteId}/orders': { roles: EVERYONE, site: 'path', object: 'the caller becomes the order’s server' },
  'GET /sites/{siteId}/orders': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/orders/{orderId}': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/open-orders': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/orders/{orderId}/lines': { roles: EVERYONE, site: 'path' },
  'DELETE /sites/{siteId}/orders/{orderId}/lines/{lineId}': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/orders/{orderId}/lines/{lineId}/status': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/orders/{orderId}/status': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/orders/{orderId}/void': { roles: MANAGERS, site: 'path' },
  'PUT /sites/{siteId}/orders/{orderId}/discount': { roles: MANAGERS, site: 'path' },
  'PUT /sites/{siteId}/orders/{orderId}/split': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/orders/{orderId}/payments': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/orders/{orderId}/refunds': { roles: MANAGERS, site: 'path', object: 'orders/order-rules.ts assertRefundAllowed: never more than the payment took' },

  // iot: devices, telemetry, food-safety monitoring, device control (functions/iot). Every route names its site in
  // the path and a device or incident is looked up under that site only, so another site's id answers 404.
  'POST /sites/{siteId}/devices': { roles: MANAGERS, site: 'path', object: 'provisions the IoT thing; the device id is unique in the stage (409)' },
  'GET /sites/{siteId}/devices': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/devices/{deviceId}': { roles: EVERYONE, site: 'path' },
  'PATCH /sites/{siteId}/devices/{deviceId}': { roles: MANAGERS, site: 'path', object: 'iot/device-types.ts limitProblems: limits within the type’s sane range (422)' },
  'DELETE /sites/{siteId}/devices/{deviceId}': { roles: MANAGERS, site: 'path', object: 'revokes the certificate, deletes the thing; the record and history stay' },
  'GET /sites/{siteId}/devices/{deviceId}/readings': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/devices/{deviceId}/aggregates': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/devices/{deviceId}/commands': { roles: MANAGERS, site: 'path', object: 'iot/device-types.ts commandProblems: setpoint/mode within the unit’s bounds (422); every attempt audited' },
  'GET /sites/{siteId}/devices/{deviceId}/commands': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/food-safety': { roles: EVERYONE, site: 'path' },
  'PUT /sites/{siteId}/food-safety/settings': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/incidents': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/incidents/{incidentId}': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/incidents/{incidentId}/actions': { roles: EVERYONE, site: 'path', object: 'staff record what they did; not on a closed incident (409)' },
  'POST /sites/{siteId}/incidents/{incidentId}/close': { roles: MANAGERS, site: 'path', object: 'iot/store.ts closeIncident: needs a corrective action and the excursion over (422)' },
  'GET /sites/{siteId}/haccp': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/telemetry-rejects': { roles: MANAGERS, site: 'path' },
} as const satisfies Record<string, Policy>;

export type RouteKey = keyof typeof policies;

export function policyFor(route: string): Policy | undefined {
  return (policies as Record<string, Policy>)[route];
}
