module.exports = require('../../jest.preset.js')('partners', __dirname);
