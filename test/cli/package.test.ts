// The package as a user runs it: import('tsnn') through package.json exports, the demo, the README example.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { root, node } from '../support/cli.js';

test('import("tsnn") works with plain node through package.json exports', () => {
  const code = `const m = await import('tsnn'); m.installGlobals();
    const ctx = await navigator.ml.createContext(); const b = new MLGraphBuilder(ctx);
    const x = b.input('x', {dataType: 'float32', shape: [3]});
    const g = await b.build({y: b.relu(x)});
    const r = await ctx.compute(g, {x: new Float32Array([-1, 0, 2])});
    console.log(JSON.stringify([...r.y.data]));`;
  const r = node(['--input-type=module', '-e', code]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '[0,0,2]');
});

test('the demo runs on its embedded weights', () => {
  const r = node([`${root}/dist/examples/demo.js`]);
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

test('the README example runs and prints what its comment says', () => {
  const readme = readFileSync(`${root}/README.md`, 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(code, 'README has a js example');
  const promised = /\/\/ \[([\d, .]+)\]/.exec(code)![1]!.split(',').map(Number);
  const r = node(['--input-type=module', '-e', code]);
  assert.equal(r.status, 0, r.stderr);
  const printed = /\[([^\]]+)\]/.exec(r.stdout)![1]!.split(',').map(Number);
  assert.deepEqual(printed, promised);
});
