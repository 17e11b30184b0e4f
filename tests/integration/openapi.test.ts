import { api } from './support/target';

describe('API description', () => {
  it('GET /openapi.json answers the OpenAPI 3.1 document without a token', async () => {
    const res = await api('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.json.openapi).toMatch(/^3\.1\.\d+$/);
    expect(res.json.paths['/openapi.json']).toHaveProperty('get');
    expect(res.json.paths['/sites/{siteId}/orders']).toHaveProperty('post');
  });

  it('GET /docs answers a self-contained HTML page embedding the same document', async () => {
    const [page, document] = await Promise.all([api('GET', '/docs'), api('GET', '/openapi.json')]);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.text).toMatch(/^<!doctype html>/);
    const embedded = /<script type="application\/json" id="openapi">([^]*?)<\/script>/.exec(page.text)?.[1];
    expect(JSON.parse(embedded ?? 'null')).toEqual(document.json);
  });
});
