// The committed tiny Llama fixture (test/fixtures/llama-tiny, written by scripts/export-llama.py --config tiny
// --seed 0) is what the script writes: its ONNX file, run directly in onnxruntime-node, reproduces the eager
// PyTorch numbers in its reference.json, and @huggingface/tokenizers reads its tokenizer as the script's
// Python tokenizer does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkFolder,
  loadTokenizer,
  readJson,
  type LlamaConfigJson,
  type LlamaReference,
} from '../support/llama-reference.js';

const dir = fileURLToPath(new URL('../fixtures/llama-tiny', import.meta.url));
const present = existsSync(`${dir}/onnx/model.onnx`) && existsSync(`${dir}/reference.json`);
const skip = present ? false : `fixture ${dir} is absent (write it with scripts/export-llama.py --config tiny)`;

test('llama-tiny: config and reference describe the tiny configuration', { skip }, () => {
  const cfg = readJson<LlamaConfigJson & Record<string, unknown>>(dir, 'config.json');
  const ref = readJson<LlamaReference>(dir, 'reference.json');
  assert.equal(cfg.model_type, 'llama');
  assert.equal(cfg.vocab_size, 320);
  assert.equal(cfg.num_hidden_layers, 3);
  assert.equal(cfg.num_attention_heads, 4);
  assert.equal(cfg.num_key_value_heads, 2);
  assert.equal(cfg.tie_word_embeddings, true);
  assert.equal(ref.greedy.new_ids.length, 32);
  assert.ok(ref.prefill.positions.includes(ref.prompt_ids.length - 1), 'the last prompt position has reference logits');
  for (const row of ref.prefill.logits) assert.equal(row.length, cfg.vocab_size);
  // Greedy choices far from ties, so summation order cannot flip a token.
  assert.ok(ref.greedy.min_top2_margin > 100 * ref.tolerance, `margin ${ref.greedy.min_top2_margin}`);
  assert.ok(new Set(ref.greedy.new_ids).size > 8, 'the random model does not just repeat one token');
});

test('llama-tiny: the JS tokenizer round-trips the reference prompt', { skip }, () => {
  const ref = readJson<LlamaReference>(dir, 'reference.json');
  const tok = loadTokenizer(dir);
  assert.deepEqual(tok.encode(ref.prompt, { add_special_tokens: false }).ids, ref.prompt_ids);
  assert.equal(tok.decode(ref.prompt_ids), ref.prompt);
  assert.equal(tok.decode(ref.greedy.new_ids), ref.greedy.text);
  // Special tokens of the chat template are single ids.
  assert.deepEqual(tok.encode('<|im_start|>user\n', { add_special_tokens: false }).ids.slice(0, 1), [1]);
  assert.equal(tok.decode(tok.encode('naïve café ✓', { add_special_tokens: false }).ids), 'naïve café ✓');
});

test('llama-tiny: onnxruntime-node on the ONNX matches the PyTorch reference', { skip }, async () => {
  const ref = readJson<LlamaReference>(dir, 'reference.json');
  assert.ok(ref.tolerance <= 1e-4);
  const r = await checkFolder(dir);
  assert.ok(r.prefillDiff <= ref.tolerance, `prefill logits differ by ${r.prefillDiff}`);
  assert.ok(r.decodeDiff <= ref.tolerance, `first decode step logits differ by ${r.decodeDiff}`);
  assert.deepEqual(r.greedy, ref.greedy.new_ids);
  assert.ok(r.chunkedDiff <= ref.tolerance, `prompt in two chunks differs by ${r.chunkedDiff}`);
  assert.ok(r.paddedDiff <= ref.tolerance, `left-padded batch row differs by ${r.paddedDiff}`);
});

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0;
const skipExport = skip || (hasTorch ? false : `${PYTHON} with Debian's python3-torch and python3-onnx is absent`);

test('llama-tiny: scripts/export-llama.py rewrites the committed fixture', { skip: skipExport }, () => {
  const out = mkdtempSync(join(tmpdir(), 'llama-tiny-'));
  try {
    const script = fileURLToPath(new URL('../../scripts/export-llama.py', import.meta.url));
    execFileSync(PYTHON, [script, '--config', 'tiny', '--seed', '0', '--out', join(out, 'm')], { stdio: 'pipe' });
    for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'])
      assert.equal(readFileSync(join(out, 'm', f), 'utf8'), readFileSync(join(dir, f), 'utf8'), f);
    const a = readJson<LlamaReference>(join(out, 'm'), 'reference.json');
    const b = readJson<LlamaReference>(dir, 'reference.json');
    assert.deepEqual(a.prompt_ids, b.prompt_ids);
    assert.deepEqual(a.greedy.new_ids, b.greedy.new_ids);
    // Logits differ across CPUs (vectorized kernels take other summation orders: 1.4e-5 seen on logits up to 6),
    // so regenerated ones are held to the fixture's own tolerance.
    a.prefill.logits.forEach((row, i) => row.forEach((x, j) => assert.ok(Math.abs(x - b.prefill.logits[i]![j]!) <= b.tolerance, `prefill logit [${i}][${j}]: ${x} vs ${b.prefill.logits[i]![j]}`)));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
