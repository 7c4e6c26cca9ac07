// tsnn convert: text, JSON and ONNX forms of a graph file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { examples, tsnnIn, tempDir } from '../support/cli.js';

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
  const onnx = tsnn('convert', join(examples, 'mlp.webnn'), '--to', 'onnx', '-o', join(dir, 'm.onnx'));
  assert.equal(onnx.status, 0, onnx.stderr);
  assert.ok(readFileSync(join(dir, 'm.onnx')).byteLength > 100);
  // 268 bytes of weights, all under the 1 KiB external-data threshold: no side file
  assert.ok(!existsSync(join(dir, 'm.onnx.data')));
});
