// tsnn convert: text, JSON and ONNX forms of a graph file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { assertClose } from '../support/index.js';
import { examples, tsnnIn, tempDir, MLP_INPUT, mlpOutputs } from '../support/cli.js';

const dir = tempDir('tsnn-cli-');
const tsnn = tsnnIn(dir);

test('tsnn convert: text → JSON → text is the identity; ONNX with external data', () => {
  copyFileSync(join(examples, 'mlp.webnn'), join(dir, 'c.webnn'));
  const toJson = tsnn('convert', 'c.webnn', '--to', 'json');
  assert.equal(toJson.status, 0, toJson.stderr);
  assert.equal(JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')).format, 'webnn-graph-json');
  const back = tsnn('convert', 'c.json', '--to', 'webnn', '-o', '-');
  assert.equal(back.status, 0, back.stderr);
  const canonical = tsnn('convert', 'c.webnn', '--to', 'webnn', '-o', '-');
  assert.equal(back.stdout, canonical.stdout);
  assert.match(back.stdout, /probs = softmax\(logits, axis=1\);/);
});

test('tsnn convert --to onnx: onnxruntime-node runs the model and gets the graph\'s own results', async () => {
  const onnx = tsnn('convert', join(examples, 'mlp.webnn'), '--to', 'onnx', '-o', join(dir, 'm.onnx'));
  assert.equal(onnx.status, 0, onnx.stderr);
  assert.match(onnx.stdout, /^wrote .*m\.onnx$/m);
  // 268 bytes of weights, all under the 1 KiB external-data threshold: no side file
  assert.ok(!existsSync(join(dir, 'm.onnx.data')));
  const session = await ort.InferenceSession.create(readFileSync(join(dir, 'm.onnx')));
  try {
    assert.deepEqual([...session.inputNames], ['x']);
    const r = await session.run({ x: new ort.Tensor('float32', MLP_INPUT, [2, 4]) });
    const expected = await mlpOutputs();
    for (const name of ['probs', 'logits']) {
      assert.deepEqual(r[name]!.dims, [2, 3], name);
      assertClose(r[name]!.data as Float32Array, expected[name]!.data as Float32Array, 1e-6, name);
    }
  } finally {
    await session.release();
  }
});
