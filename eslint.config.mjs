// Type-aware lint for the whole workspace. Module boundaries turn the architecture
// ("services talk only through streams and Postgres") into lint errors.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const depConstraints = [
  // type dimension: what a kind of project may build on
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contracts', 'type:util'] },
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util'],
    bannedExternalImports: ['typeorm', 'ioredis', '@nestjs/*', 'pg', 'undici'],
  },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:data-access', 'type:domain', 'type:contracts', 'type:util'] },
  // scope dimension: a service's code never reaches into another service
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:platform', 'scope:shared'] },
  ...['ingress', 'delivery', 'monitor', 'wallet', 'challenges'].map((svc) => ({
    sourceTag: `scope:${svc}`,
    onlyDependOnLibsWithTags: [`scope:${svc}`, 'scope:shared', 'scope:platform'],
  })),
];

// Test files and their fixtures may use the harness (type:testing, scope:platform) whatever their project's tags.
const specDepConstraints = depConstraints.map((c) => {
  if (c.sourceTag.startsWith('type:')) return { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] };
  if (c.sourceTag === 'scope:shared') return { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'scope:platform'] };
  return c;
});

export default [
  { ignores: ['**/dist', '**/node_modules', 'tmp', '.data', '.nx', '**/*.cjs', '**/*.mjs', '**/*.js'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints, banTransitiveDependencies: false },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through the validated config of @peerfed/platform/config, not process.env.',
        },
      ],
    },
  },
  {
    // The test harness starts real servers: production code must never reach it.
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', 'libs/platform/testing/**', '**/testing-fixtures/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@peerfed/platform/testing', message: 'The test harness is for *.spec.ts and *.int-spec.ts only.' }] },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/testing-fixtures/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: specDepConstraints, banTransitiveDependencies: false },
      ],
    },
  },
  {
    // Config loading, tests and tools are where the environment is legitimately read.
    files: ['libs/platform/config/**/*.ts', '**/*.spec.ts', '**/*.int-spec.ts', 'libs/platform/testing/**/*.ts', 'tools/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
];
