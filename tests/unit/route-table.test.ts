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
    expect(methodsFor('/demo/sites/s1/notes/n1')).toEqual(['GET']);
    expect(methodsFor('/demo/sites/s1/notes')).toEqual(['POST']);
    expect(methodsFor('/demo/sites/s1/notes/n1/extra')).toEqual([]);
    expect(methodsFor('/nothing')).toEqual([]);
  });
});
