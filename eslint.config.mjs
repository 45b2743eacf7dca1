// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The dependency rule of the monorepo: services and the gateway share code only
 * through the @shop/shared package, never by importing each other's files.
 */
const packageBoundaries = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          regex: '^@shop/(?!shared(/|$))',
          message: 'Services and the gateway import only @shop/shared, never each other.',
        },
        {
          regex: '(^|/)(services|gateway|shared)/',
          message: 'Import other packages by workspace name (@shop/shared), never by relative path.',
        },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      ...packageBoundaries,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', __dirname: 'readonly', module: 'writable', require: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', AbortSignal: 'readonly', Buffer: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
  },
);
