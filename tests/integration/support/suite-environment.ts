// The integration suites' jest environment: node's, holding the suite lock (suite-lock.ts) from before the suite's
// first hook to after its last, exclusive for the suites that must run alone.
import { basename } from 'node:path';
import NodeEnvironment from 'jest-environment-node';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { acquireSuiteLock, EXCLUSIVE_SUITES } from './suite-lock';

export default class SuiteLockEnvironment extends NodeEnvironment {
  private readonly exclusive: boolean;
  private release?: () => void;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.exclusive = EXCLUSIVE_SUITES.has(basename(context.testPath));
  }

  override async setup(): Promise<void> {
    await super.setup();
    const url = process.env.BRIGADE_SUITE_LOCK_URL;
    if (url) this.release = await acquireSuiteLock(url, this.exclusive ? 'exclusive' : 'shared');
  }

  override async teardown(): Promise<void> {
    this.release?.();
    await super.teardown();
  }
}
