// Lint what the compiler can't see: workflow determinism, floating promises, the layer rules of
// DESIGN §1 and the rules of React hooks in the dashboard.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import layers from './scripts/lib/eslint-layers.mjs';

const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

/** Who may import whom, on resolved paths (scripts/lib/eslint-layers.mjs). */
const LAYER_ZONES = [
  {
    files: ['src/'],
    // Entry points that build the app may import it: src/api itself (src/api/main.ts) and the
    // OpenAPI CLI. Nothing else under src/ imports src/api today.
    except: ['src/api/', 'src/cli/admin-api-schema.ts'],
    forbid: ['src/api/'],
    message: 'Nothing under src/ imports src/api/ (entry points aside): move the shared piece down',
  },
  {
    files: ['src/db/'],
    forbid: ['src/email/'],
    message: 'src/db imports no src/email (e-mail depends on the database, not the reverse)',
  },
  {
    files: ['src/chain/'],
    forbid: ['src/db/'],
    message: 'src/chain imports no src/db: chain code returns facts, activities write them through src/db',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.data/',
      'admin/dist/',
      'test-output/',
      'coverage/',
      '**/*.d.ts',
      'migrations/Migration*.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The admin dashboard's .tsx files get the same type-aware rules (admin/tsconfig.json).
    files: ['**/*.ts', 'admin/src/**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Sanitisers must name control characters.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { layers },
    rules: { 'layers/no-import-across': ['error', { zones: LAYER_ZONES }] },
  },
  {
    files: ['admin/src/**/*.tsx', 'admin/src/**/*.ts'],
    plugins: reactHooks.configs.flat.recommended.plugins,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // A React Compiler notice (TanStack Table's hooks cannot be memoized by it); the dashboard
      // does not use the compiler, so there is nothing to act on.
      'react-hooks/incompatible-library': 'off',
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no clients, activity types only.
    files: ['workflows/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.flatMap((m) => [m, `node:${m}`]).map((name) => ({
            name,
            message: 'No Node built-ins in workflow/domain code.',
          })),
          patterns: [
            { group: ['node:*'], message: 'No Node built-ins in workflow/domain code.' },
            {
              group: [
                '@mikro-orm/*',
                'pg',
                'ioredis',
                '@solana/*',
                '@sendgrid/*',
                'express',
                '@temporalio/client',
                '@temporalio/worker',
                '**/src/db/**',
                '**/src/chain/**',
                '**/src/email/**',
                '**/src/api/**',
              ],
              message: 'Workflow/domain code must not import clients or I/O modules.',
            },
            {
              group: ['**/activities', '**/activities/*'],
              allowTypeImports: true,
              message: 'Import activity *types* only (import type).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.js', 'tests/support/*.js', '*.config.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
