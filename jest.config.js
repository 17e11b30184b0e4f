/**
 * Unit tests: the product's pure logic (tests/unit) and the embedded local cloud's emulators (local-cloud/tests).
 * Integration tests have their own config (jest.integration.config.js).
 */
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  reporters: ['default', '<rootDir>/tests/summary-reporter.js'],
  roots: ['<rootDir>/tests/unit', '<rootDir>/local-cloud/tests'],
  setupFiles: ['<rootDir>/tests/setup-env.js'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose)/)'],
  moduleNameMapper: { '^#shared/contracts$': '<rootDir>/functions/shared/contracts/index', '^#shared/(.*)$': '<rootDir>/functions/shared/$1' },
};
