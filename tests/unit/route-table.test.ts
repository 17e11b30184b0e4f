import { readFileSync } from 'node:fs';
import { ROUTE_TABLE_FILE, readRouteTable, renderRouteTable } from '../../scripts/route-table';
import { methodsFor } from '../../functions/gateway/routes';

describe('route table', () => {
  it('the generated copy matches every functions.yml (run `npm run routes` after changing routes)', () => {
    expect(readFileSync(ROUTE_TABLE_FILE, 'utf8')).toBe(renderRouteTable());
  });

  it('has no duplicate method + path', () => {
    const keys = readRouteTable().map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('tells known paths (with their methods) from unknown ones', () => {
    expect(methodsFor('/health')).toEqual(['GET']);
    expect(methodsFor('/sites/s1/orders/o1')).toEqual(['GET']);
    expect(methodsFor('/sites/s1/orders')).toEqual(['GET', 'POST']);
    expect(methodsFor('/sites/s1/orders/o1/extra')).toEqual([]);
    expect(methodsFor('/nothing')).toEqual([]);
  });
});
