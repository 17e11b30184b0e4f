// Odd input for the table-driven bad-input tests: every route with a path or query parameter must answer it with
// a 4xx and a JSON error body, never a 5xx. Paths are sent byte for byte (fetch would resolve `..` first).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { apiUrl } from './target';

/** Path ids no route accepts, already URL-encoded where a raw request line would not carry them: a 4xx. */
export const ODD_IDS: Record<string, string> = {
  'a very long id': 'x'.repeat(2000),
  'a unicode id': 'caf%C3%A9-%F0%9F%8D%94',
  'an id with a NUL': 'a%00b',
  'a traversal inside an id': '..%2F..%2Fetc%2Fpasswd',
  'three dots': '...',
  'an encoded slash': 'a%2Fb',
  'quotes and spaces': '%27%20OR%20%271%27%3D%271',
};

/**
 * Dot segments: the URL resolves them before any route is chosen (`/sites/s/orders/..` is `/sites/s`), so no
 * handler ever sees one as an id; whatever route the URL lands on, it must not answer a 5xx. Sent with GET only:
 * `DELETE /me/sessions/.` is `DELETE /me/sessions`, which signs the caller out everywhere.
 */
export const DOT_SEGMENTS: Record<string, string> = {
  'a parent segment': '..',
  'a current segment': '.',
  'an encoded parent segment': '%2E%2E',
};

/** Page sizes a `limit` of 1..100 refuses (an empty one coerces to 0). */
export const ODD_LIMITS = ['0', '-1', '101', '1000000000000', `1${'0'.repeat(400)}`, '2.5', 'ten', '', 'NaN', 'Infinity'];

/** Dates `isoDateSchema` (#shared/time) refuses: outside 2000-01-01..2199-12-31, impossible, or no date at all. */
export const ODD_DATES = ['0000-01-01', '9999-12-31', '2023-02-30', '2026-13-01', '2026-00-10', '1999-12-31', '2200-01-01', '+002026-01-01', '2026-1-1', 'today', ''];

const base64Json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Cursors no query issued, URL-encoded; a domain adds its own (another site's, a tampered one). */
export const ODD_CURSORS: Record<string, string> = {
  'an empty cursor': '',
  'a cursor that is not base64': '%25%25not%20base64%25%25',
  'a cursor of control characters': '%00%01%02',
  'a cursor of JSON null': base64Json(null),
  'a cursor far too long': 'A'.repeat(5000),
  'a raw key of empty strings': base64Json({ pk: '', sk: '' }),
};

export interface Probe {
  what: string;
  method: string;
  path: string;
  /** Sent as it is, with `content-type: application/json`. */
  body?: string;
  /** The status expected: exactly this one, any 4xx ('client error', the default), or anything below 500. */
  status?: number | 'client error' | 'not a server error';
}

/** A GET whose query a route must refuse with a 400. */
export const badQuery = (what: string, path: string): Probe => ({ what, method: 'GET', path, status: 400 });

/** One probe per odd id per `{param}` of `route` ("METHOD /path"), the other parameters taken from `valid`. */
export function oddIdProbes(route: string, valid: Record<string, string>): Probe[] {
  const [method, template] = route.split(' ') as [string, string];
  const params = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const probe = (param: string, what: string, odd: string, status: Probe['status']): Probe => ({
    what: `${route} with ${param} = ${what}`,
    method,
    path: template.replace(/\{(\w+)\}/g, (_, name: string) => (name === param ? odd : encodeURIComponent(valid[name] ?? `no-${name}`))),
    status,
  });
  return params.flatMap((param) => [
    ...Object.entries(ODD_IDS).map(([what, odd]) => probe(param, what, odd, 'client error')),
    ...(method === 'GET' ? Object.entries(DOT_SEGMENTS).map(([what, odd]) => probe(param, what, odd, 'not a server error')) : []),
  ]);
}

function rawRequest(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  const base = new URL(apiUrl);
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        method,
        host: base.hostname,
        port: base.port || undefined,
        path: `${base.pathname.replace(/\/$/, '')}${path}`,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends every probe, a few at a time, and describes each one not answered as expected (its `status`, and a JSON
 * `error` body for a 4xx), so a failing test lists them all.
 */
export async function misanswered(probes: Probe[], headers: Record<string, string>): Promise<string[]> {
  const wrong: string[] = [];
  const queue = [...probes];
  const worker = async () => {
    for (let probe = queue.shift(); probe; probe = queue.shift()) {
      const res = await rawRequest(probe.method, probe.path, headers, probe.body);
      let error: unknown;
      try {
        error = (JSON.parse(res.text) as { error?: unknown }).error;
      } catch {
        error = undefined;
      }
      const expected = probe.status ?? 'client error';
      const statusOk =
        expected === 'not a server error' ? res.status < 500 : expected === 'client error' ? res.status >= 400 && res.status < 500 : res.status === expected;
      const bodyOk = res.status < 400 || error !== undefined;
      if (!statusOk || !bodyOk) wrong.push(`${probe.what}: ${res.status} ${res.text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return wrong;
}
