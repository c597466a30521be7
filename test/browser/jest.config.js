// Browser tests (issue 10): Debian's Chromium driven by playwright-core against the running platform and its web
// console. Their own project so that `--selectProjects browser` runs them alone (and end-to-end runs without them).
module.exports = { ...require('../../jest.preset.js')('browser', __dirname), testMatch: ['<rootDir>/**/*.test.ts'] };
