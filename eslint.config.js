// Lint rules of the project: type-aware typescript-eslint, and the layering the README promises
// (protocol < drivers < agent; protocol < sink; common below all; lab/ (test tooling that is shipped for the
// chaos runner and the benchmarks) above all of them; shipped code never imports test/).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import patterns that a folder's shipped (non-test) files must not use. */
const upward = (...folders) =>
  folders.map((f) => ({ group: [`**/${f}/**`, `**/${f}`], message: `layering: this folder may not import ${f}/` }));

const layer = (files, forbidden) => ({
  files,
  ignores: ['**/*.test.ts'],
  rules: { 'no-restricted-imports': ['error', { patterns: upward(...forbidden) }] },
});

export default tseslint.config(
  {
    ignores: [
      'vitest.config.ts',
      'vitest.power-cuts.config.ts',
      'dist/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  layer(['common/**'], ['protocol', 'drivers', 'agent', 'sink', 'bench', 'scripts', 'lab', 'test']),
  layer(['protocol/**'], ['drivers', 'agent', 'sink', 'bench', 'scripts', 'lab', 'test']),
  layer(['drivers/**'], ['agent', 'sink', 'bench', 'scripts', 'lab', 'test']),
  layer(['agent/**'], ['sink', 'bench', 'scripts', 'lab', 'test']),
  layer(['sink/**'], ['drivers', 'agent', 'bench', 'scripts', 'lab', 'test']),
  layer(['bench/**', 'scripts/**', 'lab/**'], ['test']),
  // Tests may use test/ and lab/ helpers, but a protocol test still may not pull code from the layers above it.
  {
    files: ['protocol/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: upward('drivers', 'agent', 'sink', 'bench', 'scripts', 'lab') }],
    },
  },
);
