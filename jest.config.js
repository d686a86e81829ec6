/** Jest runs every suite: unit (pure), integration (real PostgreSQL, Redis, Temporal), e2e (browser). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // No type checks here: `npm test` runs tsc --noEmit over the whole project (tests included)
    // before Jest, once, instead of ts-jest checking each file again in every worker.
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }],
  },
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
