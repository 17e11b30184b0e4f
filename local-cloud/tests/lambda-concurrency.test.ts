// Bounded concurrency on the way to serverless-offline: the invoker's queue (createLimiter) and SNS delivering a
// burst to a Lambda subscriber a few at a time, each message once, failures retried without losing any.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { createLambdaInvoker, createLimiter } from '../lambda-invoker';
import { createSnsEmulator, type SnsLambdaEvent } from '../sns';
import type { InvokeResult } from '../types';
import { serveEmulator } from './support/emulator-server';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('createLimiter', () => {
  it('runs at most `limit` at once and starts the rest in the order they came', async () => {
    const limiter = createLimiter(3);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          started.push(i);
          peak = Math.max(peak, ++active);
          await tick();
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(limiter.stats()).toEqual({ active: 0, queued: 0 });
  });

  it('frees the slot of a task that throws', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });
});

describe('createLambdaInvoker', () => {
  let server: Server;
  let port: number;
  let active = 0;
  let peak = 0;
  const sockets = new Set<unknown>();

  beforeAll(async () => {
    // serverless-offline's Invoke endpoint, slow enough that a burst piles up.
    server = createServer((req, res) => {
      sockets.add(req.socket);
      peak = Math.max(peak, ++active);
      req.resume().on('end', () =>
        setTimeout(() => {
          active--;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ echoed: req.url }));
        }, 5),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('answers a burst far past its concurrency, every invocation, over no more sockets than that', async () => {
    const invoke = createLambdaInvoker(port, { maxConcurrent: 4 });
    try {
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => invoke(`fn-${i % 3}`, { i })));
      expect(results.filter((r) => r.ok)).toHaveLength(200);
      expect(peak).toBeLessThanOrEqual(4);
      expect(sockets.size).toBeLessThanOrEqual(4); // kept alive and reused
    } finally {
      invoke.destroy();
    }
  });

  it('drops a socket idle for longer than its limit before the server would close it, so none is reused as it closes', async () => {
    // The server keeps an idle socket 5 s and says so (`Keep-Alive: timeout=5`), as serverless-offline's does; the
    // invoker drops its own after 150 ms here (4 s by default).
    const invoke = createLambdaInvoker(port, { maxConcurrent: 1, idleSocketMs: 150 });
    const closedByUs: boolean[] = [];
    try {
      sockets.clear();
      expect(await invoke('fn', { first: true })).toMatchObject({ ok: true });
      const [socket] = [...sockets] as Array<import('node:net').Socket>;
      socket!.once('close', () => closedByUs.push(true));
      await new Promise((resolve) => setTimeout(resolve, 220));
      expect(closedByUs).toEqual([true]); // gone at 150 ms, while the server would have held it open for 5 s
      expect(await invoke('fn', { second: true })).toMatchObject({ ok: true });
      expect(sockets.size).toBe(2); // a new connection, not the closing one
    } finally {
      invoke.destroy();
    }
  });
});

describe('SNS → Lambda delivery under a burst', () => {
  it('delivers every message once, at most lambdaConcurrency at a time per function, retrying failures', async () => {
    let active = 0;
    let peak = 0;
    const delivered = new Map<string, number>();
    const failedOnce = new Set<string>();
    // Held until every message is published, so the burst is all there at once however slow the machine is.
    let allPublished!: () => void;
    const published = new Promise<void>((resolve) => (allPublished = resolve));
    const invoke = async (_fn: string, event: unknown): Promise<InvokeResult> => {
      peak = Math.max(peak, ++active);
      await published;
      await tick();
      active--;
      const message = (event as SnsLambdaEvent).Records[0]!.Sns.Message;
      // Every tenth message fails its first attempt, as a throttled or crashed invocation would.
      if (Number(message) % 10 === 0 && !failedOnce.has(message)) {
        failedOnce.add(message);
        return { ok: false, error: 'Unhandled: transient' };
      }
      delivered.set(message, (delivered.get(message) ?? 0) + 1);
      return { ok: true, payload: null };
    };
    const emulator = createSnsEmulator({ invokeLambda: invoke, retry: { attempts: 3, baseDelayMs: 1 }, lambdaConcurrency: 5 });
    const server = await serveEmulator(() => emulator);
    const sns = new SNSClient({ endpoint: server.baseUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    try {
      const topicArn = emulator.createTopic('burst');
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:consumer' }));
      await Promise.all(Array.from({ length: 300 }, (_, i) => sns.send(new PublishCommand({ TopicArn: topicArn, Message: String(i) }))));
      allPublished();
      await emulator.idle();
      expect(peak).toBe(5);
      expect(delivered.size).toBe(300);
      expect([...delivered.values()].every((count) => count === 1)).toBe(true);
      expect(failedOnce.size).toBe(30);
    } finally {
      sns.destroy();
      await server.close();
    }
    // 300 real SDK publishes over HTTP: well under a second on a quiet machine, several on a loaded 2-core one.
  }, 30_000);
});
