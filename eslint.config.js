// @ts-check
import { readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig, globalIgnores } from 'eslint/config';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import ts from 'typescript';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;

/**
 * The layers of docs/ARCHITECTURE.md. A file belongs to the first layer whose folder holds it, and may
 * import (types included) only from the folders in `may`; `typesFrom` folders only with `import type`.
 * Files outside src/ (e2e, bench, scripts, configs) may import anything but the entry layers.
 */
const LAYERS = [
  { dir: 'src/shared', may: ['src/shared'] },
  { dir: 'src/engine', may: ['src/shared', 'src/engine'] },
  { dir: 'src/renderer', may: ['src/shared', 'src/renderer'] },
  { dir: 'src/services', may: ['src/shared', 'src/services'], typesFrom: ['src/engine'] },
  { dir: 'src/main', may: ['src/shared', 'src/services', 'src/engine', 'src/main'] },
  { dir: 'src/preload', may: ['src/shared', 'src/preload'] },
  { dir: 'src/worker', may: ['src/shared', 'src/engine', 'src/worker'] },
  { dir: 'src/host', may: ['src/shared', 'src/services', 'src/engine', 'src/host'] },
  { dir: 'src/cli', may: ['src/shared', 'src/engine', 'src/cli'] },
];
/** Nothing imports these from elsewhere: they are entry points. */
const ENTRY_LAYERS = ['src/main', 'src/host', 'src/cli'];
/** The only layers that may import 'electron' (or 'electron/…'). */
const ELECTRON_LAYERS = ['src/main', 'src/preload'];
/** Code that runs in the browser too: no Node built-ins (test files run under Node and may use them). */
const BROWSER_LAYERS = ['src/shared', 'src/renderer'];

// The resolver below knows relative specifiers only; an alias would slip past the layer rule unseen.
const baseCompilerOptions = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.base.json'), 'utf8')).compilerOptions;
if (baseCompilerOptions.paths || baseCompilerOptions.baseUrl) {
  throw new Error('eslint.config.js: tsconfig has path aliases; teach resolveImport() about them first.');
}

const CODE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.vue', '.js', '.mjs', '.cjs'];
const RESOLVE_SUFFIXES = ['', ...CODE_EXTENSIONS, '.d.ts', '.json'];
const JS_TO_TS = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

const isFile = (/** @type {string} */ file) => statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
const rel = (/** @type {string} */ file) => path.relative(ROOT, file).split(path.sep).join('/');
const isRelative = (/** @type {string} */ spec) => spec === '.' || spec === '..' || /^\.\.?\//.test(spec);

/** Resolves a relative specifier as the bundler and tsc (moduleResolution: Bundler) do; null if nothing. */
function resolveImport(/** @type {string} */ fromFile, /** @type {string} */ spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const suffix of RESOLVE_SUFFIXES) if (isFile(base + suffix)) return base + suffix;
  for (const ext of CODE_EXTENSIONS) if (isFile(path.join(base, 'index' + ext))) return path.join(base, 'index' + ext);
  const ext = path.extname(base);
  for (const tsExt of JS_TO_TS[/** @type {keyof typeof JS_TO_TS} */ (ext)] ?? []) {
    if (isFile(base.slice(0, -ext.length) + tsExt)) return base.slice(0, -ext.length) + tsExt;
  }
  return null;
}

/** @type {Map<string, { mtimeMs: number, deps: string[] }>} */
const importCache = new Map();

/** The project files a file imports (every kind: value, type-only, re-export, dynamic), from its text. */
function projectImportsOf(/** @type {string} */ file) {
  if (!CODE_EXTENSIONS.includes(path.extname(file))) return [];
  const mtimeMs = statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  const cached = importCache.get(file);
  if (cached && cached.mtimeMs === mtimeMs) return cached.deps;
  let text = mtimeMs < 0 ? '' : readFileSync(file, 'utf8');
  if (file.endsWith('.vue')) {
    text = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  }
  const deps = ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter(isRelative)
    .map((spec) => resolveImport(file, spec))
    .filter((dep) => dep !== null);
  importCache.set(file, { mtimeMs, deps });
  return deps;
}

const layerOf = (/** @type {string} */ relPath) =>
  LAYERS.find((l) => relPath === l.dir || relPath.startsWith(l.dir + '/'));
const inAny = (/** @type {string} */ relPath, /** @type {string[]} */ dirs) =>
  dirs.some((d) => relPath === d || relPath.startsWith(d + '/'));

/**
 * Every module specifier of a file's AST, with whether it brings in types only.
 * @param {any} node
 * @returns {{ source: any, spec: string, typeOnly: boolean } | null}
 */
function importOf(node) {
  const literal = (/** @type {any} */ n) =>
    n?.type === 'Literal' && typeof n.value === 'string'
      ? n.value
      : n?.type === 'TemplateLiteral' && n.expressions.length === 0
        ? n.quasis[0].value.cooked
        : null;
  const typeSpecifiers = (/** @type {any[]} */ specifiers, /** @type {string} */ kind) =>
    specifiers.length > 0 && specifiers.every((s) => s[kind] === 'type');
  let source = null;
  let typeOnly = false;
  switch (node.type) {
    case 'ImportDeclaration':
      source = node.source;
      typeOnly = node.importKind === 'type' || typeSpecifiers(node.specifiers, 'importKind');
      break;
    case 'ExportNamedDeclaration':
      source = node.source;
      typeOnly = node.exportKind === 'type' || typeSpecifiers(node.specifiers, 'exportKind');
      break;
    case 'ExportAllDeclaration':
      source = node.source;
      typeOnly = node.exportKind === 'type';
      break;
    case 'ImportExpression':
      source = node.source;
      break;
    case 'TSImportType':
      source = node.source ?? node.argument?.literal ?? node.argument;
      typeOnly = true;
      break;
    case 'TSExternalModuleReference':
      source = node.expression;
      typeOnly = node.parent?.importKind === 'type';
      break;
    case 'CallExpression':
      if (node.callee.type === 'Identifier' && node.callee.name === 'require') source = node.arguments[0];
      break;
  }
  const spec = literal(source);
  return spec === null ? null : { source, spec, typeOnly };
}

const IMPORT_NODES = [
  'ImportDeclaration',
  'ExportNamedDeclaration',
  'ExportAllDeclaration',
  'ImportExpression',
  'TSImportType',
  'TSExternalModuleReference',
  'CallExpression',
];

/** Calls `check(import)` for every import of the file being linted. */
function visitImports(/** @type {(imp: NonNullable<ReturnType<typeof importOf>>) => void} */ check) {
  return Object.fromEntries(
    IMPORT_NODES.map((type) => [
      type,
      (/** @type {any} */ node) => {
        const imp = importOf(node);
        if (imp) check(imp);
      },
    ]),
  );
}

/** @type {import('eslint').ESLint.Plugin} */
const labPlugin = {
  meta: { name: 'lab' },
  rules: {
    layers: {
      meta: {
        type: 'problem',
        docs: { description: 'The layers of docs/ARCHITECTURE.md: who may import whom, and who may import electron.' },
        schema: [],
      },
      create(context) {
        const file = context.physicalFilename;
        const here = rel(file);
        const layer = layerOf(here);
        const isTest = /\.test\.[cm]?[jt]s$/.test(file);
        return visitImports(({ source, spec, typeOnly }) => {
          const report = (/** @type {string} */ message) => context.report({ node: source, message });
          const packageName = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
          if (packageName === 'electron' && !inAny(here, ELECTRON_LAYERS)) {
            report(`Layer rule: only ${ELECTRON_LAYERS.join(' and ')} import 'electron' (${here} does not).`);
            return;
          }
          if (isBuiltin(spec) && inAny(here, BROWSER_LAYERS) && !isTest) {
            report(`Layer rule: ${layer?.dir} runs in the browser too and imports no Node built-in ('${spec}').`);
            return;
          }
          if (!isRelative(spec)) return;
          const target = resolveImport(file, spec);
          if (target === null) {
            report(`Layer rule: cannot resolve '${spec}', so its layer cannot be checked.`);
            return;
          }
          const there = rel(target);
          if (!layer) {
            if (here.startsWith('src/')) {
              report(`Layer rule: ${here} is in no layer; add its folder to LAYERS in eslint.config.js.`);
            } else if (inAny(there, ENTRY_LAYERS)) {
              report(`Layer rule: nothing imports ${ENTRY_LAYERS.join(', ')} from elsewhere ('${spec}' is ${there}).`);
            }
            return;
          }
          if (inAny(there, layer.may)) return;
          if (typeOnly && layer.typesFrom && inAny(there, layer.typesFrom)) return;
          const types = layer.typesFrom ? ` (and types only from ${layer.typesFrom.join(', ')})` : '';
          report(
            `Layer rule: ${layer.dir} imports only from ${layer.may.join(', ')}${types}; '${spec}' is ${there}` +
              (typeOnly && !layer.typesFrom ? ' (type-only imports count).' : '.'),
          );
        });
      },
    },
    'no-cycle': {
      meta: {
        type: 'problem',
        docs: { description: 'No import cycles between project files; type-only and dynamic imports count.' },
        schema: [],
      },
      create(context) {
        const file = context.physicalFilename;
        if (!path.isAbsolute(file)) return {};
        return visitImports(({ source, spec }) => {
          if (!isRelative(spec)) return;
          const target = resolveImport(file, spec);
          if (target === null || target === file) return;
          // Breadth-first from the imported file back to this one: the shortest cycle through this import.
          /** @type {Map<string, string | null>} */
          const parent = new Map([[target, null]]);
          const queue = [target];
          while (queue.length > 0) {
            const current = /** @type {string} */ (queue.shift());
            for (const dep of projectImportsOf(current)) {
              if (dep === file) {
                const chain = [current];
                for (let p = parent.get(current); p; p = parent.get(p)) chain.unshift(p);
                context.report({
                  node: source,
                  message: `Import cycle (type-only imports count): ${[file, ...chain, file].map(rel).join(' -> ')}`,
                });
                return;
              }
              if (!parent.has(dep)) {
                parent.set(dep, current);
                queue.push(dep);
              }
            }
          }
        });
      },
    },
  },
};

const ALL_FILES = ['**/*.{js,mjs,cjs,ts,tsx,mts,cts,vue}'];
const JS_FILES = ['**/*.{js,mjs,cjs}'];

export default defineConfig(
  globalIgnores([
    'out/',
    'dist/',
    'fixtures/',
    'docs/images/',
    'test-results/',
    'playwright-report/',
    'scratch/',
    'bench/results/',
    '.vite/',
  ]),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  js.configs.recommended,
  // Type-aware: the project service finds each file's tsconfig (tsconfig.node.json / tsconfig.web.json).
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // The renderer's tests are in neither tsconfig (web excludes *.test.ts, node omits src/renderer).
          allowDefaultProject: ['src/renderer/src/*.test.ts', 'src/renderer/src/*/*.test.ts'],
          defaultProject: 'tsconfig.base.json',
          // typescript-eslint's default limit is 8 such files; the renderer has more tests than that.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 32,
        },
        tsconfigRootDir: ROOT,
      },
    },
  },
  vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' },
    },
  },
  // Plain JS (scripts/*.mjs, the worker-thread boot file, this config) is in no tsconfig and runs under Node.
  { files: JS_FILES, extends: [tseslint.configs.disableTypeChecked], languageOptions: { globals: globals.node } },

  {
    files: ALL_FILES,
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // `_`-prefixed names mark a parameter or binding that is deliberately unused.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // `async` on a method that implements a Promise-returning API (LabApi, fakes in tests) is how it
      // turns a throw into a rejection; an `await` inside is not the point.
      '@typescript-eslint/require-await': 'off',
      // Composables hand back functions declared as methods that never use `this`
      // (`const { t, te } = useI18n()` is vue-i18n's documented form); the rule flags each of them.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    rules: {
      // tsc checks this (noFallthroughCasesInSwitch) and knows that a call returning `never`, like
      // process.exit(), ends a case; ESLint's own rule does not.
      'no-fallthrough': 'off',
    },
  },
  {
    files: ['**/*.vue'],
    rules: {
      // As typescript-eslint advises for TypeScript: vue-tsc reports undefined names, knowing every global.
      'no-undef': 'off',
      // typescript-eslint cannot type what a .vue file exports (only vue-tsc can), so every type that
      // crosses a .vue import is an error type, which these rules read as `any`. vue-tsc and
      // no-explicit-any keep `any` out of SFCs.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
    },
  },
  {
    // The same for the one TypeScript file that imports a component (createApp(App)).
    files: ['src/renderer/src/main.ts'],
    rules: { '@typescript-eslint/no-unsafe-argument': 'off' },
  },
  {
    files: ['e2e/**'],
    rules: {
      // Playwright reads a fixture's dependencies from its first parameter, which must be a
      // destructuring pattern: `async ({}, use) => …` is its documented form for "no dependencies".
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
    },
  },

  // The project's own architecture rules (see LAYERS above).
  {
    files: ALL_FILES,
    plugins: { lab: labPlugin },
    rules: { 'lab/layers': 'error', 'lab/no-cycle': 'error' },
  },

  // Turn off every rule that only formats (Prettier owns layout), vue's template rules included.
  prettier,
  // Prettier keeps code within printWidth but never breaks comments or strings: this holds every line to
  // the same 120 columns (.prettierrc.json). A URL is the one thing that cannot be split.
  {
    files: ALL_FILES,
    plugins: { '@stylistic': stylistic },
    rules: {
      // Prose in strings (the two languages' texts, test titles) is not broken up: Prettier cannot, and a string split
      // in pieces reads worse and translates worse. Code and comments stay within the width.
      '@stylistic/max-len': [
        'error',
        { code: 120, tabWidth: 2, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true },
      ],
    },
  },
);
