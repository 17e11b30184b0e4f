// Invokes functions through serverless-offline's Lambda endpoint, as AWS services would invoke them.
import { Agent } from 'node:http';
import type { Socket } from 'node:net';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaInvoker } from './types';
import { LOCAL_REGION } from './types';

/**
 * Invocations in flight at once, over as many kept-alive sockets. serverless-offline runs every handler in its one
 * process, so more at once only lengthens each one; the rest wait in order in our queue (never in the SDK's, which
 * warns, nor on a socket, which could time out).
 */
export const DEFAULT_MAX_CONCURRENT_INVOCATIONS = 32;
/**
 * How long a kept-alive socket may stay idle here. serverless-offline's server closes one idle for 5 s (Node's
 * default keepAliveTimeout), and an invocation sent on it just then fails with ECONNRESET ("socket hang up"): the
 * SDK's TimeoutError, after which an SQS batch waits out its visibility timeout (180 s). Node's agent keeps idle
 * sockets without limit unless told, so it is told to drop them a second earlier, as it would on a timeout hint.
 */
export const IDLE_SOCKET_MS = 4_000;

/** At most `limit` of the functions given to `run` at once; the others start in the order they came. */
export function createLimiter(limit: number) {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency limit must be a positive integer, got ${limit}`);
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      active++;
      try {
        return await work();
      } finally {
        release();
      }
    },
    /** In flight and queued now. */
    stats: () => ({ active, queued: waiting.length }),
  };
}

export function createLambdaInvoker(
  lambdaPort: number,
  options: { maxConcurrent?: number; idleSocketMs?: number } = {},
): LambdaInvoker & { destroy(): void; stats(): { active: number; queued: number } } {
  const maxConcurrent = options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_INVOCATIONS;
  const limiter = createLimiter(maxConcurrent);
  const agent = new Agent({ keepAlive: true, maxSockets: maxConcurrent });
  // After the agent's own 'free' listener (which sets no limit): the agent destroys a free socket that times out.
  agent.on('free', (socket: Socket) => socket.setTimeout(options.idleSocketMs ?? IDLE_SOCKET_MS));
  const client = new LambdaClient({
    endpoint: `http://127.0.0.1:${lambdaPort}`,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1, // the callers (SNS delivery, rule actions) own the retry policy
    // No client-side limit: serverless-offline ends an invocation at the function's own timeout, as Lambda does.
    requestHandler: { httpAgent: agent, requestTimeout: 0 },
  });
  const invoke = (functionName: string, event: unknown) =>
    limiter.run(async () => {
      try {
        const result = await client.send(
          new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(event)) }),
        );
        const text = result.Payload ? Buffer.from(result.Payload).toString('utf8') : '';
        if (result.FunctionError) return { ok: false as const, error: `${result.FunctionError}: ${text.slice(0, 2000)}` };
        return { ok: true as const, payload: text ? (JSON.parse(text) as unknown) : null };
      } catch (error) {
        return { ok: false as const, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
    });
  return Object.assign(invoke, {
    destroy: () => {
      client.destroy();
      agent.destroy();
    },
    stats: limiter.stats,
  });
}
