// serverless-offline runs concurrent invocations in one process; the preload (offline-invocation-scope.cjs) runs each
// in an invocation context of its own, as Lambda Managed Instances do, so Powertools keeps one invocation's log keys
// off another's lines. Here with the real Powertools logger and the real InvokeStore, on a runner shaped like
// serverless-offline's (its `run(event, context)` calls the handler); offline.ts turns it on for the real one.
import { Logger } from '@aws-lambda-powertools/logger';
import { InvokeStore } from '@aws/lambda-invoke-store';

const { scopeInvocations, keepOnGlobalAwsLambda } = require('../offline-invocation-scope.cjs') as {
  scopeInvocations: (runner: new () => { run(event: unknown, context: unknown): Promise<unknown> }, store: Promise<unknown>) => void;
  keepOnGlobalAwsLambda: (store: unknown) => void;
};

/** Each invocation as the handler kit starts one (resetKeys, its correlation id), then a log line after an await. */
const logger = new Logger({ serviceName: 'scope-test', logLevel: 'INFO' }); // unit tests run at LOG_LEVEL=SILENT
async function handler(event: { id: string; waitMs: number }) {
  logger.resetKeys();
  logger.appendKeys({ correlationId: event.id });
  await new Promise((resolve) => setTimeout(resolve, event.waitMs));
  logger.info('request', { id: event.id });
}

function runnerClass() {
  return class Runner {
    run(event: { id: string; waitMs: number }, _context: unknown) {
      return handler(event);
    }
  };
}

/** 20 invocations at once, each one's line logged after all have started; returns each line's [id, correlationId]. */
async function concurrentLines(Runner: ReturnType<typeof runnerClass>): Promise<Array<[string, string]>> {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const runner = new Runner();
    await Promise.all(Array.from({ length: 20 }, (_, i) => runner.run({ id: `corr-${i}`, waitMs: 20 - i }, { awsRequestId: `req-${i}` })));
  } finally {
    write.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as { id: string; correlationId: string }).map(({ id, correlationId }) => [id, correlationId]);
}

const previous = process.env.AWS_LAMBDA_MAX_CONCURRENCY;
beforeAll(() => {
  process.env.AWS_LAMBDA_MAX_CONCURRENCY = '64';
});
afterAll(() => {
  if (previous === undefined) delete process.env.AWS_LAMBDA_MAX_CONCURRENCY;
  else process.env.AWS_LAMBDA_MAX_CONCURRENCY = previous;
});

it('without an invocation context, concurrent invocations print each other’s keys (what serverless-offline did)', async () => {
  keepOnGlobalAwsLambda(await InvokeStore.getInstanceAsync(true));
  const lines = await concurrentLines(runnerClass());
  expect(lines).toHaveLength(20);
  expect(lines.filter(([id, correlationId]) => id !== correlationId).length).toBeGreaterThan(0);
});

it('with the preload, each invocation’s lines carry its own keys', async () => {
  const store = InvokeStore.getInstanceAsync(true);
  keepOnGlobalAwsLambda(await store);
  const Runner = runnerClass();
  scopeInvocations(Runner, store);
  const lines = await concurrentLines(Runner);
  expect(lines).toHaveLength(20);
  expect(lines.filter(([id, correlationId]) => id !== correlationId)).toEqual([]);
});

it('the store survives serverless-offline replacing globalThis.awslambda when it loads a handler', async () => {
  const store = await InvokeStore.getInstanceAsync(true);
  keepOnGlobalAwsLambda(store);
  (globalThis as { awslambda?: object }).awslambda = { streamifyResponse: () => undefined };
  expect((globalThis as { awslambda?: { InvokeStore?: unknown } }).awslambda?.InvokeStore).toBe(store);
});
