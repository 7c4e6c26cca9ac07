// tsnn info (version, backends, operator coverage) and tsnn info FILE / validate FILE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, examples, bin, node, tsnnIn, tempDir } from '../support/cli.js';

const dir = tempDir('tsnn-cli-');
const tsnn = tsnnIn(dir);

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

test('tsnn info reports version, backends, onnxruntime and operator coverage', () => {
  const r = node([bin, 'info', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.version, pkg.version);
  assert.equal(info.operators.total, 95);
  assert.ok(info.operators.implemented >= 22);
  assert.equal(info.operators.implemented + info.operators.missing.length, 95);
  assert.ok(!info.operators.missing.includes('matmul'));
  assert.match(info.onnxruntime, /^\d+\.\d+\.\d+$/);
  assert.ok(info.backends[0].providers.includes('cpu'));
  const text = node([bin, 'info']);
  assert.match(text.stdout, /operators implemented: \d+ \/ 95/);
});

test('tsnn validate and info FILE', () => {
  const ok = tsnn('validate', join(examples, 'mlp.webnn'));
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /mlp\.webnn: ok \(1 inputs, 4 constants, 6 nodes, 2 outputs\)/);
  const info = tsnn('info', join(examples, 'mlp.webnn'), '--json');
  assert.equal(info.status, 0, info.stderr);
  assert.deepEqual(JSON.parse(info.stdout), {
    name: 'mlp', version: 1, inputs: { x: 'f32[2, 4]' }, outputs: { probs: 'probs', logits: 'logits' },
    ops: { add: 2, matmul: 2, relu: 1, softmax: 1 }, nodes: 6, constants: 4, parameters: 67, parameterBytes: 268,
  });
  assert.match(tsnn('info', join(examples, 'mlp.webnn')).stdout, /nodes: 6 \(add 2, matmul 2, relu 1, softmax 1\)/);
});
