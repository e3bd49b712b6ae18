// Lint rules: eslint's and typescript-eslint's recommended sets over src/ and test/, and the layer
// boundaries of src/ (issue #14): which folder may import which. test/lint-boundaries.test.ts checks them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Import paths are matched gitignore-style (`*` is one path segment, `**` any number, `!` re-includes).
// `**/db/**` catches `../db/x.ts` and `../../db/x.ts` alike; bare `http` (node) has no `/` after it, so it is not caught.
const layer = (name) => [`**/${name}/**`];
const restrict = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '.tap/',
      'data/',
      'migrations/',
      'openapi/',
      'bench/results/',
      'clients/typescript/schema.ts',
      'src/web/public/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },

  // Layer boundaries. Each file is in one folder, so each gets exactly one of these (a later
  // no-restricted-imports setting would replace an earlier one, not add to it).
  {
    // shared: pure helpers and types, usable from every layer, so it depends on none of them.
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': restrict({
        group: [...layer('db'), ...layer('modules'), ...layer('http'), ...layer('plugins')],
        message:
          'src/shared is the bottom layer: it must not import src/db, src/modules, src/http or src/plugins. Keep the pure part here and put queries in src/db.',
      }),
    },
  },
  {
    // plugins: app-wide Fastify plugins; what they need from a module comes in as a plugin option from src/app.ts.
    files: ['src/plugins/**'],
    rules: {
      'no-restricted-imports': restrict({
        group: layer('modules'),
        message: 'src/plugins must not import src/modules: take what a plugin needs as a plugin option, passed in from src/app.ts.',
      }),
    },
  },
  {
    // db: data access only; no HTTP framework and nothing from the layers above it.
    files: ['src/db/**'],
    rules: {
      'no-restricted-imports': restrict(
        {
          group: ['fastify', 'fastify-*', '@fastify/*'],
          message: 'src/db must not depend on Fastify: it is data access only and is used outside HTTP (scripts, worker).',
        },
        {
          group: [...layer('http'), ...layer('plugins'), ...layer('modules')],
          message: 'src/db must not import src/http, src/plugins or src/modules: those layers depend on src/db, not the other way round.',
        },
      ),
    },
  },
  {
    // modules: one module reaches another only through its public face, service.ts (functions) and
    // schemas.ts (types and enums). `../*/*` is a sibling module's file; `!../../**` lets the
    // shared layers (../../db, ../../shared, ...) through; the second group closes the ../../modules/ detour.
    files: ['src/modules/**'],
    rules: {
      'no-restricted-imports': restrict(
        {
          group: ['../*/*', '!../../**', '!../*/service.ts', '!../*/schemas.ts'],
          message:
            "Another module is reached only through its service.ts (or schemas.ts for types and enums): re-export what you need from that module's service.ts.",
        },
        {
          group: ['../../modules/*/*', '!../../modules/*/service.ts', '!../../modules/*/schemas.ts'],
          message:
            "Another module is reached only through its service.ts (or schemas.ts for types and enums): re-export what you need from that module's service.ts.",
        },
      ),
    },
  },
  // Functions do one job (issue #14): over 60 lines of code, split by job. Route plugins are exempt: each is a
  // declarative list of routes (schema and a one-line handler each), long because a module has many routes.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/modules/*/routes.ts', 'src/modules/*/*-routes.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  // Layout is Prettier's job (npm run format); this switches off the few eslint rules that would argue with it.
  prettier,
);
