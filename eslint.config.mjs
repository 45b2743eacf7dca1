// @ts-check
import js from '@eslint/js';
import path from 'node:path';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;
const PACKAGE_DIR = /^(shared|gateway|client|services\/[^/]+)(\/|$)/;

/** The workspace package a file belongs to (`services/users`, `gateway`, `shared`, `client`), if any. */
function packageOf(file) {
  return PACKAGE_DIR.exec(path.relative(ROOT, file).split(path.sep).join('/'))?.[1];
}

/**
 * The dependency rule of the monorepo: services and the gateway share code
 * only through the @shop/shared package. A relative import may not leave its
 * own package, and no package imports another by name except @shop/shared;
 * tests may also drive the system through @shop/client, the typed client the
 * build generates from the services' documents (it is built last).
 */
const boundaries = {
  rules: {
    'stay-in-package': {
      meta: {
        type: 'problem',
        messages: { escape: 'Import "{{source}}" leaves {{pkg}}: share code through @shop/shared.' },
      },
      create(context) {
        const pkg = packageOf(context.filename);
        const check = (node) => {
          const source = node.source?.value;
          if (!pkg || typeof source !== 'string' || !source.startsWith('.')) return;
          const target = path.resolve(path.dirname(context.filename), source);
          if (packageOf(target) !== pkg) context.report({ node, messageId: 'escape', data: { source, pkg } });
        };
        return {
          ImportDeclaration: check,
          ExportNamedDeclaration: check,
          ExportAllDeclaration: check,
          ImportExpression: check,
        };
      },
    },
  },
};

export default tseslint.config(
  // client/src/generated: the client's types, written by the build from the OpenAPI documents.
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'client/src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { boundaries },
    rules: {
      'boundaries/stay-in-package': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@shop/(?!shared(/|$))',
              message: 'Services and the gateway import only @shop/shared, never each other.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/test/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@shop/(?!(shared|client)(/|$))',
              message: 'Tests import only @shop/shared and @shop/client, never a service or the gateway.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        __dirname: 'readonly',
        module: 'writable',
        require: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
        Buffer: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
);
