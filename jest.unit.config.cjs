module.exports = require('./jest.preset.cjs')(['<rootDir>/**/*.spec.ts']);
