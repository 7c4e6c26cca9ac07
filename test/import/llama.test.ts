// The tiny Llama fixture (test/fixtures/llama-tiny: PyTorch export with the optimum decoder interface and a KV
// cache) imported ONCE with dynamic batch, sequence and past lengths, then run at several of them: every output
// (logits and the present keys/values) agrees with onnxruntime-node on the original ONNX within
// |tsnn - ort| ≤ 1e-4 + 1e-3·|ort|; the prefill logits agree with the PyTorch eager reference within its stated
// tolerance (1e-4); and a greedy decode that feeds each step's presents back as the next step's pasts produces the
// reference's tokens; decode steps also run through dispatch with max-size cache tensors swapped between steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importOnnx, ml, type ImportedModel } from '../../src/index.js';
import { closeness, random, runOrt, type Feed } from '../support/onnx-builder.js';

const dir = fileURLToPath(new URL('../fixtures/llama-tiny/', import.meta.url));
const path = `${dir}onnx/model.onnx`;
const skip = existsSync(path) ? false : 'the tiny Llama fixture (test/fixtures/llama-tiny) is not there';

interface Reference {
  prompt_ids: number[];
  prefill: { positions: number[]; logits: number[][] };
  greedy: { new_ids: number[] };
  tolerance: number;
}

const LAYERS = 3;
const KV_HEADS = 2;
const HEAD = 16;
const VOCAB = 320;

let imported: ImportedModel | undefined;
async function model(): Promise<ImportedModel> {
  imported ??= await importOnnx(path, {
    context: await ml.createContext(),
    maxSizes: { batch_size: 2, sequence_length: 128, past_sequence_length: 128 },
  });
  return imported;
}

function feeds(ids: number[][], past: number, pasts?: Record<string, Feed>, seed = 1): Record<string, Feed> {
  const B = ids.length;
  const S = ids[0]!.length;
  const f: Record<string, Feed> = {
    input_ids: { data: BigInt64Array.from(ids.flat().map(BigInt)), shape: [B, S] },
    attention_mask: { data: new BigInt64Array(B * (past + S)).fill(1n), shape: [B, past + S] },
    position_ids: { data: BigInt64Array.from(ids.flatMap((row) => row.map((_, s) => BigInt(past + s)))), shape: [B, S] },
  };
  const rnd = random(seed);
  for (let l = 0; l < LAYERS; l++) {
    for (const kv of ['key', 'value']) {
      const name = `past_key_values.${l}.${kv}`;
      f[name] = pasts?.[name] ?? { data: rnd(B * KV_HEADS * past * HEAD), shape: [B, KV_HEADS, past, HEAD] };
    }
  }
  return f;
}

async function ours(f: Record<string, Feed>) {
  const m = await model();
  return m.context.compute(m.graph, f as never);
}

test('the imported graph keeps batch, sequence and past lengths dynamic', { skip }, async () => {
  const m = await model();
  assert.deepEqual(m.inputs.input_ids!.shape, [{ name: 'batch_size', maxSize: 2 }, { name: 'sequence_length', maxSize: 128 }]);
  assert.deepEqual(m.inputs['past_key_values.0.key']!.shape, [{ name: 'batch_size', maxSize: 2 }, KV_HEADS, { name: 'past_sequence_length', maxSize: 128 }, HEAD]);
  assert.equal(m.dims.past_sequence_length_sequence_length!.equals, 'past_sequence_length + sequence_length');
  assert.deepEqual(m.graph.outputDescriptors['present.0.key']!.shape, [
    { name: 'batch_size', maxSize: 2 }, KV_HEADS, { name: 'past_sequence_length + sequence_length', maxSize: 256 }, HEAD,
  ]);
  assert.deepEqual(m.outputs.logits!.shape, [{ name: 'batch_size', maxSize: 2 }, { name: 'sequence_length', maxSize: 128 }, VOCAB]);
});

test('every output agrees with onnxruntime at several sequence and past lengths (one import)', { skip }, async () => {
  const bytes = readFileSync(path);
  for (const [B, S, P] of [[1, 6, 0], [1, 1, 9], [2, 4, 5], [1, 13, 30], [2, 1, 1]] as const) {
    const ids = Array.from({ length: B }, (_, b) => Array.from({ length: S }, (_, s) => (b * 101 + s * 37 + P) % VOCAB));
    const f = feeds(ids, P, undefined, B * 100 + S * 10 + P);
    const want = await runOrt(bytes, f);
    const got = await ours(f);
    for (const [name, w] of Object.entries(want)) {
      assert.deepEqual(got[name]!.shape, w.shape, `${name} shape at B=${B} S=${S} P=${P}`);
      const c = closeness(got[name]!.data as Float32Array, w.data, 1e-4, 1e-3);
      assert.ok(c <= 1, `${name} at B=${B} S=${S} P=${P}: off by ${c.toFixed(2)}× the tolerance`);
    }
  }
});

test('prefill logits match the PyTorch reference, and a greedy decode through the KV cache gives its tokens', { skip }, async () => {
  const ref = JSON.parse(readFileSync(`${dir}reference.json`, 'utf8')) as Reference;
  const prompt = ref.prompt_ids;
  let out = await ours(feeds([prompt], 0));
  const logits = out.logits!.data as Float32Array;
  ref.prefill.positions.forEach((pos, k) => {
    const row = logits.subarray(pos * VOCAB, (pos + 1) * VOCAB);
    const worst = Math.max(...ref.prefill.logits[k]!.map((v, i) => Math.abs(v - row[i]!)));
    assert.ok(worst <= ref.tolerance, `logits at position ${pos} differ by ${worst}`);
  });
  const argmax = (data: Float32Array, row: number) => {
    let best = 0;
    for (let i = 1; i < VOCAB; i++) if (data[row * VOCAB + i]! > data[row * VOCAB + best]!) best = i;
    return best;
  };
  const tokens = [argmax(logits, prompt.length - 1)];
  let past = prompt.length;
  for (let step = 0; step < 5; step++) {
    const pasts: Record<string, Feed> = {};
    for (let l = 0; l < LAYERS; l++) {
      for (const kv of ['key', 'value']) {
        const p = out[`present.${l}.${kv}`]!;
        pasts[`past_key_values.${l}.${kv}`] = { data: p.data as Float32Array, shape: p.shape };
      }
    }
    out = await ours(feeds([[tokens.at(-1)!]], past, pasts));
    tokens.push(argmax(out.logits!.data as Float32Array, 0));
    past++;
  }
  assert.deepEqual(tokens, ref.greedy.new_ids.slice(0, tokens.length));
});

test('decode steps through dispatch: the presents of one step are the pasts of the next, in max-size tensors', { skip }, async () => {
  const m = await model();
  const ctx = m.context;
  const MAXP = 40;
  const prompt = [3, 17, 250, 42, 8];
  // Reference: compute() with fresh tensors each step.
  let out = await ours(feeds([prompt], 0));
  const pasts = (o: typeof out) => Object.fromEntries([0, 1, 2].flatMap((l) => ['key', 'value'].map((kv) => [`past_key_values.${l}.${kv}`, { data: o[`present.${l}.${kv}`]!.data as Float32Array, shape: o[`present.${l}.${kv}`]!.shape }])));
  const cacheShape = [1, KV_HEADS, MAXP, HEAD];
  const caches = await Promise.all(Array.from({ length: 12 }, () => ctx.createTensor({ dataType: 'float32', shape: cacheShape, readable: true, writable: true })));
  let [ins, outs] = [caches.slice(0, 6), caches.slice(6)];
  // Seed the input caches with the prompt's presents (packed at their active shape).
  ins.forEach((t, i) => {
    const full = new Float32Array(KV_HEADS * MAXP * HEAD);
    full.set(out[`present.${i >> 1}.${i & 1 ? 'value' : 'key'}`]!.data as Float32Array);
    ctx.writeTensor(t, full);
  });
  const ids = await ctx.createTensor({ dataType: 'int64', shape: [1, 1], writable: true });
  const pos = await ctx.createTensor({ dataType: 'int64', shape: [1, 1], writable: true });
  const mask = await ctx.createTensor({ dataType: 'int64', shape: [1, MAXP + 1], writable: true });
  const logits = await ctx.createTensor({ dataType: 'float32', shape: [1, 1, VOCAB], readable: true });
  ctx.writeTensor(mask, new BigInt64Array(MAXP + 1).fill(1n));
  let token = 7;
  for (let past = prompt.length; past < prompt.length + 3; past++) {
    const want = await ours(feeds([[token]], past, pasts(out)));
    ctx.writeTensor(ids, BigInt64Array.from([BigInt(token)]));
    ctx.writeTensor(pos, BigInt64Array.from([BigInt(past)]));
    const inputs: Record<string, unknown> = { input_ids: ids, position_ids: pos, attention_mask: mask };
    const outputs: Record<string, unknown> = { logits };
    const inputShapes: Record<string, number[]> = { input_ids: [1, 1], position_ids: [1, 1], attention_mask: [1, past + 1] };
    for (let i = 0; i < 6; i++) {
      const name = `${i >> 1}.${i & 1 ? 'value' : 'key'}`;
      inputs[`past_key_values.${name}`] = ins[i];
      outputs[`present.${name}`] = outs[i];
      inputShapes[`past_key_values.${name}`] = [1, KV_HEADS, past, HEAD];
    }
    ctx.dispatch(m.graph, inputs as never, outputs as never, { inputShapes, outputShapes: m.graph.outputShapes(inputShapes) });
    const got = new Float32Array(await ctx.readTensor(logits));
    assert.ok(closeness(got, want.logits!.data as Float32Array, 1e-5, 1e-4) <= 1, `logits at past ${past}`);
    [ins, outs] = [outs, ins];
    out = want;
    token = (token * 31 + 5) % VOCAB;
  }
});
