/**
 * Unit tests: the product's pure logic (tests/unit) and the embedded local cloud's emulators (local-cloud/tests).
 * Integration tests have their own config (jest.integration.config.js).
 */
const { availableParallelism } = require('node:os');

const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  reporters: ['default', '<rootDir>/tests/summary-reporter.js'],
  roots: ['<rootDir>/tests/unit', '<rootDir>/local-cloud/tests'],
  setupFiles: ['<rootDir>/tests/setup-env.js'],
  // Jest's default (one fewer than the cores) runs a 2-core CI machine's suites one by one in its own process.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  transform: { '^.+\\.(t|j)sx?$': swc },
  // @aws/lambda-invoke-store: its dynamic import of node:async_hooks needs transforming to run in jest's VM.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose|@aws/lambda-invoke-store)/)'],
  moduleNameMapper: { '^#shared/contracts$': '<rootDir>/functions/shared/contracts/index', '^#shared/(.*)$': '<rootDir>/functions/shared/$1' },
};
