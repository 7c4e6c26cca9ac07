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

test('the demo prints the values of its three graphs', () => {
  const r = node([`${root}/dist/examples/demo.js`]);
  assert.equal(r.status, 0, r.stderr);
  // Worked out in float64 JS from the demo's own weight formula (x·w1 + b1, relu, ·w2, softmax) and from
  // examples/mlp.webnn's weights, rounded as the demo prints them.
  assert.match(r.stdout, /^probs = \[0\.2137, 0\.2525, 0\.2492, 0\.2846\]  \(sum 1\.0000\)$/m);
  // One dynamic graph grows its cache by one row per step.
  assert.match(r.stdout, /^one dynamic graph, 4 decode steps: attention shapes \[1,1\] \[1,2\] \[1,3\] \[1,4\]$/m);
  assert.match(r.stdout, /^examples\/mlp\.webnn: probs\[2,3\] = \[0\.3732, 0\.2854, 0\.3415, 0\.3436, 0\.3212, 0\.3351\]$/m);
  // First, text from the embedded model: 48 new tokens after "A list is", mostly words of its corpus (the Python
  // documentation; held-out text is the reference vocabulary, which the model never trained on).
  const generated = /^A list is([\s\S]*?)\n\[3 prompt tokens, 48 new tokens, first token after [\d.]+ ms, \d+ tokens\/s\]$/m.exec(r.stdout);
  assert.ok(generated, r.stdout);
  const vocab = new Set(readFileSync(`${root}/models/default/heldout.txt`, 'utf8').toLowerCase().match(/[a-z]+/g));
  const words = generated[1]!.toLowerCase().match(/[a-z]+/g) ?? [];
  assert.ok(words.length >= 10, `words in ${JSON.stringify(generated[1])}`);
  assert.ok(words.filter((w) => vocab.has(w)).length / words.length >= 0.7, `mostly corpus words: ${JSON.stringify(generated[1])}`);
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
