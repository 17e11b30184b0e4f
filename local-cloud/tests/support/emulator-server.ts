// Serves a local-cloud emulator on a free loopback port the way the edge server does (body read, then `handle`),
// so a unit test can point a real AWS SDK client at it; and plain HTTP endpoints for what emulators deliver to.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EdgeService } from '../../types';

export interface TestServer {
  baseUrl: string;
  close(): Promise<void>;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function serveHttp(handle: (req: IncomingMessage, body: Buffer, res: ServerResponse) => unknown): Promise<TestServer> {
  const server = createServer(async (req, res) => {
    await handle(req, await readBody(req), res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/**
 * `current` is asked on every request, so a test can swap in another emulator (one reloaded from disk). A request
 * the emulator does not claim gets 404 `not handled by <label>`.
 */
export function serveEmulator(current: () => EdgeService, label?: string): Promise<TestServer> {
  return serveHttp(async (req, body, res) => {
    const service = current();
    if (!(await service.handle(req, body, res))) res.writeHead(404).end(`not handled by ${label ?? service.name}`);
  });
}

/** The rejection of `promise` (as the SDK's exception class `E`), so tests can assert on it; fails if it resolves. */
export async function rejectionOf<E = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected the call to fail');
}
