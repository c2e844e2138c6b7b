// The tool is ES modules written as .mts; the shared preset knows only .ts. Reuse it, teach it
// .mts, and map the `./x.mjs` specifiers that Node ESM needs back to their `.mts` sources.
const path = require('node:path');
const preset = require('../../jest.preset.cjs')(['<rootDir>/src/**/*.spec.mts']);
const [swc] = Object.values(preset.transform);

module.exports = {
  ...preset,
  rootDir: __dirname,
  moduleFileExtensions: [...preset.moduleFileExtensions, 'mts'],
  transform: { '^.+\\.mts$': swc, ...preset.transform },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.mjs$': '$1.mts', ...preset.moduleNameMapper },
  setupFiles: [path.join(__dirname, '..', '..', 'jest.setup.cjs')],
};
