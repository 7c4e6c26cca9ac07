// Flexible inputs under review: derived dimensions, dispatch-time checks, and the paths around them (pruning,
// decode loops over max-size tensors, graph files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGraph, MLGraphBuilder, saveGraph, type MLGraph } from '../src/index.js';
import { graphInternals } from '../src/api/graph.js';
import { lowerToOnnx } from '../src/backends/onnxruntime/lower.js';
import { check, ctx, dyn, f32, m, n, type Dim } from './support/flexible.js';

const k = dyn('k');
const SIZES3 = [{ n: 6, m: 5, k: 4 }, { n: 2, m: 3, k: 1 }, { n: 1, m: 1, k: 3 }, { n: 3, m: 0, k: 2 }, { n: 0, m: 2, k: 0 }];

test('an input used only for a dimension name stays an input of the graph (expand/reshape to its size)', async () => {
  const context = await ctx();
  const b = new MLGraphBuilder(context);
  const x = b.input('x', { dataType: 'float32', shape: [1] });
  b.input('y', { dataType: 'float32', shape: [m] });
  const graph = await b.build({ out: b.expand(x, [m]) });
  assert.deepEqual(Object.keys(graph.inputDescriptors).sort(), ['x', 'y']);
  assert.deepEqual(graph.outputShapes({ x: [1], y: [3] }), { out: [3] });
  for (const size of [0, 3, 5]) {
    const r = await context.compute(graph, { x: { data: Float32Array.of(7), shape: [1] }, y: { data: new Float32Array(size), shape: [size] } });
    assert.deepEqual(r.out!.shape, [size]);
    assert.deepEqual(Array.from(r.out!.data as Float32Array), new Array(size).fill(7));
  }
});

test('derived dimensions: concat of two names and of one name twice, reshape through n*4, expand to a sum, dynamic K', async () => {
  await check({ a: f32(n, 3), b: f32(m, 3) }, (b, x) => [
    b.concat([x.a!, x.b!], 0), b.concat([x.a!, x.a!], 0), b.relu(b.concat([x.a!, x.b!, x.a!], 0)),
    b.add(b.concat([x.a!, x.b!], 0), b.concat([x.b!, x.a!], 0)), // m + n and n + m are the same dimension
  ], SIZES3);
  await check({ a: f32(n, 4) }, (b, x) => {
    const flat = b.reshape(x.a!, [b.concat([x.a!, x.a!, x.a!, x.a!], 0).dimensions[0]!]); // [4*n]
    return [flat, b.reshape(flat, [x.a!.dimensions[0]!, 2, 2]), b.reshape(b.transpose(x.a!), [2, b.concat([x.a!, x.a!], 0).dimensions[0]!])];
  }, SIZES3);
  await check({ a: f32(n, 1), b: f32(m, 1), c: f32(1, 3) }, (b, x) => {
    const cat = b.concat([x.a!, x.b!], 0);
    return [b.expand(x.c!, [cat.dimensions[0]!, 3]), b.mul(cat, b.expand(x.c!, [cat.dimensions[0]!, 3]))];
  }, SIZES3);
  await check({ a: f32(2, k), b: f32(k, 3), c: f32(n, 2, k) }, (b, x) => [
    b.matmul(x.a!, x.b!), b.matmul(x.c!, x.b!), b.matmul(b.transpose(x.a!), x.a!), b.matmul(x.c!, b.transpose(x.c!, { permutation: [0, 2, 1] })),
  ], SIZES3);
});

test('a name never broadcasts against a derived dimension or another name', async () => {
  const b = new MLGraphBuilder(await ctx());
  const a = b.input('a', { dataType: 'float32', shape: [n, 3] });
  const twice = b.concat([a, a], 0);
  assert.deepEqual(twice.shape, [{ name: '2*n', maxSize: 12 }, 3]);
  assert.throws(() => b.add(a, twice), { name: 'TypeError', message: /^add: shapes \[n, 3\] and \[2\*n, 3\] are not broadcastable/ });
  assert.throws(() => b.matmul(a, b.input('w', { dataType: 'float32', shape: [m, 3] })), { name: 'TypeError', message: /^matmul: / });
  assert.throws(() => b.reshape(a, [twice.dimensions[0]!]), { name: 'TypeError', message: 'reshape: newShape [2*n] has 2*n elements, the input [n, 3] has 3*n' });
  assert.deepEqual(b.reshape(a, [b.concat([a, a, a], 0).dimensions[0]!]).shape, [{ name: '3*n', maxSize: 18 }]);
});

test('dynamic dimensions with float16, int64 and uint8 inputs, next to a rank-0 input and at rank 8', async () => {
  await check({ h: { dataType: 'float16', shape: [n, 2] }, i: { dataType: 'int64', shape: [n, 2] }, u: { dataType: 'uint8', shape: [2, n] } },
    (b, x) => [
      b.add(x.h!, x.h!), b.mul(x.i!, x.i!), b.transpose(x.u!), b.concat([x.i!, x.i!], 0), b.reshape(x.u!, [x.u!.dimensions[1]!, 2]),
      b.cast(x.i!, 'float16'), b.reduceSum(x.i!, { axes: [0] }), b.cumulativeSum(x.h!, 0), b.where(b.transpose(x.u!), x.i!, b.cast(x.h!, 'int64')),
    ], SIZES3);
  await check({ a: f32(1, n, 2, 1, m, 1, 2, 1), s: f32() }, (b, x) => [
    b.add(x.a!, x.s!), b.reduceSum(x.a!, { axes: [1, 4] }), b.transpose(x.a!), b.softmax(x.a!, 4), b.mul(b.reduceMax(x.a!), x.s!),
  ], SIZES3.slice(0, 4));
});

test('dispatch: each bad shape is a TypeError naming tensor, dimension and bound; nothing runs, later dispatches work', async () => {
  const context = await ctx();
  const b = new MLGraphBuilder(context);
  const x = b.input('x', { dataType: 'float32', shape: [n, 2] });
  const y = b.input('y', { dataType: 'float32', shape: [n, 2] });
  const graph = await b.build({ out: b.add(x, y) });
  const tensor = (shape: number[]) => context.createTensor({ dataType: 'float32', shape, readable: true, writable: true });
  const [tx, ty, out, small, tooBig] = await Promise.all([tensor([6, 2]), tensor([6, 2]), tensor([6, 2]), tensor([2, 2]), tensor([7, 2])]);
  const xData = Float32Array.from({ length: 12 }, (_, i) => i);
  context.writeTensor(tx, xData);
  context.writeTensor(ty, new Float32Array(12).fill(100));
  context.writeTensor(out, new Float32Array(12).fill(-1));
  const run = (ins: object, outs: object, options?: object) => () => context.dispatch(graph, ins as never, outs as never, options as never);
  const cases: [() => void, string][] = [
    [run({ x: tx, y: ty }, { out }, { inputShapes: { x: [6], y: [6, 2] } }), "dispatch: input 'x' has shape [6] of rank 1; the graph expects rank 2"],
    [run({ x: tx, y: ty }, { out }, { inputShapes: { x: [2, 3], y: [2, 3] } }), "dispatch: input 'x' has shape [2, 3]: dimension 1 is 3, the graph's static size is 2"],
    [run({ x: tooBig, y: ty }, { out }), "dispatch: input 'x' has shape [7, 2]: dimension 0 ('n') is 7, more than its maxSize 6"],
    [run({ x: tx, y: ty }, { out }, { inputShapes: { x: [3, 2], y: [2, 2] } }), "dispatch: input 'y' has shape [2, 2]: dimension 0 ('n') is 2, but input 'x' gives 'n' the size 3"],
    [run({ x: tx, y: ty }, { out: small }, { inputShapes: { x: [3, 2], y: [3, 2] }, outputShapes: { out: [3, 2] } }),
      "dispatch: output 'out' needs 24 bytes for shape [3, 2]; the tensor float32[2, 2] has 16"],
    [run({ x: small, y: ty }, { out }, { inputShapes: { x: [3, 2], y: [3, 2] }, outputShapes: { out: [3, 2] } }),
      "dispatch: input 'x' needs 24 bytes for shape [3, 2]; the tensor float32[2, 2] has 16"],
    [run({ x: tx, y: ty }, { out }, { inputShapes: { x: [3, 2], y: [3, 2] } }),
      "dispatch: output 'out' has shape [6, 2]; for these inputs float32[n, 2] is [3, 2] (pass outputShapes to write it into a larger tensor)"],
    [run({ x: tx, y: ty }, { out }, { inputShapes: { z: [3, 2] } }), "dispatch: inputShapes names 'z', which is not an input of the graph"],
    [run({ x: tx, y: ty }, { out }, { inputShapes: { x: [3, 2], y: [3, 2] }, outputShapes: { x: [3, 2] } }), "dispatch: outputShapes names 'x', which is not an output of the graph"],
  ];
  for (const bad of [-1, 1.5, NaN, Infinity, '3']) {
    cases.push([run({ x: tx, y: ty }, { out }, { inputShapes: { x: [bad, 2], y: [3, 2] } }), "dispatch: inputShapes['x'] must be a sequence of non-negative integers"]);
  }
  for (const [fn, message] of cases) {
    assert.throws(fn, { name: 'TypeError', message });
    // The timeline is not poisoned: a valid dispatch right after the refused one runs.
    context.dispatch(graph, { x: tx, y: ty }, { out }, { inputShapes: { x: [2, 2], y: [2, 2] }, outputShapes: { out: [2, 2] } });
    assert.deepEqual(Array.from(new Float32Array(await context.readTensor(out))), [100, 101, 102, 103, ...new Array(8).fill(-1)], message);
  }
  assert.deepEqual(new Float32Array(await context.readTensor(tx)), xData, 'inputs are never written');
  assert.deepEqual(new Float32Array(await context.readTensor(ty)), new Float32Array(12).fill(100));
});

test('a 64-step decode loop swaps two max-size caches; each output is packed at the start, the rest left as it was', async () => {
  const context = await ctx();
  const b = new MLGraphBuilder(context);
  const WIDTH = 4;
  const MAX = 65;
  const x = b.input('x', { dataType: 'float32', shape: [1, { name: 'seq', maxSize: 2 }, WIDTH] });
  const past = b.input('past', { dataType: 'float32', shape: [1, { name: 'past', maxSize: MAX - 1 }, WIDTH] });
  // present = concat(past, 2x); scores = sum over the cache rows (checks the model reads only the active rows).
  const present = b.concat([past, b.mul(x, b.constant({ dataType: 'float32', shape: [1] }, Float32Array.of(2)))], 1);
  const graph = await b.build({ present, total: b.reduceSum(present, { axes: [1] }) });
  const SENTINEL = -12345;
  const cache = () => context.createTensor({ dataType: 'float32', shape: [1, MAX, WIDTH], readable: true, writable: true });
  let [cacheIn, cacheOut] = await Promise.all([cache(), cache()]);
  for (const t of [cacheIn, cacheOut]) context.writeTensor(t, new Float32Array(MAX * WIDTH).fill(SENTINEL));
  const xt = await context.createTensor({ dataType: 'float32', shape: [1, 2, WIDTH], writable: true });
  const total = await context.createTensor({ dataType: 'float32', shape: [1, WIDTH], readable: true });
  const expected: number[] = [];
  for (let step = 0; step < 64; step++) {
    const token = Float32Array.from({ length: WIDTH }, (_, j) => step * 10 + j);
    context.writeTensor(xt, Float32Array.of(...token, 999, 999, 999, 999)); // the second row lies outside seq = 1
    const inputShapes = { x: [1, 1, WIDTH], past: [1, step, WIDTH] };
    const outputShapes = graph.outputShapes(inputShapes);
    assert.deepEqual(outputShapes, { present: [1, step + 1, WIDTH], total: [1, WIDTH] });
    context.dispatch(graph, { x: xt, past: cacheIn }, { present: cacheOut, total }, { inputShapes, outputShapes });
    expected.push(...token.map((v) => 2 * v));
    const got = new Float32Array(await context.readTensor(cacheOut));
    assert.deepEqual(Array.from(got.subarray(0, expected.length)), expected, `present at step ${step}`);
    assert.ok(got.subarray(expected.length).every((v) => v === SENTINEL), `the rest of the cache is untouched at step ${step}`);
    const sums = Array.from({ length: WIDTH }, (_, j) => expected.filter((_, i) => i % WIDTH === j).reduce((a, v) => a + v, 0));
    assert.deepEqual(Array.from(new Float32Array(await context.readTensor(total))), sums, `total at step ${step}`);
    [cacheIn, cacheOut] = [cacheOut, cacheIn];
  }
  // A smaller active shape overwrites only its own prefix: rows past it keep the longer result written before.
  const before = new Float32Array(await context.readTensor(cacheIn));
  context.dispatch(graph, { x: xt, past: cacheOut }, { present: cacheIn, total }, {
    inputShapes: { x: [1, 1, WIDTH], past: [1, 0, WIDTH] }, outputShapes: { present: [1, 1, WIDTH], total: [1, WIDTH] },
  });
  const after = new Float32Array(await context.readTensor(cacheIn));
  assert.deepEqual(Array.from(after.subarray(0, WIDTH)), [1260, 1262, 1264, 1266]);
  assert.deepEqual(after.subarray(WIDTH), before.subarray(WIDTH));
});

test('saveGraph/loadGraph (.webnn and .json) keep dimension names, derived shapes and every output shape', async () => {
  const context = await ctx();
  const b = new MLGraphBuilder(context);
  const x = b.input('x', { dataType: 'float32', shape: [n, 4] });
  const y = b.input('y', { dataType: 'float32', shape: [m, 4] });
  b.input('z', { dataType: 'float32', shape: [k] }); // only carries k
  const w = b.constant({ dataType: 'float32', shape: [4, 2] }, Float32Array.from({ length: 8 }, (_, i) => i - 3));
  const cat = b.concat([x, y, x], 0);
  const graph = await b.build({
    cat: b.matmul(cat, w), flat: b.reshape(b.relu(cat), [b.concat([cat, cat, cat, cat], 0).dimensions[0]!]),
    wide: b.expand(b.constant({ dataType: 'float32', shape: [1] }, Float32Array.of(3)), [k]),
  });
  const dir = mkdtempSync(join(tmpdir(), 'tsnn-dyn-'));
  const feeds = (sizes: { n: number; m: number; k: number }) => ({
    x: { data: Float32Array.from({ length: sizes.n * 4 }, (_, i) => i - 5), shape: [sizes.n, 4] },
    y: { data: Float32Array.from({ length: sizes.m * 4 }, (_, i) => 2 - i), shape: [sizes.m, 4] },
    z: { data: new Float32Array(sizes.k), shape: [sizes.k] },
  });
  try {
    for (const file of ['g.webnn', 'g.json']) {
      saveGraph(graph, join(dir, file));
      const loaded = await loadGraph(context, join(dir, file));
      assert.deepEqual(loaded.inputDescriptors, graph.inputDescriptors, file);
      assert.deepEqual(loaded.outputDescriptors, graph.outputDescriptors, file);
      assert.deepEqual(loaded.outputDescriptors.flat!.shape, [{ name: '4*m + 8*n', maxSize: 68 }]);
      for (const sizes of [{ n: 6, m: 5, k: 4 }, { n: 2, m: 0, k: 1 }, { n: 0, m: 1, k: 0 }]) {
        const shapes = { x: [sizes.n, 4], y: [sizes.m, 4], z: [sizes.k] };
        assert.deepEqual(loaded.outputShapes(shapes), graph.outputShapes(shapes));
        assert.deepEqual(loaded.outputShapes(shapes), { cat: [2 * sizes.n + sizes.m, 2], flat: [8 * sizes.n + 4 * sizes.m], wide: [sizes.k] });
        assert.deepEqual(await context.compute(loaded, feeds(sizes)), await context.compute(graph, feeds(sizes)), `${file} ${JSON.stringify(sizes)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compute names the input whose data does not fit its shape', async () => {
  const context = await ctx();
  const b = new MLGraphBuilder(context);
  const graph = await b.build({ out: b.add(b.input('x', { dataType: 'float32', shape: [n, 2] }), b.input('s', { dataType: 'float32', shape: [2] })) });
  await assert.rejects(context.compute(graph, { x: { data: new Float32Array(5), shape: [3, 2] }, s: new Float32Array(2) }),
    { name: 'TypeError', message: "compute: input 'x' (shape [3, 2]): buffer has 20 bytes, the descriptor needs 24" });
  await assert.rejects(context.compute(graph, { x: { data: new Int32Array(6), shape: [3, 2] }, s: new Float32Array(2) }),
    { name: 'TypeError', message: /^compute: input 'x' \(shape \[3, 2\]\): a Int32Array cannot carry float32 data/ });
  await assert.rejects(context.compute(graph, { x: { data: new Float32Array(6), shape: [3, 2] }, s: new Float32Array(3) }),
    { name: 'TypeError', message: "compute: input 's' (shape [2]): buffer has 12 bytes, the descriptor needs 8" });
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

test('exact integer reductions over static axes keep a dynamic axis, 0 included', async () => {
  await check({ x: { dataType: 'int64', shape: [2, n, 3] }, y: { dataType: 'int32', shape: [m, 2, n] } }, (b, x) => [
    b.reduceSum(x.x!, { axes: [2] }), b.reduceProduct(x.x!, { axes: [0] }), b.reduceSum(x.x!, { axes: [0, 2], keepDimensions: true }),
    b.reduceL1(x.y!, { axes: [1] }), b.reduceProduct(x.y!, { axes: [0, 2] }), b.reduceSumSquare(x.y!, { axes: [2] }),
  ], SIZES3);
});

test('outputShapes needs only the inputs with dynamic dimensions; a static one given must have its shape', async () => {
  const b = new MLGraphBuilder(await ctx());
  const x = b.input('x', { dataType: 'float32', shape: [n, 3] });
  const w = b.input('w', { dataType: 'float32', shape: [3, 2] });
  const graph = await b.build({ y: b.matmul(x, w), z: b.reduceSum(w) });
  assert.deepEqual(graph.outputShapes({ x: [4, 3] }), { y: [4, 2], z: [] });
  assert.deepEqual(graph.outputShapes({ x: [0, 3], w: [3, 2] }), { y: [0, 2], z: [] });
  assert.throws(() => graph.outputShapes({ x: [4, 3], w: [3, 3] }),
    { name: 'TypeError', message: "outputShapes: input 'w' has shape [3, 3]: dimension 1 is 3, the graph's static size is 2" });
  assert.throws(() => graph.outputShapes({ w: [3, 2] }), { name: 'TypeError', message: "outputShapes: missing the shape of input 'x'" });
});

test('max-size float16, int64 and uint8 tensors dispatched at active sizes 0 to maxSize', async () => {
  const context = await ctx();
  const b = new MLGraphBuilder(context);
  const h = b.input('h', { dataType: 'float16', shape: [n] });
  const i = b.input('i', { dataType: 'int64', shape: [n] });
  const u = b.input('u', { dataType: 'uint8', shape: [n] });
  const graph = await b.build({ h2: b.add(h, h), i2: b.concat([i, i], 0), u2: b.logicalNot(u) });
  const make = (dataType: 'float16' | 'int64' | 'uint8', size: number, readable: boolean) =>
    context.createTensor({ dataType, shape: [size], readable, writable: !readable });
  const [th, ti, tu] = await Promise.all([make('float16', 6, false), make('int64', 6, false), make('uint8', 6, false)]);
  const [oh, oi, ou] = await Promise.all([make('float16', 6, true), make('int64', 12, true), make('uint8', 6, true)]);
  context.writeTensor(th, Uint16Array.of(0x3c00, 0x4000, 0x4200, 0x4400, 0x4500, 0x4600)); // 1..6
  context.writeTensor(ti, BigInt64Array.of(-(2n ** 62n), 1n, 2n, 3n, 4n, 5n));
  context.writeTensor(tu, Uint8Array.of(0, 1, 0, 1, 0, 1));
  for (const size of [0, 1, 4, 6, 3]) {
    const inputShapes = { h: [size], i: [size], u: [size] };
    context.dispatch(graph, { h: th, i: ti, u: tu }, { h2: oh, i2: oi, u2: ou }, { inputShapes, outputShapes: graph.outputShapes(inputShapes) });
    const half = new Uint16Array(await context.readTensor(oh)).subarray(0, size);
    assert.deepEqual([...half], [0x4000, 0x4400, 0x4600, 0x4800, 0x4900, 0x4a00].slice(0, size), `float16 at ${size}`);
    const ints = [-(2n ** 62n), 1n, 2n, 3n, 4n, 5n].slice(0, size);
    assert.deepEqual([...new BigInt64Array(await context.readTensor(oi)).subarray(0, 2 * size)], [...ints, ...ints], `int64 at ${size}`);
    assert.deepEqual([...new Uint8Array(await context.readTensor(ou)).subarray(0, size)], [1, 0, 1, 0, 1, 0].slice(0, size), `uint8 at ${size}`);
  }
});

test('matmul broadcasts a batch dimension of 1 against a dynamic one, 0 included (onnxruntime gives 1 there)', async () => {
  await check({ a: f32(1, 2, k), b: f32(n, k, 3), c: f32(n, 1, 2, k), d: f32(1, n, 3, 2) }, (b, x) => [
    b.matmul(x.a!, x.b!), b.matmul(x.c!, x.b!), b.matmul(x.b!, x.d!), b.matmul(x.d!, b.transpose(x.d!, { permutation: [1, 0, 3, 2] })),
  ], SIZES3);
  const pairs: [Dim[], Dim[]][] = [
    [[n, 2, k], [k, 3]], [[2, k], [n, k, 3]], [[m, n, 2, k], [n, k, 3]], [[m, 1, 2, k], [n, k, 3]], [[n, 2, k], [1, k, 3]],
    [[1, n, 2, k], [m, 1, k, 3]], [[m, 1, 2, k], [1, n, k, 3]], [[n, 2, k], [n, k, 3]],
  ];
  for (const [a, c] of pairs) await check({ a: f32(...a), b: f32(...c) }, (b, x) => b.matmul(x.a!, x.b!), SIZES3);
});

test('empty index lists, gemm c and prelu slope broadcast against a run-time 0', async () => {
  const runs = [{ n: 3, m: 0, k: 2 }, { n: 0, m: 0, k: 0 }, { n: 0, m: 2, k: 1 }, { n: 2, m: 3, k: 0 }, { n: 2, m: 3, k: 4 }];
  const i32 = (...shape: Dim[]) => ({ dataType: 'int32' as const, shape });
  await check({ x: f32(4, 3), i: i32(m), j: i32(m, 1), e: i32(m, 3) }, (b, x) => [
    b.gather(x.x!, x.i!), b.gather(x.x!, x.i!, { axis: 1 }), b.gatherND(x.x!, x.j!), b.gatherElements(x.x!, x.e!, { axis: 0 }),
  ], runs);
  await check({ x: f32(4, 3), j: i32(m, 1), e: i32(m, 3), u: f32(m, 3) }, (b, x) => [
    b.scatterND(x.x!, x.j!, x.u!), b.scatterElements(x.x!, x.e!, x.u!, { axis: 0 }),
  ], runs.filter((s) => s.m === 0));
  await check({ a: f32(n, k), b: f32(k, m), c1: f32(1, m), c2: f32(n, 1), s: f32(1, m) }, (b, x) => [
    b.gemm(x.a!, x.b!, { c: x.c1! }), b.gemm(x.a!, x.b!, { c: x.c2!, alpha: 2, beta: 0 }), b.prelu(b.gemm(x.a!, x.b!), x.s!),
  ], runs);
});

test('tsnn run takes a dynamic input at size 0 and ignores a declared input no output uses', async () => {
  const { runCommand } = await import('../src/cli/run.js');
  const { writeNpy } = await import('../src/format/npy.js');
  const dir = mkdtempSync(join(tmpdir(), 'tsnn-dyn-run-'));
  const lines: string[] = [];
  const log = console.log;
  try {
    const graph = join(dir, 'g.webnn');
    writeFileSync(graph, [
      'webnn_graph "g" v2 {', '  inputs {', '    x: f32[dyn("n", 6), 2];', '    unused: f32[2];', '  }', '  consts {', '  }', '  nodes {',
      '    c = concat([x, x], axis=0);', '    s = reduceSum(x, axes=[0]);', '  }', '  outputs { c; s; }', '}', '',
    ].join('\n'));
    const npy = (name: string, shape: number[], data: Float32Array) => {
      writeFileSync(join(dir, name), writeNpy({ dataType: 'float32', shape, bytes: new Uint8Array(data.buffer) }));
      return join(dir, name);
    };
    console.log = (line: string) => void lines.push(line);
    const unused = `unused=${npy('u.npy', [2], new Float32Array(2))}`;
    await runCommand(graph, { input: [`x=${npy('x0.npy', [0, 2], new Float32Array(0))}`, unused] });
    await runCommand(graph, { input: [`x=${npy('x3.npy', [3, 2], Float32Array.of(1, 2, 3, 4, 5, 6))}`, unused], outputDir: join(dir, 'out') });
    console.log = log;
    assert.match(lines[0]!, /^c: float32\[0, 2\]/);
    assert.match(lines[1]!, /^s: float32\[2\] .*\[0, 0\]$/);
    assert.match(lines[2]!, /^c: float32\[6, 2\] /);
    assert.match(lines[3]!, /^s: float32\[2\] .*\[9, 12\]$/);
    const { readNpy } = await import('../src/format/npy.js');
    assert.deepEqual(readNpy(new Uint8Array(readFileSync(join(dir, 'out', 'c.npy')))).shape, [6, 2]);
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
});
