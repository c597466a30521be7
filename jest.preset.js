// Shared jest settings for every project (one per workspace, plus the end-to-end project in test/).
// Tests are transpiled by ts-jest without type checking (isolatedModules); `npm test` type-checks them first
// with tsconfig.tests.json. type-graphql keeps global metadata, so each subgraph is its own project.
const path = require('node:path');

module.exports = function jestProject(displayName, rootDir) {
  return {
    displayName,
    rootDir,
    testEnvironment: 'node',
    testMatch: [displayName === 'end-to-end' ? '<rootDir>/**/*.test.ts' : '<rootDir>/test/**/*.test.ts'],
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.jest.json') }] },
    slowTestThreshold: 20,
  };
};
