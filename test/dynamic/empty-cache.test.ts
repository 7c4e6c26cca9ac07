// A dynamic dimension runs from 0: the first step of a decode loop, with an empty KV cache (past = 0), goes through
// dispatch on the same graph and the same max-size cache tensors as every later step, by its active shape. Tensors
// themselves have dimensions of at least 1, as the spec says (createTensor refuses 0).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ml, MLGraphBuilder, type MLContext, type MLGraph, type MLOperand } from '../../src/index.js';

const HEADS = 2;
const D = 4;
const MAX = 6;

let ctx: MLContext;
let graph: MLGraph;
before(async () => {
  ctx = await ml.createContext();
  const b = new MLGraphBuilder(ctx);
  const past = b.input('past_key', { dataType: 'float32', shape: [1, HEADS, { name: 'past', maxSize: MAX }, D] as unknown as number[] });
  const k = b.input('k', { dataType: 'float32', shape: [1, HEADS, 1, D] });
  const q = b.input('q', { dataType: 'float32', shape: [1, HEADS, 1, D] });
  const present = b.concat([past, k], 2); // [1, HEADS, past + 1, D]
  const probs = b.softmax(b.matmul(q, b.transpose(present, { permutation: [0, 1, 3, 2] })), 3);
  // A reshape by the dynamic size itself (ONNX reads a 0 in a Reshape shape as "keep": it must mean 0 here).
  const rows = b.reshape(past, [1, (past as MLOperand).shape[2]!, HEADS * D]);
  graph = await b.build({ present_key: present, attended: b.matmul(probs, present), pastSum: b.reduceSum(rows, { axes: [1] }) });
});
after(() => ctx.destroy());

/** Attention of q (all ones) over keys whose rows are 1, 2, ..., n (each row constant): the reference. */
function expectedAttention(n: number): number {
  const scores = Array.from({ length: n }, (_, i) => D * (i + 1));
  const top = Math.max(...scores);
  const w = scores.map((s) => Math.exp(s - top));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.reduce((acc, wi, i) => acc + (wi / sum) * (i + 1), 0);
}

/** reduceSum over axis 1 of the past keys (head h, row r holds r + 1) reshaped row-major to [1, pos, HEADS * D]. */
function expectedPastSum(pos: number): number[] {
  const flat: number[] = [];
  for (let h = 0; h < HEADS; h++) for (let r = 0; r < pos; r++) for (let d = 0; d < D; d++) flat.push(r + 1);
  const sums = new Array<number>(HEADS * D).fill(0);
  flat.forEach((v, i) => (sums[i % (HEADS * D)]! += v));
  return sums;
}

describe('an empty KV cache through dispatch', () => {
  test('a decode loop starting at past = 0 runs every step on one graph and two swapped max-size caches', async () => {
    let [past, present] = await Promise.all([0, 1].map(() => ctx.createTensor({ dataType: 'float32', shape: [1, HEADS, MAX + 1, D] })));
    const k = await ctx.createTensor({ dataType: 'float32', shape: [1, HEADS, 1, D], writable: true });
    const q = await ctx.createTensor({ dataType: 'float32', shape: [1, HEADS, 1, D], writable: true });
    const attended = await ctx.createTensor({ dataType: 'float32', shape: [1, HEADS, 1, D], readable: true });
    const pastSum = await ctx.createTensor({ dataType: 'float32', shape: [1, HEADS * D], readable: true });
    ctx.writeTensor(q, new Float32Array(HEADS * D).fill(1));
    for (let pos = 0; pos <= MAX; pos++) {
      ctx.writeTensor(k, new Float32Array(HEADS * D).fill(pos + 1));
      const inputShapes = { past_key: [1, HEADS, pos, D] };
      const outputShapes = graph.outputShapes(inputShapes);
      assert.deepEqual(outputShapes.present_key, [1, HEADS, pos + 1, D]);
      ctx.dispatch(graph, { past_key: past!, k, q }, { present_key: present!, attended, pastSum }, { inputShapes, outputShapes });
      const a = new Float32Array(await ctx.readTensor(attended));
      for (const v of a) assert.ok(Math.abs(v - expectedAttention(pos + 1)) < 1e-5, `step ${pos}: ${v}`);
      // The past as [pos, HEADS * D] rows, summed: all zeros for the empty cache.
      assert.deepEqual([...new Float32Array(await ctx.readTensor(pastSum))], expectedPastSum(pos));
      [past, present] = [present, past];
    }
  });

  test('compute() takes the empty cache as data of length 0', async () => {
    const { attended, present_key: present } = await ctx.compute(graph, {
      past_key: { data: new Float32Array(0), shape: [1, HEADS, 0, D] },
      k: new Float32Array(HEADS * D).fill(3),
      q: new Float32Array(HEADS * D).fill(1),
    });
    assert.deepEqual(present!.shape, [1, HEADS, 1, D]);
    assert.deepEqual([...attended!.data], new Array(HEADS * D).fill(3));
  });

  test('a tensor of size 0 is refused by createTensor, pointing at active shapes', async () => {
    await assert.rejects(ctx.createTensor({ dataType: 'float32', shape: [1, HEADS, 0, D] }),
      (e: unknown) => e instanceof TypeError && /invalid dimension 0 .*size 0 .*active shape/.test((e as Error).message));
  });
});
