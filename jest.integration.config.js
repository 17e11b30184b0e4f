/**
 * Integration tests: real sockets against a running stack. By default the global setup starts the embedded
 * local cloud and stops it afterwards; BRIGADE_TARGET=localstack|aws runs the same tests against endpoints
 * taken from the environment (see README).
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/tests/integration'],
  globalSetup: '<rootDir>/tests/integration/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/integration/support/global-teardown.ts',
  // Two suites at a time: most of a suite's time is spent waiting on the stack (deliveries, schedules, a real
  // clock), so a second one fills it; the stack runs in this process, apart from both. Suites that change what
  // every suite sees hold the whole stack (support/suite-lock.ts).
  maxWorkers: 2,
  testEnvironment: '<rootDir>/tests/integration/support/suite-environment.ts',
  testTimeout: 30_000,
};
