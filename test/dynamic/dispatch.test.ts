// Dispatch with dynamic dimensions: each bad shape is a TypeError naming tensor, dimension and bound (nothing runs,
// later dispatches work); decode loops over max-size tensors at active sizes from 0 to maxSize; outputShapes and
// compute say which input does not fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder } from '../../src/index.js';
import { ctx, n, m } from '../support/flexible.js';

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
  const dispatchWith = (ins: object, outs: object, options?: object) => () => context.dispatch(graph, ins as never, outs as never, options as never);
  const cases: [() => void, string][] = [
    [dispatchWith({ x: tx, y: ty }, { out }, { inputShapes: { x: [6], y: [6, 2] } }), "dispatch: input 'x' has shape [6] of rank 1; the graph expects rank 2"],
    [dispatchWith({ x: tx, y: ty }, { out }, { inputShapes: { x: [2, 3], y: [2, 3] } }), "dispatch: input 'x' has shape [2, 3]: dimension 1 is 3, the graph's static size is 2"],
    [dispatchWith({ x: tooBig, y: ty }, { out }), "dispatch: input 'x' has shape [7, 2]: dimension 0 ('n') is 7, more than its maxSize 6"],
    [dispatchWith({ x: tx, y: ty }, { out }, { inputShapes: { x: [3, 2], y: [2, 2] } }), "dispatch: input 'y' has shape [2, 2]: dimension 0 ('n') is 2, but input 'x' gives 'n' the size 3"],
    [dispatchWith({ x: tx, y: ty }, { out: small }, { inputShapes: { x: [3, 2], y: [3, 2] }, outputShapes: { out: [3, 2] } }),
      "dispatch: output 'out' needs 24 bytes for shape [3, 2]; the tensor float32[2, 2] has 16"],
    [dispatchWith({ x: small, y: ty }, { out }, { inputShapes: { x: [3, 2], y: [3, 2] }, outputShapes: { out: [3, 2] } }),
      "dispatch: input 'x' needs 24 bytes for shape [3, 2]; the tensor float32[2, 2] has 16"],
    [dispatchWith({ x: tx, y: ty }, { out }, { inputShapes: { x: [3, 2], y: [3, 2] } }),
      "dispatch: output 'out' has shape [6, 2]; for these inputs float32[n, 2] is [3, 2] (pass outputShapes to write it into a larger tensor)"],
    [dispatchWith({ x: tx, y: ty }, { out }, { inputShapes: { z: [3, 2] } }), "dispatch: inputShapes names 'z', which is not an input of the graph"],
    [dispatchWith({ x: tx, y: ty }, { out }, { inputShapes: { x: [3, 2], y: [3, 2] }, outputShapes: { x: [3, 2] } }), "dispatch: outputShapes names 'x', which is not an output of the graph"],
  ];
  for (const bad of [-1, 1.5, NaN, Infinity, '3']) {
    cases.push([dispatchWith({ x: tx, y: ty }, { out }, { inputShapes: { x: [bad, 2], y: [3, 2] } }), "dispatch: inputShapes['x'] must be a sequence of non-negative integers"]);
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
