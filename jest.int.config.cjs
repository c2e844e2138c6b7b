module.exports = {
  ...require('./jest.preset.cjs')(['<rootDir>/**/*.int-spec.ts']),
  testTimeout: 60_000,
};
