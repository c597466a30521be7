module.exports = require('../../jest.preset.js')('common', __dirname);
