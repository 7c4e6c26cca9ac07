// The tsnn command and the package as a user runs them: plain node on the compiled output in dist/. npm test
// builds dist/ first; a dist/ older than its sources fails these tests instead of testing stale code.
import { after } from 'node:test';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGraph, ml, type MLContext } from '../../src/index.js';
import { writeNpy } from '../../src/format/npy.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const examples = join(root, 'examples');
export const bin = join(root, 'dist/src/cli/main.js');

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* sources(join(dir, e.name));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) yield join(dir, e.name);
  }
}

let checked: string | undefined;
/** Why dist/ does not hold the current sources ('' when it does): a missing or older compiled file. */
export function distProblem(): string {
  if (checked !== undefined) return checked;
  checked = '';
  // Browser-only files (DOM code) are left out of the Node build: tsconfig.json excludes them.
  const excluded = new Set((JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { exclude?: string[] }).exclude ?? []);
  for (const dir of ['src', 'examples']) {
    for (const ts of sources(join(root, dir))) {
      if (excluded.has(relative(root, ts))) continue;
      const js = join(root, 'dist', relative(root, ts)).replace(/\.ts$/, '.js');
      if (!existsSync(js)) checked = `${relative(root, js)} does not exist`;
      else if (statSync(js).mtimeMs < statSync(ts).mtimeMs) checked = `${relative(root, js)} is older than ${relative(root, ts)}`;
      if (checked) return (checked = `${checked}: run npm run build (npm test builds first)`);
    }
  }
  return checked;
}

function assertBuilt(): void {
  const problem = distProblem();
  if (problem) throw new Error(`dist/ is stale: ${problem}`);
}

/** Runs plain node with `args` in `cwd` (after checking that dist/ is current). */
export function node(args: string[], cwd = root): SpawnSyncReturns<string> {
  assertBuilt();
  return spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000 });
}

/** Runs `tsnn ...args` (the compiled CLI) in `cwd`. */
export function tsnnIn(cwd: string): (...args: string[]) => SpawnSyncReturns<string> {
  return (...args) => node([bin, ...args], cwd);
}

/** A fresh temporary directory, removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `data` as `dir/name` in the .npy format and returns its path. */
export function npyFile(dir: string, name: string, dataType: 'float32' | 'int32', shape: number[], data: Float32Array | Int32Array): string {
  const path = join(dir, name);
  writeFileSync(path, writeNpy({ dataType, shape, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }));
  return path;
}

/** An input for examples/mlp.webnn (x: float32[2, 4]). */
export const MLP_INPUT = Float32Array.from([0.5, -1, 2, 0.25, -0.5, 1.5, 0, 1]);

/** examples/mlp.webnn's outputs for MLP_INPUT, computed through the API. */
export async function mlpOutputs(): Promise<Awaited<ReturnType<MLContext['compute']>>> {
  const ctx = await ml.createContext();
  return ctx.compute(await loadGraph(ctx, join(examples, 'mlp.webnn')), { x: MLP_INPUT });
}
