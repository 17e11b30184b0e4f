// Derives the HTTP route table from every domain's functions.yml. The gateway's fallback route uses the
// generated copy to tell 404 from 405, and the tests use it to check every route.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface RouteEntry {
  method: string;
  path: string;
  function: string;
  domain: string;
}

const root = join(__dirname, '..');
export const ROUTE_TABLE_FILE = join(root, 'functions/gateway/route-table.json');

export function readRouteTable(): RouteEntry[] {
  const routes: RouteEntry[] = [];
  const domains = readdirSync(join(root, 'functions'), { withFileTypes: true }).filter((d) => d.isDirectory());
  for (const domain of domains) {
    const file = join(root, 'functions', domain.name, 'functions.yml');
    if (!existsSync(file)) continue;
    const functions = parse(readFileSync(file, 'utf8')) as Record<string, { events?: Array<Record<string, unknown>> }>;
    for (const [name, fn] of Object.entries(functions)) {
      for (const event of fn.events ?? []) {
        const http = event.httpApi;
        if (!http || http === '*') continue;
        const { method, path } = http as { method: string; path: string };
        routes.push({ method: method.toUpperCase(), path, function: name, domain: domain.name });
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

export function renderRouteTable(): string {
  return `${JSON.stringify(readRouteTable().map(({ method, path }) => ({ method, path })), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(ROUTE_TABLE_FILE, renderRouteTable());
  console.log(`wrote ${ROUTE_TABLE_FILE}`);
}
