// The tsnn command and the package entry points, run as a user would (plain node on the compiled output).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { bin: { tsnn: string }; version: string };
const bin = `${root}/${pkg.bin.tsnn}`;
const built = existsSync(bin);
const needsBuild = built ? false : 'dist/ is not built (npm ci runs the prepare script; or run npm run build)';

const run = (args: string[], cwd = root) => spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 });

test('tsnn info reports version, backends, onnxruntime and operator coverage', { skip: needsBuild }, () => {
  const r = run([bin, 'info', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.version, pkg.version);
  assert.equal(info.operators.total, 95);
  assert.ok(info.operators.implemented >= 22);
  assert.equal(info.operators.implemented + info.operators.missing.length, 95);
  assert.ok(!info.operators.missing.includes('matmul'));
  assert.match(info.onnxruntime, /^\d+\.\d+\.\d+$/);
  assert.ok(info.backends[0].providers.includes('cpu'));
  const text = run([bin, 'info']);
  assert.match(text.stdout, /operators implemented: \d+ \/ 95/);
});

test('tsnn exits 2 on a usage error', { skip: needsBuild }, () => {
  const r = run([bin, 'no-such-command']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command/);
});

test('import("tsnn") works with plain node through package.json exports', { skip: needsBuild }, () => {
  const code = `const m = await import('tsnn'); m.installGlobals();
    const ctx = await navigator.ml.createContext(); const b = new MLGraphBuilder(ctx);
    const x = b.input('x', {dataType: 'float32', shape: [3]});
    const g = await b.build({y: b.relu(x)});
    const r = await ctx.compute(g, {x: new Float32Array([-1, 0, 2])});
    console.log(JSON.stringify([...r.y.data]));`;
  const r = run(['--input-type=module', '-e', code]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '[0,0,2]');
});

test('the demo runs on its embedded weights', { skip: needsBuild }, () => {
  const r = run([`${root}/dist/examples/demo.js`]);
  assert.equal(r.status, 0, r.stderr);
  const m = /probs = \[([^\]]+)\]/.exec(r.stdout);
  assert.ok(m, r.stdout);
  const probs = m[1]!.split(',').map(Number);
  assert.equal(probs.length, 4);
  assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-3);
  // One dynamic graph grows its cache by one row per step; the example graph file loads and runs.
  assert.match(r.stdout, /attention shapes \[1,1\] \[1,2\] \[1,3\] \[1,4\]/);
  const mlp = /mlp\.webnn: probs\[2,3\] = \[([^\]]+)\]/.exec(r.stdout);
  assert.ok(mlp, r.stdout);
  const rows = mlp[1]!.split(',').map(Number);
  assert.ok(Math.abs(rows.slice(0, 3).reduce((a, b) => a + b, 0) - 1) < 1e-3 && Math.abs(rows.slice(3).reduce((a, b) => a + b, 0) - 1) < 1e-3);
});

test('the README example runs and prints what its comment says', { skip: needsBuild }, () => {
  const readme = readFileSync(`${root}/README.md`, 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(code, 'README has a js example');
  const promised = /\/\/ \[([\d, .]+)\]/.exec(code)![1]!.split(',').map(Number);
  const r = run(['--input-type=module', '-e', code]);
  assert.equal(r.status, 0, r.stderr);
  const printed = /\[([^\]]+)\]/.exec(r.stdout)![1]!.split(',').map(Number);
  assert.deepEqual(printed, promised);
});
