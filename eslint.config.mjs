// Lint for the whole repository (runs in `npm test`). typescript-eslint's recommended rules, plus the boundary
// rules that keep the architecture honest: a domain reaches other domains only through events (the contracts in
// functions/shared/contracts), never by importing their code, and the product never imports the local cloud or
// the local dev stack.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const notTheLocalCloud = [
  { group: ['**/local-cloud', '**/local-cloud/**', '**/dev/**', '**/localstack/**'], message: 'The product never imports the local cloud or the dev stack.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.serverless*/**', '.local/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // Tests and benches read arbitrary JSON from the wire; typing every response body would only restate it.
    files: ['tests/**/*.ts', 'local-cloud/tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // A domain's code imports its own folder ('./x') and the kit ('#shared/x'): a parent path can only lead into
    // another domain, the kit by a path the bundler would not alias, or the local cloud.
    files: ['functions/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../*', '../**'], message: 'A domain does not import another domain: use the event contracts in #shared/contracts, or #shared/* for the kit.' },
            ...notTheLocalCloud,
          ],
        },
      ],
    },
  },
  {
    // The local cloud is a separate program: it knows nothing of Brigade's domains or dev bootstrap.
    files: ['local-cloud/**/*.ts'],
    ignores: ['local-cloud/tests/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/functions/**', '**/dev/**', '#shared/*'], message: 'The local cloud does not import the product or the dev stack.' }] }],
    },
  },
);
