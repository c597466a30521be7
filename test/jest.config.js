module.exports = require('../jest.preset.js')('end-to-end', __dirname);
