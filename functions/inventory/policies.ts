// Who may call each route of this domain (deny by default: a route missing here answers 403 to everyone). The
// review table of every domain's policies is docs/access-policies.md (`npm run routes` writes it).
import { protectedRoutes, publicRoutes } from '#shared/http';
import { EVERYONE, MANAGERS, type Policy } from '#shared/policies';

export const policies = {
  // inventory: stock items, the movement ledger, depletion from orders (functions/inventory). Every route names its
  // site in the path and an item is looked up under that site only, so another site's item answers 404. Staff
  // record what they see and do (receipts, counts, waste, moving stock); managers own the items and correct stock.
  'POST /sites/{siteId}/inventory/items': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/inventory/items': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/inventory/items/{itemId}': { roles: EVERYONE, site: 'path' },
  'PATCH /sites/{siteId}/inventory/items/{itemId}': { roles: MANAGERS, site: 'path', object: 'pars, reorder point and archiving are the manager’s' },
  'POST /sites/{siteId}/inventory/items/{itemId}/receipts': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/inventory/items/{itemId}/counts': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/inventory/items/{itemId}/waste': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/inventory/items/{itemId}/transfers': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/inventory/items/{itemId}/adjustments': { roles: MANAGERS, site: 'path', object: 'a correction with a reason, never by staff' },
  'GET /sites/{siteId}/inventory/items/{itemId}/movements': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/inventory/on-hand': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/inventory/depletion-issues': { roles: MANAGERS, site: 'path' },
  // suppliers, low stock and automatic drafts (supplier-*.ts, low-stock-*.ts, purchase-draft*.ts): managers own the
  // suppliers, their prices and the drafts; staff see suppliers (they receive deliveries) and what is low. A
  // supplier or offer is looked up under the path's site only: another site's is a 404.
  'POST /sites/{siteId}/inventory/suppliers': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/inventory/suppliers': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/inventory/suppliers/{supplierId}': { roles: EVERYONE, site: 'path' },
  'PATCH /sites/{siteId}/inventory/suppliers/{supplierId}': { roles: MANAGERS, site: 'path' },
  'PUT /sites/{siteId}/inventory/suppliers/{supplierId}/items/{itemId}': { roles: MANAGERS, site: 'path', object: 'pack and price are the manager’s' },
  'GET /sites/{siteId}/inventory/suppliers/{supplierId}/items/{itemId}/prices': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/inventory/low-stock': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/inventory/purchase-orders/drafts': { roles: MANAGERS, site: 'path' },
  // reorder suggestions from the forecast (reorder-*.ts): what to order and what it costs, and the service level
  // its safety stock is sized for, are the manager's.
  'GET /sites/{siteId}/inventory/reorder-suggestions': { roles: MANAGERS, site: 'path' },
  'PUT /sites/{siteId}/inventory/reorder-settings': { roles: MANAGERS, site: 'path' },
  // food-safety hold (hold-*.ts, holds.ts): managers link refrigeration units to storage locations and decide what
  // happens to held stock; everyone sees what is held. A hold is looked up under the path's site only.
  'PUT /sites/{siteId}/inventory/locations/{location}': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/inventory/locations': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/inventory/holds': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/inventory/holds': { roles: MANAGERS, site: 'path' },
  'POST /sites/{siteId}/inventory/holds/{holdId}/release': { roles: MANAGERS, site: 'path', object: 'the manager judges the food fit' },
  'POST /sites/{siteId}/inventory/holds/{holdId}/discard': { roles: MANAGERS, site: 'path', object: 'books quarantined waste at cost' },
  // purchase orders (purchase-order-*.ts): managers order, edit drafts and move them through their lifecycle; staff
  // read a PO and receive deliveries against it. A PO is looked up under the path's site only: another site's is a 404.
  'POST /sites/{siteId}/inventory/purchase-orders': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/inventory/purchase-orders': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/inventory/purchase-orders/{purchaseOrderId}': { roles: EVERYONE, site: 'path' },
  'PATCH /sites/{siteId}/inventory/purchase-orders/{purchaseOrderId}': { roles: MANAGERS, site: 'path', object: 'a draft only (purchase-order-lifecycle.ts)' },
  'POST /sites/{siteId}/inventory/purchase-orders/{purchaseOrderId}/actions': { roles: MANAGERS, site: 'path' },
  'POST /sites/{siteId}/inventory/purchase-orders/{purchaseOrderId}/receipts': { roles: EVERYONE, site: 'path', object: 'a sent or partially received PO only (purchase-order-receiving.ts)' },
  // reports (report-*.ts, reports.ts): what stock is worth, usage against sales, waste; costs and losses are the
  // manager's to see. Each reads the path's site only.
  'GET /sites/{siteId}/inventory/reports/on-hand-value': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/inventory/reports/usage': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/inventory/reports/waste': { roles: MANAGERS, site: 'path' },
} as const satisfies Record<string, Policy>;

// Pure: a bundle drops the builder it does not use (a public route's, the access-token verifier).
export const httpRoute = /* @__PURE__ */ protectedRoutes(policies);
export const publicRoute = /* @__PURE__ */ publicRoutes(policies);
