// `npm test` runs all projects against one real PostgreSQL started by the global setup (embedded, unless
// TEST_ADMIN_DATABASE_URL points at an external server).
module.exports = {
  globalSetup: '<rootDir>/packages/common/dist/testing/global-setup.js',
  globalTeardown: '<rootDir>/packages/common/dist/testing/global-teardown.js',
  testTimeout: 60_000,
  projects: [
    '<rootDir>/packages/common',
    '<rootDir>/packages/platform',
    '<rootDir>/packages/bench',
    '<rootDir>/packages/client',
    '<rootDir>/services/partners',
    '<rootDir>/services/cases',
    '<rootDir>/services/referrals',
    '<rootDir>/gateway',
    '<rootDir>/test',
    '<rootDir>/test/browser',
  ],
};
