// Flexible inputs: a decoder-style graph with bounded dynamic dimensions, built once and run at many sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphInternals } from '../../src/api/graph.js';
import { fromJSON, toJSON } from '../../src/graph/ir.js';
import { lowerToOnnx } from '../../src/backends/onnxruntime/lower.js';
import { ml, MLGraphBuilder, MLContext, MLGraph } from '../../src/index.js';
import { assertClose } from '../support/index.js';

const HEADS = 3;
const D = 64;
const MAX_SEQ = 8;
const MAX_PAST = 64;
const seqDim = { name: 'seq', maxSize: MAX_SEQ };
const pastDim = { name: 'past', maxSize: MAX_PAST };

/** Deterministic values in [-0.5, 0.5). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

const W = values(HEADS * D, 7);
/** float32 results against the float64 reference. */
const TOL = { atol: 1e-5, rtol: 1e-4 };

/**
 * x[1, seq] → key k[1, 3, seq, 64] = x ⊗ w; present_key = concat(past_key, k) along the past axis; one attention
 * step of k over present_key (matmul, softmax, matmul), reshaped to out[1, seq, 192].
 */
async function buildDecoder(context: MLContext): Promise<MLGraph> {
  const b = new MLGraphBuilder(context);
  const x = b.input('x', { dataType: 'float32', shape: [1, seqDim] });
  const pastKey = b.input('past_key', { dataType: 'float32', shape: [1, HEADS, pastDim, D] });
  const w = b.constant({ dataType: 'float32', shape: [1, HEADS, 1, D] }, W);
  const seq = x.dimensions[1]!;
  const k = b.mul(b.reshape(x, [1, 1, seq, 1]), w);
  const present = b.concat([pastKey, k], 2);
  const scores = b.matmul(k, b.transpose(present, { permutation: [0, 1, 3, 2] }));
  const attended = b.matmul(b.softmax(scores, 3), present);
  const out = b.reshape(b.transpose(attended, { permutation: [0, 2, 1, 3] }), [1, seq, HEADS * D]);
  return b.build({ present_key: present, out });
}

/** The same computation in plain JS (float64), for `past` cached rows and `seq` new tokens. */
function reference(x: Float32Array, pastKey: Float32Array, past: number, seq: number): { present: Float64Array; out: Float64Array } {
  const rows = past + seq;
  const present = new Float64Array(HEADS * rows * D);
  const out = new Float64Array(seq * HEADS * D);
  for (let h = 0; h < HEADS; h++) {
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < D; j++) {
        present[(h * rows + r) * D + j] = r < past ? pastKey[(h * past + r) * D + j]! : x[r - past]! * W[h * D + j]!;
      }
    }
    for (let s = 0; s < seq; s++) {
      const scores = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        let dot = 0;
        for (let j = 0; j < D; j++) dot += x[s]! * W[h * D + j]! * present[(h * rows + r) * D + j]!;
        scores[r] = dot;
      }
      const max = Math.max(...scores);
      const exps = scores.map((v) => Math.exp(v - max));
      const sum = exps.reduce((a, v) => a + v, 0);
      for (let j = 0; j < D; j++) {
        let acc = 0;
        for (let r = 0; r < rows; r++) acc += (exps[r]! / sum) * present[(h * rows + r) * D + j]!;
        out[s * HEADS * D + h * D + j] = acc;
      }
    }
  }
  return { present, out };
}

test('MLOperand.shape and the graph descriptors show dynamic dimensions, derived ones included', async () => {
  const context = await ml.createContext();
  const b = new MLGraphBuilder(context);
  const x = b.input('x', { dataType: 'float32', shape: [1, seqDim] });
  const p = b.input('p', { dataType: 'float32', shape: [pastDim, 4] });
  assert.deepEqual(x.shape, [1, seqDim]);
  assert.deepEqual(x.dimensions, [1, seqDim]);
  assert.ok(Object.isFrozen(x.shape[1]));
  const xt = b.reshape(x, [seqDim, 1]);
  assert.deepEqual(b.add(xt, b.constant({ dataType: 'float32', shape: [1, 4] }, new Float32Array(4))).shape, [seqDim, 4]);
  const cat = b.concat([p, b.add(xt, b.constant({ dataType: 'float32', shape: [1, 4] }, new Float32Array(4))), p], 0);
  assert.deepEqual(cat.shape, [{ name: '2*past + seq', maxSize: 2 * MAX_PAST + MAX_SEQ }, 4]);
  assert.deepEqual(b.concat([x, b.constant({ dataType: 'float32', shape: [1, 1] }, new Float32Array(1))], 1).shape,
    [1, { name: 'seq + 1', maxSize: MAX_SEQ + 1 }]);
  assert.deepEqual(b.transpose(cat).shape, [4, { name: '2*past + seq', maxSize: 136 }]);
  assert.deepEqual(b.cast(x, 'int32').shape, [1, seqDim]);
  assert.deepEqual(b.matmul(b.transpose(p), p).shape, [4, 4]);
  assert.deepEqual(b.matmul(p, b.transpose(p)).shape, [pastDim, pastDim]);
  // A derived dimension taken from an operand's shape can be given back to reshape.
  assert.deepEqual(b.reshape(cat, [cat.dimensions[0]!, 2, 2]).shape, [{ name: '2*past + seq', maxSize: 136 }, 2, 2]);
  assert.deepEqual(b.reshape(cat, [{ name: 'seq + 2*past', maxSize: 136 }, 2, 2]).shape, [{ name: '2*past + seq', maxSize: 136 }, 2, 2]);
  assert.deepEqual(b.reshape(p, [{ name: '4*past', maxSize: 4 * MAX_PAST }]).shape, [{ name: '4*past', maxSize: 256 }]);

  const graph = await buildDecoder(context);
  assert.deepEqual(graph.inputDescriptors, {
    x: { dataType: 'float32', shape: [1, seqDim] },
    past_key: { dataType: 'float32', shape: [1, HEADS, pastDim, D] },
  });
  assert.deepEqual(graph.outputDescriptors, {
    present_key: { dataType: 'float32', shape: [1, HEADS, { name: 'past + seq', maxSize: MAX_PAST + MAX_SEQ }, D] },
    out: { dataType: 'float32', shape: [1, seqDim, HEADS * D] },
  });
});

test('outputShapes gives concrete output shapes for concrete input shapes', async () => {
  const context = await ml.createContext();
  const graph = await buildDecoder(context);
  assert.deepEqual(graph.outputShapes({ x: [1, 7], past_key: [1, HEADS, 0, D] }), { present_key: [1, HEADS, 7, D], out: [1, 7, HEADS * D] });
  assert.deepEqual(graph.outputShapes({ x: [1, 1], past_key: [1, HEADS, 64, D] }), { present_key: [1, HEADS, 65, D], out: [1, 1, HEADS * D] });
});

test('the ONNX model has symbolic input/output dimensions and computes the reshape target in the model', async () => {
  const context = await ml.createContext();
  const graph = await buildDecoder(context);
  const { model } = lowerToOnnx(graphInternals(graph)!.ir);
  const dims = (vi: (typeof model.graph.input)[number]) => vi.type.tensorType.shape.dim.map((d) => d.dimParam ?? d.dimValue);
  assert.deepEqual(model.graph.input.map(dims), [[1, 'seq'], [1, HEADS, 'past', D]]);
  assert.deepEqual(model.graph.output.map(dims), [[1, HEADS, 'past + seq', D], [1, 'seq', HEADS * D]]);
  const shapes = model.graph.node.filter((n) => n.opType === 'Shape');
  assert.equal(shapes.length, 1, 'the size of seq is read once from the input x');
  assert.deepEqual(shapes[0]!.input, ['x']);
});

test('the decoder graph is built once and matches the reference at past = 0…64, seq = 1 and 7 (compute)', async () => {
  const context = await ml.createContext();
  const graph = await buildDecoder(context);
  for (const seq of [1, 7]) {
    for (let past = 0; past <= MAX_PAST; past++) {
      const x = values(seq, 1000 * seq + past);
      const pastKey = values(HEADS * past * D, past + 1);
      const r = await context.compute(graph, {
        x: { data: x, shape: [1, seq] },
        past_key: { data: pastKey, shape: [1, HEADS, past, D] },
      });
      assert.deepEqual(r.present_key!.shape, [1, HEADS, past + seq, D]);
      assert.deepEqual(r.out!.shape, [1, seq, HEADS * D]);
      const ref = reference(x, pastKey, past, seq);
      assertClose(r.present_key!.data as Float32Array, ref.present, TOL, `present_key (past ${past}, seq ${seq})`);
      assertClose(r.out!.data as Float32Array, ref.out, TOL, `out (past ${past}, seq ${seq})`);
    }
  }
});

test('a decode loop reuses tensors created for the maximum size: present_key of one step is past_key of the next', async () => {
  const context = await ml.createContext();
  const graph = await buildDecoder(context);
  const rows = MAX_PAST + MAX_SEQ;
  // Two cache tensors big enough for the largest present_key, swapped every step; no allocation per token.
  let cacheIn = await context.createTensor({ dataType: 'float32', shape: [1, HEADS, rows, D], readable: true, writable: true });
  let cacheOut = await context.createTensor({ dataType: 'float32', shape: [1, HEADS, rows, D], readable: true, writable: true });
  const x = await context.createTensor({ dataType: 'float32', shape: [1, MAX_SEQ], writable: true });
  const out = await context.createTensor({ dataType: 'float32', shape: [1, MAX_SEQ, HEADS * D], readable: true });
  let expectedCache = new Float32Array(0);
  for (const [step, seq] of [1, 1, 7, 1, 1, 7, 1].entries()) {
    const past = expectedCache.length / (HEADS * D);
    const tokens = values(seq, 77 + step);
    const xFull = new Float32Array(MAX_SEQ);
    xFull.set(tokens);
    context.writeTensor(x, xFull);
    const inputShapes = { x: [1, seq], past_key: [1, HEADS, past, D] };
    const outputShapes = graph.outputShapes(inputShapes);
    assert.deepEqual(outputShapes, { present_key: [1, HEADS, past + seq, D], out: [1, seq, HEADS * D] });
    context.dispatch(graph, { x, past_key: cacheIn }, { present_key: cacheOut, out }, { inputShapes, outputShapes });
    const ref = reference(tokens, expectedCache, past, seq);
    const outData = new Float32Array(await context.readTensor(out));
    assertClose(outData.subarray(0, seq * HEADS * D), ref.out, TOL, `out at step ${step}`);
    const cacheData = new Float32Array(await context.readTensor(cacheOut));
    assertClose(cacheData.subarray(0, (past + seq) * HEADS * D), ref.present, TOL, `present_key at step ${step}`);
    expectedCache = Float32Array.from(ref.present);
    [cacheIn, cacheOut] = [cacheOut, cacheIn];
  }
  assert.equal(expectedCache.length, HEADS * 19 * D);
});

test('the same graph refuses past = maxSize + 1, naming the tensor, the dimension and the bound; nothing runs', async () => {
  const context = await ml.createContext();
  const graph = await buildDecoder(context);
  const big = await context.createTensor({ dataType: 'float32', shape: [1, HEADS, MAX_PAST + 1, D], writable: true });
  const x = await context.createTensor({ dataType: 'float32', shape: [1, 1], writable: true });
  const present = await context.createTensor({ dataType: 'float32', shape: [1, HEADS, MAX_PAST + 2, D], readable: true, writable: true });
  const out = await context.createTensor({ dataType: 'float32', shape: [1, 1, HEADS * D], readable: true });
  context.writeTensor(present, new Float32Array(HEADS * (MAX_PAST + 2) * D).fill(42));
  assert.throws(() => context.dispatch(graph, { x, past_key: big }, { present_key: present, out }),
    { name: 'TypeError', message: "dispatch: input 'past_key' has shape [1, 3, 65, 64]: dimension 2 ('past') is 65, more than its maxSize 64" });
  await assert.rejects(context.compute(graph, {
    x: { data: new Float32Array(1), shape: [1, 1] },
    past_key: { data: new Float32Array(HEADS * 65 * D), shape: [1, HEADS, 65, D] },
  }), { name: 'TypeError', message: "compute: input 'past_key' has shape [1, 3, 65, 64]: dimension 2 ('past') is 65, more than its maxSize 64" });
  // The output tensor was not touched.
  assert.ok(new Float32Array(await context.readTensor(present)).every((v) => v === 42));
});

test('IR with dynamic dimensions survives a JSON round trip and compiles again', async () => {
  const context = await ml.createContext();
  const graph = await buildDecoder(context);
  const ir = graphInternals(graph)!.ir;
  const back = fromJSON(JSON.parse(JSON.stringify(toJSON(ir))));
  assert.deepEqual(back.operands, ir.operands);
  assert.deepEqual(back.nodes, ir.nodes);
  assert.deepEqual(lowerToOnnx(back).model.graph.output, lowerToOnnx(ir).model.graph.output);
  const bad = JSON.parse(JSON.stringify(toJSON(ir)));
  bad.operands[0].desc.dims[1] = { name: 'seq + ', maxSize: 8 };
  assert.throws(() => fromJSON(bad), /operand 0 is malformed/);
});

test('static graphs are unaffected: same descriptors, IR without dims, exact tensor shapes required', async () => {
  const context = await ml.createContext();
  const b = new MLGraphBuilder(context);
  const x = b.input('x', { dataType: 'float32', shape: [2, 3] });
  const graph = await b.build({ y: b.reshape(b.relu(x), [3, 2]) });
  const ir = graphInternals(graph)!.ir;
  assert.ok(ir.operands.every((o) => !('dims' in o.desc)));
  const r = await context.compute(graph, { x: new Float32Array([1, -2, 3, -4, 5, -6]) });
  assert.deepEqual(r.y!.shape, [3, 2]);
  assert.deepEqual([...r.y!.data], [1, 0, 3, 0, 5, 0]);
  const t = await context.createTensor({ dataType: 'float32', shape: [3, 2], writable: true });
  const y = await context.createTensor({ dataType: 'float32', shape: [3, 2], readable: true });
  assert.throws(() => context.dispatch(graph, { x: t }, { y }), /input 'x' is float32\[3, 2\], the graph expects float32\[2, 3\]/);
});
