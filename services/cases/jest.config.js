module.exports = require('../../jest.preset.js')('cases', __dirname);
