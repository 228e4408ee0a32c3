const { pathsToModuleNameMapper } = require('./tools/jest-paths');

/**
 * Integration and end-to-end tests: real PostgreSQL and Redis, real processes from dist/.
 * Each file isolates itself (own database, own Redis key prefix); they run in band because
 * the end-to-end files start several processes and the machine has two cores.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tests'],
  testMatch: ['**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: pathsToModuleNameMapper(),
  testTimeout: 60000,
};
