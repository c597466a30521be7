// The browser tests in test/browser are their own project ('browser').
module.exports = { ...require('../jest.preset.js')('end-to-end', __dirname), testPathIgnorePatterns: ['/node_modules/', '<rootDir>/browser/'] };
