// The embedded default model (models/default, trained by scripts/train-tiny-llama.py): small enough to ship,
// its ONNX reproduces the PyTorch reference in onnxruntime-node, its tokenizer reads its held-out text as the
// Python tokenizer did, and its greedy text is made of the corpus's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFolder, loadTokenizer, readJson, type LlamaReference } from '../support/llama-reference.js';

const dir = fileURLToPath(new URL('../../models/default', import.meta.url));
const skip = existsSync(join(dir, 'onnx', 'model.onnx')) ? false : `${dir} is absent`;

function folderBytes(d: string): number {
  return readdirSync(d).reduce((n, f) => {
    const p = join(d, f);
    return n + (statSync(p).isDirectory() ? folderBytes(p) : statSync(p).size);
  }, 0);
}

test('models/default: whole folder within 10 MB, trained and documented', { skip }, () => {
  assert.ok(folderBytes(dir) <= 10 * 1024 * 1024, `${folderBytes(dir)} bytes`);
  const ref = readJson<LlamaReference & { model: { weights: string } }>(dir, 'reference.json');
  assert.equal(ref.model.weights, 'trained');
  for (const f of ['README.md', 'LICENSE.txt', 'heldout.txt', 'training.json']) assert.ok(existsSync(join(dir, f)), f);
});

test('models/default: onnxruntime-node on the ONNX matches the PyTorch reference', { skip }, async () => {
  const ref = readJson<LlamaReference>(dir, 'reference.json');
  const r = await checkFolder(dir);
  assert.ok(r.prefillDiff <= ref.tolerance, `prefill logits differ by ${r.prefillDiff}`);
  assert.ok(r.decodeDiff <= ref.tolerance, `first decode step logits differ by ${r.decodeDiff}`);
  assert.deepEqual(r.greedy, ref.greedy.new_ids);
  assert.ok(r.chunkedDiff <= ref.tolerance, `prompt in two chunks differs by ${r.chunkedDiff}`);
  assert.ok(r.paddedDiff <= ref.tolerance, `left-padded batch row differs by ${r.paddedDiff}`);
  assert.equal(r.greedyText, ref.greedy.text);
});

test('models/default: the tokenizer round-trips held-out text, and greedy text is words of the corpus', { skip }, () => {
  const tok = loadTokenizer(dir);
  const held = readFileSync(join(dir, 'heldout.txt'), 'utf8');
  const sample = held.slice(0, 20000);
  const ids = tok.encode(sample, { add_special_tokens: false }).ids;
  assert.equal(tok.decode(ids), sample);
  assert.ok(sample.length / ids.length > 2.5, `BPE compresses (${(sample.length / ids.length).toFixed(2)} chars/token)`);
  // Most words of the greedy continuation occur in the held-out text (which the model never saw).
  const ref = readJson<LlamaReference>(dir, 'reference.json');
  const vocab = new Set(held.toLowerCase().match(/[a-z]+/g));
  const words = ref.greedy.text.toLowerCase().match(/[a-z]+/g) ?? [];
  assert.ok(words.length >= 5, `greedy text has words: ${JSON.stringify(ref.greedy.text)}`);
  const known = words.filter((w) => vocab.has(w)).length;
  assert.ok(known / words.length >= 0.8, `${known}/${words.length} known words in ${JSON.stringify(ref.greedy.text)}`);
});

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0;
const skipExport = skip || (hasTorch ? false : `${PYTHON} with Debian's python3-torch and python3-onnx is absent`);

test('models/default: re-exported from its own ONNX weights, it gives the committed reference', { skip: skipExport }, () => {
  const out = mkdtempSync(join(tmpdir(), 'llama-default-'));
  try {
    const ref = readJson<LlamaReference>(dir, 'reference.json');
    const script = fileURLToPath(new URL('../../scripts/export-llama.py', import.meta.url));
    execFileSync(PYTHON, [script, '--config', join(dir, 'config.json'), '--weights', join(dir, 'onnx', 'model.onnx'),
      '--tokenizer', join(dir, 'tokenizer.json'), '--prompt', ref.prompt, '--out', join(out, 'm')], { stdio: 'pipe' });
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json'])
      assert.equal(readFileSync(join(out, 'm', f), 'utf8'), readFileSync(join(dir, f), 'utf8'), f);
    const again = readJson<LlamaReference>(join(out, 'm'), 'reference.json');
    assert.deepEqual(again.prompt_ids, ref.prompt_ids);
    assert.deepEqual(again.greedy.new_ids, ref.greedy.new_ids);
    again.prefill.logits.forEach((row, i) => row.forEach((x, j) => assert.ok(Math.abs(x - ref.prefill.logits[i][j]) <= 1e-5)));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
