// The workspace config applies its type-aware rules to `*.ts` only; this tool is written as
// `.mts` (ES modules, because @fedify/fedify is ESM-only), so the same rules are re-applied to
// `.mts`, plus one of its own: it plays a foreign server and must not use any Peerfed code.
import workspace from '../../eslint.config.mjs';

const typeAware = workspace.filter(
  (block) => Array.isArray(block.files) && block.files.length === 1 && block.files[0] === '**/*.ts' && block.ignores === undefined,
);

export default [
  ...workspace,
  ...typeAware.map((block) => ({ ...block, files: ['**/*.mts'] })),
  {
    files: ['**/*.mts'],
    rules: {
      'no-restricted-syntax': 'off',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@peerfed/*', '../../../libs/*', '../../../apps/*'], message: 'The interop probe is an independent implementation: no Peerfed code.' }] },
      ],
    },
  },
];
