// The core (src/graph, src/ops, src/api, src/onnx, src/passes, and everything src/core.ts reaches) uses no
// platform API: no Node built-in modules, no native backend, no Buffer/process/require — so a browser entry point
// can reuse it and register its own backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NEUTRAL_DIRS = ['src/graph', 'src/ops', 'src/api', 'src/onnx', 'src/passes'];
const BUILTINS = new Set(builtinModules);

/** The module specifiers a file imports or re-exports (static and dynamic). */
function specifiers(code: string): string[] {
  const found: string[] = [];
  for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of code.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

/** Code without comments and string literals, for looking up identifiers. */
function codeOnly(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`(?:\\.|[^`\\])*`/g, "''");
}

function problems(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const s of specifiers(code)) {
    if (s.startsWith('node:') || BUILTINS.has(s) || BUILTINS.has(s.split('/')[0]!)) out.push(`imports ${s}`);
    if (s === 'onnxruntime-node' || s.startsWith('onnxruntime-node/')) out.push(`imports ${s}`);
    if (s.startsWith('.') && /\/backends\/onnxruntime\/backend\.js$/.test(s)) out.push(`imports the onnxruntime-node backend (${s})`);
  }
  const bare = codeOnly(code);
  for (const id of ['Buffer', 'process', 'require', '__dirname', '__filename', 'setImmediate']) {
    if (new RegExp(`\\b${id}\\b`).test(bare)) out.push(`uses ${id}`);
  }
  return out;
}

/** Every source file reachable from `entry` through relative imports. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const s of specifiers(readFileSync(file, 'utf8'))) {
      if (s.startsWith('.')) stack.push(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
    }
  }
  return seen;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

test('src/graph, src/ops, src/api, src/onnx and src/passes import nothing platform-specific', () => {
  const files = NEUTRAL_DIRS.flatMap((d) => tsFiles(join(root, d)));
  assert.ok(files.length > 40, `found ${files.length} files`);
  const bad = files.flatMap((f) => problems(f).map((p) => `${relative(root, f)}: ${p}`));
  assert.deepEqual(bad, []);
});

test('everything src/core.ts reaches is platform-neutral, and the Node entry registers the backend', () => {
  const files = reachable(join(root, 'src/core.ts'));
  for (const dir of ['src/api/', 'src/ops/', 'src/graph/', 'src/backends/registry.ts']) {
    assert.ok([...files].some((f) => relative(root, f).startsWith(dir)), `core reaches ${dir}`);
  }
  const bad = [...files].flatMap((f) => problems(f).map((p) => `${relative(root, f)}: ${p}`));
  assert.deepEqual(bad, []);
  assert.ok(reachable(join(root, 'src/index.ts')).has(join(root, 'src/backends/onnxruntime/backend.ts')));
});

test('the checker sees what it must refuse', () => {
  assert.deepEqual(specifiers("import { readFileSync } from 'node:fs';\nexport * from './x.js';\nimport './y.js';\nconst m = await import('fs');"),
    ['node:fs', './x.js', './y.js', 'fs']);
  assert.equal(codeOnly("// Buffer in a comment\nconst s = 'Buffer';").includes('Buffer'), false);
  assert.ok(/\bBuffer\b/.test(codeOnly('const b = Buffer.from(x);')));
});
