// Lowering graphs with dynamic dimensions to ONNX: derived sizes are computed inside the model from the inputs'
// shapes, and no lowering bakes a dynamic bound into the model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { graphInternals } from '../../src/api/graph.js';
import { lowerToOnnx } from '../../src/backends/onnxruntime/lower.js';
import { Emitter } from '../../src/backends/onnxruntime/emitter.js';
import { encodeModel } from '../../src/onnx/schema.js';
import { MLGraphBuilder, MLGraph } from '../../src/index.js';
import { ctx } from '../support/flexible.js';

test('emitter: shapeOf/sizeOf compute derived sizes inside the ONNX model from the inputs\' shapes', async () => {
  const e = new Emitter('t:', new Map([['seq', { value: 'x', axis: 1 }], ['past', { value: 'p', axis: 0 }]]));
  const derived = { name: 'past + 2*seq + 3', maxSize: 1000 };
  e.node('Identity', [e.sizeOf(derived)], ['size']);
  e.node('Identity', [e.shapeOf([4, { name: 'seq', maxSize: 8 }, { name: 'past*seq', maxSize: 64 }])], ['shape']);
  const info = (name: string, elemType: number, dim: { dimValue?: number; dimParam?: string }[]) =>
    ({ name, type: { tensorType: { elemType, shape: { dim } } } });
  const model = encodeModel({
    irVersion: 10, opsetImport: [{ domain: '', version: 21 }], producerName: 'test', producerVersion: '0',
    graph: {
      name: 'g', node: e.nodes, initializer: e.initializers,
      input: [info('x', 1, [{ dimValue: 1 }, { dimParam: 'seq' }]), info('p', 1, [{ dimParam: 'past' }])],
      output: [info('size', 7, []), info('shape', 7, [{ dimValue: 3 }])],
    },
  });
  const session = await ort.InferenceSession.create(model);
  for (const [seq, past] of [[5, 2], [0, 0], [1, 7]] as const) {
    const r = await session.run({ x: new ort.Tensor('float32', new Float32Array(seq), [1, seq]), p: new ort.Tensor('float32', new Float32Array(past), [past]) });
    assert.equal(r.size!.dims.length, 0);
    assert.equal(r.size!.data[0], BigInt(past + 2 * seq + 3));
    assert.deepEqual([...(r.shape!.data as BigInt64Array)], [4n, BigInt(seq), BigInt(past * seq)]);
  }
  await session.release();
});

/** Every integer constant and integer attribute of the graph's ONNX model (where a baked-in bound would show). */
function modelIntegers(graph: MLGraph): bigint[] {
  const { model } = lowerToOnnx(graphInternals(graph)!.ir);
  const values: bigint[] = [];
  for (const t of model.graph.initializer) {
    const bytes = t.rawData.slice();
    if (t.dataType === 7) values.push(...new BigInt64Array(bytes.buffer));
    if (t.dataType === 6) values.push(...[...new Int32Array(bytes.buffer)].map(BigInt));
  }
  for (const node of model.graph.node) {
    for (const a of node.attribute) values.push(...[...(a.ints ?? []), ...(a.i === undefined ? [] : [a.i])].map((v) => BigInt(v)));
  }
  return values;
}

test('no lowering bakes a dynamic bound into the model: exact integer sums and products work at the run-time width', async () => {
  const context = await ctx();
  const BOUND = 4093; // a prime no lowering would use for anything else
  const b = new MLGraphBuilder(context);
  const big = { name: 'big', maxSize: BOUND };
  const i64 = b.input('i64', { dataType: 'int64', shape: [2, big] });
  const i32 = b.input('i32', { dataType: 'int32', shape: [big, 3] });
  const f = b.input('f', { dataType: 'float32', shape: [big, 3] });
  const bounds = new Set([BOUND, BOUND - 1, BOUND + 1, 2 * BOUND, 3 * BOUND].map(BigInt));
  const graph = await b.build({
    sum: b.reduceSum(i64, { axes: [1] }), prod: b.reduceProduct(i64, { axes: [1] }), l1: b.reduceL1(i32, { axes: [0] }),
    sq: b.reduceSumSquare(i32), p32: b.reduceProduct(i32, { axes: [0, 1], keepDimensions: true }),
    fsum: b.reduceMean(f, { axes: [0] }), soft: b.softmax(f, 0), cum: b.cumulativeSum(f, 0, { reversed: true }),
    flat: b.reshape(f, [b.concat([f, f, f], 0).dimensions[0]!]),
  });
  // Reads of one element along the axis: a separate graph, as they fail the dispatch at size 0.
  const b2 = new MLGraphBuilder(context);
  const f2 = b2.input('f', { dataType: 'float32', shape: [big, 3] });
  const picks = await b2.build({ arg: b2.argMax(f2, 0), rows: b2.gather(f2, b2.constant({ dataType: 'int32', shape: [2] }, Int32Array.of(-1, 9999))) });
  for (const g of [graph, picks]) assert.deepEqual(modelIntegers(g).filter((v) => bounds.has(v < 0n ? -v : v)), []);
  for (const size of [0, 1, 2, 5, 8, 13]) {
    const rows = [0, 1].map((r) => Array.from({ length: size }, (_, i) => (r === 0 ? 2n ** 53n + BigInt(i + 1) : BigInt(i % 4) - 1n)));
    const small = Int32Array.from({ length: size * 3 }, (_, i) => (i % 5) - 2);
    const r = await context.compute(graph, {
      i64: { data: BigInt64Array.from(rows.flat()), shape: [2, size] }, i32: { data: small, shape: [size, 3] },
      f: { data: Float32Array.from({ length: size * 3 }, (_, i) => i), shape: [size, 3] },
    });
    const wrap = (v: bigint) => BigInt.asIntN(64, v);
    assert.deepEqual([...(r.sum!.data as BigInt64Array)], rows.map((row) => wrap(row.reduce((a, v) => a + v, 0n))), `sum at ${size}`);
    assert.deepEqual([...(r.prod!.data as BigInt64Array)], rows.map((row) => wrap(row.reduce((a, v) => a * v, 1n))), `product at ${size}`);
    const column = (j: number) => [...small].filter((_, i) => i % 3 === j);
    assert.deepEqual([...(r.l1!.data as Int32Array)], [0, 1, 2].map((j) => column(j).reduce((a, v) => a + Math.abs(v), 0)), `l1 at ${size}`);
    assert.deepEqual([...(r.sq!.data as Int32Array)], [[...small].reduce((a, v) => a + v * v, 0)], `sumSquare at ${size}`);
    assert.deepEqual([...(r.p32!.data as Int32Array)], [[...small].reduce((a, v) => Math.imul(a, v), 1)], `int32 product at ${size}`);
    if (size > 0) {
      const p = await context.compute(picks, { f: { data: Float32Array.from({ length: size * 3 }, (_, i) => i), shape: [size, 3] } });
      Object.assign(r, p);
      assert.deepEqual([...(r.arg!.data as Int32Array)], [size - 1, size - 1, size - 1], `argMax at ${size}`);
      assert.deepEqual([...(r.rows!.data as Float32Array)], [...[0, 1, 2].map((j) => 3 * (size - 1) + j), ...[0, 1, 2].map((j) => 3 * (size - 1) + j)], `gather clamps at ${size}`);
      assert.deepEqual([...(r.fsum!.data as Float32Array)], [0, 1, 2].map((j) => (3 * (size - 1)) / 2 + j), `mean at ${size}`);
    }
    assert.equal(r.flat!.shape[0], 3 * size);
  }
});
