// serverless-offline (through osls) serving the HTTP API, WebSocket API and the Lambda invoke endpoint.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OSLS_BIN, PROJECT_ROOT, type ResolvedService } from './service-definition';

/** Removes the entries serverless-offline and hapi both put in the CORS lists (see the file). */
const CORS_HEADERS_PRELOAD = join(__dirname, 'offline-cors-headers.cjs');
/** Responses uncompressed, as API Gateway sends them (see the file). */
const UNCOMPRESSED_PRELOAD = join(__dirname, 'offline-uncompressed.cjs');
/** Request bodies handed to functions as text, as API Gateway does (see the file). */
const REQUEST_BODY_PRELOAD = join(__dirname, 'offline-request-body.cjs');
/** A function's answer past Lambda's 6 MB is API Gateway's 500, as on AWS (see the file). */
const RESPONSE_LIMIT_PRELOAD = join(__dirname, 'offline-response-limit.cjs');
/** WebSocket frames of at most 32 KB and messages of at most 128 KB, as API Gateway takes them (see the file). */
const WEBSOCKET_LIMITS_PRELOAD = join(__dirname, 'offline-websocket-limits.cjs');
/** Runs each invocation in an invocation context of its own, as Lambda Managed Instances do (see the file). */
const INVOCATION_SCOPE_PRELOAD = join(__dirname, 'offline-invocation-scope.cjs');
/** Stops serverless-offline if this process dies without stopping it (see the file). */
const PARENT_WATCH_PRELOAD = join(__dirname, 'offline-parent-watch.cjs');
/**
 * Set, as on Lambda Managed Instances, because invocations share serverless-offline's process: Powertools then keeps
 * per-invocation state in the invocation's context (any value turns that on).
 */
const MAX_CONCURRENCY = '64';

export interface OfflineProcess {
  stop(): Promise<void>;
}

export async function startOffline(options: {
  stage: string;
  env: NodeJS.ProcessEnv;
  healthUrl: string;
  onOutput: (line: string) => void;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Where its osls writes the resolved service once its start begins (offline-resolved-service.cjs). */
  serviceFile?: string;
}): Promise<OfflineProcess> {
  const preloads = ['--require', CORS_HEADERS_PRELOAD, '--require', UNCOMPRESSED_PRELOAD, '--require', REQUEST_BODY_PRELOAD, '--require', RESPONSE_LIMIT_PRELOAD, '--require', WEBSOCKET_LIMITS_PRELOAD, '--require', INVOCATION_SCOPE_PRELOAD, '--require', PARENT_WATCH_PRELOAD];
  const child: ChildProcess = spawn(process.execPath, [...preloads, OSLS_BIN, 'offline', 'start', '--stage', options.stage], {
    cwd: PROJECT_ROOT,
    env: {
      ...options.env,
      AWS_LAMBDA_MAX_CONCURRENCY: MAX_CONCURRENCY,
      BRIGADE_WATCH_PARENT: '1',
      ...(options.serviceFile && { BRIGADE_RESOLVED_SERVICE_FILE: options.serviceFile }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32', // its own process group, so stop() ends its children too
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-20_000);
    for (const line of text.split('\n')) if (line.trim()) options.onOutput(line);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const signal = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        child.kill(sig);
      }
    };
    signal('SIGINT');
    const timer = setTimeout(() => signal('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serverless offline exited (${child.exitCode}):\n${output}`);
    if (options.signal?.aborted) {
      await stop();
      options.signal.throwIfAborted();
    }
    try {
      const response = await fetch(options.healthUrl);
      if (response.ok) return { stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`serverless offline did not answer ${options.healthUrl} in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The resolved service as the starting serverless-offline's osls wrote it to `file` (offline-resolved-service.cjs),
 * once it is there; the start's failure if offline fails first. What `resolveService` gets from an `osls print`
 * of its own, without resolving the configuration twice.
 */
export async function resolvedServiceOf(file: string, offlineStarting: Promise<unknown>): Promise<ResolvedService> {
  let failed: unknown;
  let settled = false;
  offlineStarting.then(
    () => (settled = true),
    (error: unknown) => {
      settled = true;
      failed = error ?? new Error('serverless offline failed to start');
    },
  );
  for (;;) {
    // Read after noting how the start stood: a file written just before offline settled is still found.
    const [failedBefore, settledBefore] = [failed, settled];
    try {
      return JSON.parse(await readFile(file, 'utf8')) as ResolvedService;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (failedBefore) throw failedBefore;
    // Ready without having written it: the plugin is not in serverless.yml's custom.plugins.
    if (settledBefore) throw new Error(`serverless offline started without writing the resolved service to ${file} (is ./local-cloud/offline-resolved-service.cjs in serverless.yml's custom.plugins?)`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
