module.exports = require('../../jest.preset.js')('referrals', __dirname);
