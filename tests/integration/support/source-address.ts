// Requests from a chosen loopback source address. serverless-offline reports the socket's remote address as
// `requestContext.http.sourceIp` (hapi's request.info.remoteAddress), and on Linux the whole of 127.0.0.0/8 is
// loopback, so each address here is a different client IP to the login throttle. Tests that deliberately fail
// logins send from their own address so they never use up the budget of 127.0.0.1, which every other test
// signs in from. Against a remote target the server sees our public address whatever we bind, so the address
// is only honoured locally.
import { request } from 'node:http';
import { apiUrl, isLocal } from './target';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export function apiFrom(
  localAddress: string,
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  if (!isLocal) return viaFetch(method, path, init);
  const url = new URL(`${apiUrl}${path}`);
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const headers: Record<string, string> = { ...init.headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) };
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function viaFetch(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> }): Promise<ApiResponse> {
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { ...init.headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: Object.fromEntries(response.headers), text, json: parse(text) };
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Waits, if needed, so that `seconds` of work fit inside one fixed throttle window. */
export async function awaitRoomInThrottleWindow(seconds: number, windowSeconds = Number(process.env.LOGIN_WINDOW_SECONDS ?? 900)): Promise<void> {
  const now = Date.now() / 1000;
  const left = windowSeconds - (now % windowSeconds);
  if (left < seconds) await new Promise((r) => setTimeout(r, (left + 1) * 1000));
}
