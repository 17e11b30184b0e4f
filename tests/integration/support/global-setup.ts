process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { inspect } from 'node:util';
import { isWarningOrError } from '../../../dev/offline-log';
import { startBrigadeStack, type BrigadeStack } from '../../../dev/stack';
import { startSuiteLock } from './suite-lock';

declare global {
  // Shared with global-teardown, which runs in the same process.
  var brigadeLocalCloud: BrigadeStack | undefined;
  var brigadeSuiteLock: { close: () => Promise<void> } | undefined;
  var brigadeStackLog: WriteStream | undefined;
}

/** Where the local stack's log of an integration run goes (.local is not committed). */
const STACK_LOG = '.local/integration-stack.log';

export default async function globalSetup(): Promise<void> {
  const target = process.env.BRIGADE_TARGET ?? 'local';
  if (target !== 'local') {
    for (const name of ['BRIGADE_API_URL', 'AWS_REGION']) {
      if (!process.env[name]) throw new Error(`BRIGADE_TARGET=${target} needs ${name} in the environment (see README)`);
    }
    // Without the probe every suite would run and the ones the tier lacks would fail instead of saying why.
    if (target === 'localstack' && !process.env.BRIGADE_CAPABILITIES) {
      throw new Error('BRIGADE_TARGET=localstack: run the tests with npm run test:localstack, which probes what the LocalStack tier can run');
    }
  }
  // Whatever the target: the suites that must run alone do so against AWS too.
  const lock = await startSuiteLock();
  globalThis.brigadeSuiteLock = lock;
  process.env.BRIGADE_SUITE_LOCK_URL = lock.url;
  if (target !== 'local') return;
  const started = Date.now();
  // The stack's own messages, and the functions' warnings and errors, kept for a failed run: .ci/run prints the end
  // of this file when a test fails, so a CI failure says what the stack saw (an invocation failing, a dead letter).
  mkdirSync('.local', { recursive: true });
  const stackLog = createWriteStream(STACK_LOG, { flags: 'w' });
  const verbose = Boolean(process.env.BRIGADE_TEST_VERBOSE);
  const cloud = await startBrigadeStack({
    log: (m, e) => {
      stackLog.write(`${new Date().toISOString()} [local cloud] ${m} ${e ? inspect(e, { breakLength: Infinity }) : ''}\n`);
      if (verbose) console.log(`[local cloud] ${m}`, e ?? '');
    },
    onOfflineOutput: (line) => {
      if (isWarningOrError(line)) stackLog.write(`${new Date().toISOString()} [offline] ${line.slice(0, 2_000)}\n`);
    },
  });
  globalThis.brigadeStackLog = stackLog;
  globalThis.brigadeLocalCloud = cloud;
  // In the background, as npm start does; analytics-demo-history.test.ts waits for it.
  void cloud.seedDemoHistory();
  // Test workers start after this and inherit these variables.
  Object.assign(process.env, cloud.env, { BRIGADE_TARGET: 'local' });
  // Which telemetry transport serverless.yml gave the stack (npm test runs the iot suites on both).
  console.log(`\nlocal cloud started in ${((Date.now() - started) / 1000).toFixed(1)} s (telemetry transport: ${process.env.BRIGADE_TELEMETRY_TRANSPORT ?? 'stream'})`);
}
