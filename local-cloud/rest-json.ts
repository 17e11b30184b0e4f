// A restJson1 response, as the IoT control and data planes answer: a JSON body (or none), a request id, and on
// errors the modeled exception's name in `x-amzn-ErrorType`, which the SDKs turn into their error classes.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export function sendRestJson(res: ServerResponse, status: number, body: object | undefined, headers: Record<string, string> = {}): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  res.end(payload);
}
