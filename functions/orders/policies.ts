// Who may call each route of this domain (deny by default: a route missing here answers 403 to everyone). The
// review table of every domain's policies is docs/access-policies.md (`npm run routes` writes it).
import { protectedRoutes, publicRoutes } from '#shared/http';
import { EVERYONE, MANAGERS, type Policy } from '#shared/policies';

export const policies = {
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
  'PUT /sites/{siteId}/orders/{orderId}/customer': { roles: EVERYONE, site: 'path', object: 'until the order is paid (orders/order-rules.ts setCustomer)' },
  'PUT /sites/{siteId}/orders/{orderId}/split': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/orders/{orderId}/payments': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/orders/{orderId}/refunds': { roles: MANAGERS, site: 'path', object: 'orders/order-rules.ts assertRefundAllowed: never more than the payment took' },
} as const satisfies Record<string, Policy>;

// Pure: a bundle drops the builder it does not use (a public route's, the access-token verifier).
export const httpRoute = /* @__PURE__ */ protectedRoutes(policies);
export const publicRoute = /* @__PURE__ */ publicRoutes(policies);
