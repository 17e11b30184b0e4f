// One port for every emulated AWS API, like LocalStack's 4566: SDK clients and the AWS CLI need a single
// --endpoint-url. DynamoDB requests are forwarded to DynamoDB Local; the rest go to our emulators.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { EdgeService } from './types';
import { answerUnknownOperation } from './unknown-operation';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface EdgeServer {
  url: string;
  stop(): Promise<void>;
}

export async function startEdgeServer(options: {
  port: number;
  dynamodbPort: number;
  services: EdgeService[];
  log: (message: string, extra?: object) => void;
}): Promise<EdgeServer> {
  const server: Server = createServer((req, res) => {
    if (String(req.headers['x-amz-target'] ?? '').startsWith('DynamoDB')) {
      forward(req, res, options.dynamodbPort);
      return;
    }
    readBody(req)
      .then(async (body) => {
        if (req.url === '/_local/health') return send(res, 200, { status: 'ok', services: options.services.map((s) => s.name) });
        for (const service of options.services) {
          if (await service.handle(req, body, res)) return;
        }
        answerUnknownOperation(req, body, res);
      })
      .catch((error: Error & { statusCode?: number }) => {
        options.log('edge request failed', { method: req.method, url: req.url, error: error.message });
        if (!res.headersSent) send(res, error.statusCode ?? 500, { message: error.statusCode ? error.message : 'Internal error' });
      });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${options.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('Request body too large'), { statusCode: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function forward(req: IncomingMessage, res: ServerResponse, port: number): void {
  const upstream = request(
    { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
    (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    },
  );
  upstream.on('error', (error) => send(res, 502, { message: `DynamoDB Local unreachable: ${error.message}` }));
  req.pipe(upstream);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
