import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_SERVER, OPENAPI_FILE, buildOpenApi, loadStageEnvironment, renderOpenApi } from '../../scripts/openapi';
import { readPolicies, readRouteTable } from '../../scripts/route-table';
import { renderDocsPage } from '../../functions/gateway/api-docs';

type Operation = { tags: string[]; security: unknown[]; parameters: Array<{ name: string; in: string; required: boolean }>; requestBody?: unknown; responses: Record<string, unknown> };
type Document = { openapi: string; servers: Array<{ url: string }>; paths: Record<string, Record<string, Operation>> };

// The validator is an ES module and jest runs CommonJS: it runs in its own node process, on a file.
const VALIDATOR = join(__dirname, '../../node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
function validateOpenApi(document: unknown): { valid: boolean; errors?: unknown } {
  const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(document));
  try {
    return JSON.parse(execFileSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8' }));
  } catch (error) {
    // The CLI exits non-zero for an invalid document, with the verdict on stdout.
    return JSON.parse((error as { stdout: string }).stdout);
  }
}

let document: Document;
beforeAll(async () => {
  await loadStageEnvironment();
  document = (await buildOpenApi()) as Document;
}, 120_000);

describe('OpenAPI document', () => {
  it('functions/gateway/openapi.json is current (run `npm run openapi` after changing a route, policy or schema)', async () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(await renderOpenApi());
  });

  it('validates as OpenAPI 3.1', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(validateOpenApi(document)).toEqual({ valid: true });
  });

  it('the validator rejects a broken document (so the check above can fail)', () => {
    const broken = { ...document, paths: { '/x': { get: { responses: { '200': { content: 'not an object' } } } } } };
    expect(validateOpenApi(broken).valid).toBe(false);
  });

  it('has every route of the route table, with its method, and nothing else', () => {
    const routes = readRouteTable().map((r) => `${r.method} ${r.path}`).sort();
    const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(routes);
    expect(routes).toEqual(expect.arrayContaining(['GET /openapi.json', 'GET /docs']));
  });

  it('states each route\'s policy: public routes need no token, the others a bearer token and may answer 401/403', () => {
    const policies = readPolicies();
    for (const route of readRouteTable()) {
      const operation = document.paths[route.path]![route.method.toLowerCase()]!;
      const isPublic = policies[`${route.method} ${route.path}`]?.public === true;
      expect({ route: route.path, security: operation.security, has401: '401' in operation.responses, tag: operation.tags }).toEqual({
        route: route.path,
        security: isPublic ? [] : [{ bearerAuth: [] }],
        has401: !isPublic,
        tag: [route.domain],
      });
    }
  });

  it('declares every path variable as a required path parameter, and the handlers\' schemas', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      const variables = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const operation of Object.values(item)) {
        expect(operation.parameters.filter((p) => p.in === 'path').map((p) => [p.name, p.required])).toEqual(variables.map((v) => [v, true]));
      }
    }
    const createOrder = document.paths['/sites/{siteId}/orders']!.post!;
    expect(createOrder.requestBody).toMatchObject({ content: { 'application/json': { schema: { type: 'object' } } } });
    expect(createOrder.responses).toMatchObject({ '413': expect.anything(), '415': expect.anything() });
    expect(document.paths['/sites/{siteId}/orders']!.get!.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['siteId', 'limit']));
  });

  it('names the local stack as its server', () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: LOCAL_SERVER })]);
  });
});

describe('the docs page', () => {
  it('embeds the document so that nothing in it can close the script element', () => {
    const page = renderDocsPage({ openapi: '3.1.1', info: { title: '</script><script>alert(1)</script>' } });
    expect(page.match(/<\/script>/g)).toHaveLength(2);
    expect(page).toContain('\\u003c/script>');
    const embedded = /<script type="application\/json" id="openapi">([^]*?)<\/script>/.exec(page)![1]!;
    expect(JSON.parse(embedded).info.title).toBe('</script><script>alert(1)</script>');
  });
});
