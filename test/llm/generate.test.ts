// Text generation on the tiny Llama fixture (test/fixtures/llama-tiny): tsnn's greedy tokens equal onnxruntime-node's
// on the original ONNX and PyTorch's eager reference, its first-step logits match PyTorch's, one built graph serves
// every prompt length and step, a seeded sampled run repeats, a chat turn reuses the cache, and abort stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MLGraphBuilder, loadModel, type LanguageModel } from '../../src/index.js';
import { OrtGreedy } from '../../src/llm/ort-reference.js';

const dir = fileURLToPath(new URL('../fixtures/llama-tiny/', import.meta.url));
const skip = existsSync(`${dir}onnx/model.onnx`) ? false : 'the tiny Llama fixture (test/fixtures/llama-tiny) is not there';

interface Reference {
  prompt_ids: number[];
  prefill: { positions: number[]; logits: number[][] };
  greedy: { new_ids: number[] };
  tolerance: number;
}
const reference = (): Reference => JSON.parse(readFileSync(`${dir}reference.json`, 'utf8')) as Reference;

let loaded: LanguageModel | undefined;
async function model(): Promise<LanguageModel> {
  loaded ??= await loadModel(dir, { maxLength: 192, cache: false });
  return loaded;
}

async function tokens(gen: AsyncIterable<{ token: number }>): Promise<number[]> {
  const out: number[] = [];
  for await (const p of gen) out.push(p.token);
  return out;
}

test("greedy tokens equal onnxruntime-node's on the original ONNX over 32 tokens, from three prompts", { skip }, async () => {
  const m = await model();
  const ort = await OrtGreedy.open(`${dir}onnx/model.onnx`, m.shape);
  const prompts = [[5], m.codec.encode('Once upon a time'), reference().prompt_ids];
  assert.deepEqual(prompts.map((p) => p.length), [1, 16, 71]);
  try {
    for (const prompt of prompts) {
      const ours = await tokens(m.generator.generateIds(prompt, { maxNewTokens: 32, ignoreEos: true }));
      const theirs: number[] = [];
      for await (const t of ort.greedy(prompt, 32)) theirs.push(t);
      assert.equal(ours.length, 32);
      assert.deepEqual(ours, theirs, `prompt of ${prompt.length} tokens`);
    }
  } finally {
    await ort.release();
  }
  // And PyTorch's eager greedy continuation of the reference prompt.
  const ref = reference();
  assert.deepEqual(await tokens(m.generator.generateIds(ref.prompt_ids, { maxNewTokens: ref.greedy.new_ids.length, ignoreEos: true })), ref.greedy.new_ids);
});

test("the first step's logits match PyTorch's reference within 1e-4", { skip }, async () => {
  const m = await model();
  const ref = reference();
  m.generator.reset();
  const logits = await m.decoder.step(ref.prompt_ids);
  const last = ref.prefill.positions.indexOf(ref.prompt_ids.length - 1);
  assert.ok(last >= 0, 'the reference holds the last prompt position');
  const want = ref.prefill.logits[last]!;
  assert.equal(logits.length, want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(logits[i]! - want[i]!));
  assert.ok(worst <= 1e-4, `max |tsnn - PyTorch| = ${worst}`);
  m.generator.reset();
});

test('one built graph serves prefill and every decode step: one dispatch each, no build', { skip }, async () => {
  const m = await model();
  const graph = m.decoder.graph;
  const build = MLGraphBuilder.prototype.build;
  let builds = 0;
  MLGraphBuilder.prototype.build = function (...args) {
    builds++;
    return build.apply(this, args);
  };
  try {
    m.generator.reset();
    const before = m.decoder.dispatches;
    const out = await tokens(m.generator.generateIds(m.codec.encode('a prompt of several tokens'), { maxNewTokens: 10, ignoreEos: true }));
    assert.equal(out.length, 10);
    // The prompt in one dispatch, then one per new token except the last (whose logits are not needed).
    assert.equal(m.decoder.dispatches - before, 1 + 9);
    assert.equal(builds, 0);
    assert.equal(m.decoder.graph, graph);
  } finally {
    MLGraphBuilder.prototype.build = build;
  }
});

test('a seeded sampled run repeats; another seed gives another text', { skip }, async () => {
  const m = await model();
  const opts = { maxNewTokens: 24, temperature: 1.2, topK: 50, topP: 0.95, ignoreEos: true };
  const a = await tokens(m.generate('The quick brown fox', { ...opts, seed: 7 }));
  const b = await tokens(m.generate('The quick brown fox', { ...opts, seed: 7 }));
  const c = await tokens(m.generate('The quick brown fox', { ...opts, seed: 8 }));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test("a chat's second turn reuses the first turn's cache and prefills only its new tokens", { skip }, async () => {
  const m = await model();
  m.generator.reset();
  const chat = m.chat('You are terse.');
  const first = chat.send('Hello there', { maxNewTokens: 6, ignoreEos: true });
  await tokens(first);
  const firstStats = first.stats!;
  assert.equal(firstStats.reusedTokens, 0);
  const dispatches = m.decoder.dispatches;
  const second = chat.send('And then?', { maxNewTokens: 4, ignoreEos: true });
  await tokens(second);
  const s = second.stats!;
  // Cached: the first prompt and every generated token fed back (all but the last, which the new prompt feeds).
  assert.equal(s.reusedTokens, firstStats.promptTokens + firstStats.newTokens - 1);
  // Prefilled: that last token and the template's text of the new turn ('<|im_end|>\n<|im_start|>user\n…').
  const turnText = '<|im_end|>\n<|im_start|>user\nAnd then?<|im_end|>\n<|im_start|>assistant\n';
  assert.equal(s.promptTokens - s.reusedTokens, 1 + m.codec.encode(turnText, false).length);
  assert.ok(s.promptTokens - s.reusedTokens < s.promptTokens / 2);
  // One prefill dispatch for the new tokens, then one per new token but the last.
  assert.equal(m.decoder.dispatches - dispatches, 1 + 3);
  assert.equal(chat.messages.length, 5);
  assert.deepEqual(chat.messages.map((x) => x.role), ['system', 'user', 'assistant', 'user', 'assistant']);

  // The same turn from scratch gives the same tokens as with the reused cache.
  const fresh = m.chat('You are terse.');
  await tokens(fresh.send('Hello there', { maxNewTokens: 6, ignoreEos: true }));
  m.generator.reset();
  const again = await tokens(fresh.send('And then?', { maxNewTokens: 4, ignoreEos: true }));
  const reusedRun = m.chat('You are terse.');
  await tokens(reusedRun.send('Hello there', { maxNewTokens: 6, ignoreEos: true }));
  assert.deepEqual(await tokens(reusedRun.send('And then?', { maxNewTokens: 4, ignoreEos: true })), again);
});

test('an AbortSignal stops generation between steps, and the model stays usable', { skip }, async () => {
  const m = await model();
  const controller = new AbortController();
  const got: number[] = [];
  await assert.rejects(async () => {
    for await (const p of m.generate('abc', { maxNewTokens: 50, ignoreEos: true, signal: controller.signal })) {
      got.push(p.token);
      if (got.length === 3) controller.abort();
    }
  }, { name: 'AbortError' });
  assert.equal(got.length, 3);
  assert.equal((await tokens(m.generate('abc', { maxNewTokens: 2, ignoreEos: true }))).length, 2);
  const aborted = AbortSignal.abort();
  await assert.rejects(tokens(m.generate('abc', { signal: aborted })), { name: 'AbortError' });
});

test('a prompt longer than the maximum length is refused with the numbers', { skip }, async () => {
  const m = await model();
  await assert.rejects(tokens(m.generator.generateIds(new Array<number>(193).fill(5))), /193 tokens, more than the model's maximum length 192/);
  await assert.rejects(tokens(m.generator.generateIds([])), /the prompt has no tokens/);
  await assert.rejects(tokens(m.generate('x', { maxNewTokens: 0 })), /maxNewTokens must be an integer ≥ 1/);
  await assert.rejects(tokens(m.generate('x', { temperature: -1 })), /temperature must be a finite number ≥ 0/);
});

const defaultDir = fileURLToPath(new URL('../../models/default/', import.meta.url));
test("the embedded default model: tsnn's greedy tokens equal PyTorch's reference continuation", {
  skip: existsSync(`${defaultDir}onnx/model.onnx`) ? false : 'models/default is not there',
}, async () => {
  const ref = JSON.parse(readFileSync(`${defaultDir}reference.json`, 'utf8')) as Reference;
  const m = await loadModel(defaultDir, { maxLength: 256, cache: false });
  try {
    const got = await tokens(m.generator.generateIds(ref.prompt_ids, { maxNewTokens: ref.greedy.new_ids.length, ignoreEos: true }));
    assert.deepEqual(got, ref.greedy.new_ids);
  } finally {
    m.destroy();
  }
});
