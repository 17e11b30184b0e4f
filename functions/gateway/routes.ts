import routeTable from './route-table.json';

export interface Route {
  method: string;
  path: string;
}

const compiled = (routeTable as Route[]).map((route) => ({
  ...route,
  // '/orders/{orderId}' → /^\/orders\/[^/]+$/ ; '{proxy+}' matches the rest of the path.
  pattern: new RegExp(
    `^${route.path
      .split('/')
      .map((segment) => (/^\{[^}]+\+\}$/.test(segment) ? '.+' : /^\{[^}]+\}$/.test(segment) ? '[^/]+' : escape(segment)))
      .join('/')}$`,
  ),
}));

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Methods that exist for a path; empty when no route has that path. */
export function methodsFor(path: string): string[] {
  return compiled.filter((route) => route.pattern.test(path)).map((route) => route.method);
}
