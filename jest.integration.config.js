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
  maxWorkers: 1,
  testTimeout: 30_000,
};
