// Flexible inputs, operator by operator: each graph is built once with a dynamic input and run at several sizes
// (the maxSize, smaller ones, and 0 where the op allows an empty tensor). Every non-empty run is checked against the
// same op built with static shapes at that size (the static path is an independent check of the dynamic one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder } from '../../src/index.js';
import { f32, i32, u8, throwsType } from '../support/index.js';
import { check, ctx, dyn, n, m, SIZES, type Dim } from '../support/flexible.js';

test('comparisons and logical ops broadcast a static 1 against a dynamic dimension', async () => {
  for (const op of ['equal', 'notEqual', 'greater', 'greaterOrEqual', 'lesser', 'lesserOrEqual'] as const) {
    await check({ a: f32(n, 3), b: f32(1, 3) }, (b, x) => b[op](x.a!, x.b!), SIZES);
  }
  for (const op of ['logicalAnd', 'logicalOr', 'logicalXor'] as const) {
    await check({ a: u8(2, n), b: u8(n) }, (b, x) => b[op](x.a!, x.b!), SIZES);
  }
  await check({ a: u8(n, m) }, (b, x) => b.logicalNot(x.a!), SIZES);
  const special = (c: number) => Float32Array.from({ length: c }, (_, i) => [NaN, Infinity, -Infinity, 1.5, -0][i % 5]!);
  await check({ a: { dataType: 'float32', shape: [n, 2], data: special } }, (b, x) => [b.isNaN(x.a!), b.isInfinite(x.a!)], SIZES);
});

test('where broadcasts condition, trueValue and falseValue with dynamic dimensions', async () => {
  await check({ c: u8(n, 1), t: f32(1, m), f: f32(n, m) }, (b, x) => b.where(x.c!, x.t!, x.f!), SIZES);
  await check({ c: u8(m), t: f32(n, m), f: f32(1) }, (b, x) => b.where(x.c!, x.t!, x.f!), SIZES);
});

test('clamp, elu, hardSigmoid, leakyRelu, linear and prelu keep dynamic dimensions', async () => {
  await check({ x: f32(n, m) }, (b, x) => [
    b.clamp(x.x!, { minValue: -1, maxValue: 2 }), b.elu(x.x!, { alpha: 0.5 }), b.hardSigmoid(x.x!, { alpha: 0.3, beta: 0.4 }),
    b.leakyRelu(x.x!, { alpha: 0.1 }), b.linear(x.x!, { alpha: 2, beta: -1 }),
  ], SIZES);
  await check({ x: f32(n, 3), slope: f32(3) }, (b, x) => b.prelu(x.x!, x.slope!), SIZES);
  await check({ x: { dataType: 'int32', shape: [2, n] }, slope: { dataType: 'int32', shape: [n] } }, (b, x) => b.prelu(x.x!, x.slope!), SIZES);
});

test('element-wise ops say when a dynamic dimension does not broadcast', async () => {
  const b = new MLGraphBuilder(await ctx());
  const a = b.input('a', { dataType: 'float32', shape: [n, 3] });
  const c = b.input('c', { dataType: 'float32', shape: [m, 3] });
  throwsType(() => b.equal(a, c), 'equal: shapes [n, 3] and [m, 3] are not broadcastable (a dynamic dimension broadcasts only against the same dimension or a static 1)');
  throwsType(() => b.where(b.input('k', { dataType: 'uint8', shape: [n, 3] }), a, b.constant({ dataType: 'float32', shape: [2, 3] }, new Float32Array(6))),
    'where: trueValue shape [n, 3] and falseValue shape [2, 3] are not broadcastable (a dynamic dimension broadcasts only against the same dimension or a static 1)');
  throwsType(() => b.prelu(a, c), /^prelu: slope shape \[m, 3\] is not broadcastable with input shape \[n, 3\]/);
});

const REDUCTIONS = ['reduceL1', 'reduceL2', 'reduceLogSum', 'reduceLogSumExp', 'reduceMax', 'reduceMean', 'reduceMin',
  'reduceProduct', 'reduceSum', 'reduceSumSquare'] as const;

test('reductions over a dynamic axis use the run-time size (reduceMean divides by it), others keep it', async () => {
  const positive = (c: number) => Float32Array.from({ length: c }, (_, i) => 0.25 + ((i * 7) % 9) / 4);
  for (const op of REDUCTIONS) {
    await check({ x: { dataType: 'float32', shape: [n, 3, m], data: positive } }, (b, x) => [
      b[op](x.x!, { axes: [0] }), b[op](x.x!, { axes: [0, 2], keepDimensions: true }), b[op](x.x!, { axes: [1] }), b[op](x.x!),
      b[op](x.x!, { axes: [] }),
    ], SIZES.slice(0, 3));
  }
  // Over an empty axis the sum is 0 and the product 1 (the reductions' identities); the mean of nothing is NaN.
  await check({ x: f32(n, 2) }, (b, x) => [
    b.reduceSum(x.x!, { axes: [0] }), b.reduceProduct(x.x!, { axes: [0] }), b.reduceMean(x.x!, { axes: [0] }), b.reduceMean(x.x!),
  ], [{ n: 0 }], (r) => {
    assert.deepEqual(Array.from(r.out0!.data), [0, 0]);
    assert.deepEqual(Array.from(r.out1!.data), [1, 1]);
    assert.ok(Array.from(r.out2!.data).every(Number.isNaN) && r.out2!.data.length === 2, 'reduceMean over an empty axis');
    assert.ok(Number.isNaN(r.out3!.data[0]), 'reduceMean of an empty tensor');
  });
  await check({ x: { dataType: 'float16', shape: [n, m] } }, (b, x) => b.reduceMean(x.x!, { axes: [1, 0], keepDimensions: true }), SIZES.slice(0, 3));
  await check({ x: { dataType: 'int32', shape: [n, 3] } }, (b, x) => [b.reduceSum(x.x!, { axes: [0] }), b.reduceMax(x.x!, { axes: [1] })], SIZES);
});

test('argMin, argMax and cumulativeSum along dynamic and static axes', async () => {
  await check({ x: f32(n, m) }, (b, x) => [
    b.argMax(x.x!, 0), b.argMin(x.x!, 1, { keepDimensions: true, outputDataType: 'int64' }), b.argMax(x.x!, 1),
  ], SIZES.slice(0, 3));
  await check({ x: f32(n, m) }, (b, x) => [
    b.cumulativeSum(x.x!, 0), b.cumulativeSum(x.x!, 1, { exclusive: true, reversed: true }),
  ], SIZES);
  await check({ x: { dataType: 'int64', shape: [n] } }, (b, x) => b.cumulativeSum(x.x!, 0, { reversed: true }), SIZES);
});

test('gather, gatherND, scatterElements and scatterND with dynamic dimensions (indices clamp to the run-time size)', async () => {
  // Index values -5..5 go past every size below 6: the clamp must use the size of this run, not the maxSize.
  await check({ x: f32(n, 3), i: i32(m) }, (b, x) => [b.gather(x.x!, x.i!), b.gather(x.x!, x.i!, { axis: 1 })], SIZES.slice(0, 3));
  await check({ x: f32(3, n), i: i32(m, 2) }, (b, x) => b.gather(x.x!, x.i!, { axis: 0 }), SIZES);
  await check({ x: f32(n, 3, 2), i: i32(m, 2) }, (b, x) => b.gatherND(x.x!, x.i!), SIZES.slice(0, 3));
  await check({ x: f32(4, n), i: i32(m, 1) }, (b, x) => b.gatherND(x.x!, x.i!), SIZES);
  await check({ x: f32(n, 3), i: i32(n, 2), u: f32(n, 2) }, (b, x) => b.scatterElements(x.x!, x.i!, x.u!, { axis: 1 }), SIZES);
  await check({ x: f32(n, 3), i: i32(2, 3), u: f32(2, 3) }, (b, x) => b.scatterElements(x.x!, x.i!, x.u!, { axis: 0 }), SIZES.slice(0, 3));
  // One distinct row per update, so the result does not depend on the order of duplicate writes.
  const rows = (c: number) => Int32Array.from({ length: c }, (_, i) => i);
  await check({ x: f32(n, 4), i: { dataType: 'int32', shape: [1, 1], data: rows }, u: f32(1, 4) },
    (b, x) => b.scatterND(x.x!, x.i!, x.u!), SIZES.slice(0, 3));
  await check({ x: f32(4, n), i: { dataType: 'int32', shape: [2, 1], data: rows }, u: f32(2, n) },
    (b, x) => b.scatterND(x.x!, x.i!, x.u!), SIZES);
});

test('slice keeps dynamic axes whole and slices static ones; split along a static axis; expand to a dynamic shape', async () => {
  await check({ x: f32(n, 5, m) }, (b, x, dim) => [
    b.slice(x.x!, [0, 1, 0], [dim('n'), 3, dim('m')]), b.slice(x.x!, [0, 0, 0], [dim('n'), 5, dim('m')], { strides: [1, 2, 1] }),
  ], SIZES);
  await check({ x: f32(n, 6) }, (b, x) => [...b.split(x.x!, 3, { axis: 1 }), ...b.split(x.x!, [1, 5], { axis: 1 })], SIZES);
  await check({ x: f32(1, 3), y: f32(n, 1) }, (b, x, dim) => [
    b.expand(x.x!, [dim('n'), 3]), b.expand(x.y!, [2, dim('n'), 4]), b.expand(x.y!, [dim('n'), 7]),
  ], SIZES);
});

test('reverse, triangular, tile and pad with dynamic dimensions', async () => {
  await check({ x: f32(n, m) }, (b, x) => [
    b.reverse(x.x!), b.reverse(x.x!, { axes: [1] }), b.triangular(x.x!), b.triangular(x.x!, { upper: false, diagonal: -1 }),
    b.triangular(x.x!, { diagonal: 2 }),
  ], SIZES);
  await check({ x: { dataType: 'int32', shape: [3, n] } }, (b, x) => b.triangular(x.x!, { upper: false }), SIZES);
  await check({ x: f32(n, 2) }, (b, x) => [
    b.tile(x.x!, [3, 2]), b.pad(x.x!, [1, 0], [2, 1], { value: 7 }), b.pad(x.x!, [0, 1], [0, 1], { mode: 'edge' }),
    b.pad(x.x!, [0, 1], [0, 1], { mode: 'reflection' }),
  ], SIZES);
});

test('ops that need a static size on an axis say so, naming the op, the argument, the dimension and the axis', async () => {
  const b = new MLGraphBuilder(await ctx());
  const x = b.input('x', { dataType: 'float32', shape: [n, 4] });
  throwsType(() => b.slice(x, [1, 0], [2, 4]),
    "slice: argument 'input' has dynamic dimension 'n' on axis 0; slice needs a static size there (slicing it; only start 0, sizes[0] 'n' and stride 1 keep it)");
  throwsType(() => b.slice(x, [0, 0], [6, 4]), /^slice: argument 'input' has dynamic dimension 'n' on axis 0; slice needs a static size there/);
  throwsType(() => b.slice(x, [0, 0], [n, 4], { strides: [2, 1] }), /^slice: argument 'input' has dynamic dimension 'n' on axis 0/);
  throwsType(() => b.slice(x, [0, 0], [n, m]), /^slice: sizes\[1\] names dynamic dimension 'm', which no graph input declares/);
  b.input('y', { dataType: 'float32', shape: [m] });
  throwsType(() => b.slice(x, [0, 0], [n, m]), "slice: sizes[1] is dynamic dimension 'm', but the input's axis 1 is 4");
  throwsType(() => b.split(x, 2), "split: argument 'input' has dynamic dimension 'n' on axis 0; split needs a static size there (splitting along it)");
  throwsType(() => b.pad(x, [1, 0], [0, 0], { mode: 'edge' }),
    "pad: argument 'input' has dynamic dimension 'n' on axis 0; pad needs a static size there (edge padding along it)");
  throwsType(() => b.pad(x, [0, 0], [1, 0], { mode: 'reflection' }), /^pad: argument 'input' has dynamic dimension 'n' on axis 0; .*\(reflection padding along it\)/);
  throwsType(() => b.expand(x, [m, 4]), "expand: input shape [n, 4] is not unidirectionally broadcastable to [m, 4] (a dynamic dimension matches only the same dimension)");
  throwsType(() => b.gatherND(x, b.input('i', { dataType: 'int32', shape: [2, n] })),
    "gatherND: argument 'indices' has dynamic dimension 'n' on its last axis (coordinates per index); gatherND needs a static size there");
  throwsType(() => b.scatterElements(x, b.input('j', { dataType: 'int32', shape: [m, 4] }), b.input('u', { dataType: 'float32', shape: [m, 4] }), { axis: 1 }),
    'scatterElements: indices shape [m, 4] must equal the input shape [n, 4] except along axis 1');
});

test('normalizations over dynamic axes compute their statistics at the run-time size', async () => {
  await check({ x: f32(n, 3, m), mean: f32(3), variance: { dataType: 'float32', shape: [3], data: (c) => Float32Array.from({ length: c }, (_, i) => 1 + i) }, s: f32(3) },
    (b, x) => b.batchNormalization(x.x!, x.mean!, x.variance!, { scale: x.s!, bias: x.s!, epsilon: 1e-3 }), SIZES);
  // A dynamic feature axis: mean and variance carry the same dynamic dimension.
  const one = (c: number) => Float32Array.from({ length: c }, () => 1);
  await check({ x: f32(2, n), mean: f32(n), variance: { dataType: 'float32', shape: [n], data: one } },
    (b, x) => b.batchNormalization(x.x!, x.mean!, x.variance!, { axis: 1 }), SIZES);
  await check({ x: f32(n, 2, m, 3), s: f32(2) }, (b, x) => b.instanceNormalization(x.x!, { scale: x.s!, bias: x.s! }), SIZES.slice(0, 3));
  await check({ x: f32(n, m, 3, 2), s: f32(2) }, (b, x) => b.instanceNormalization(x.x!, { layout: 'nhwc', bias: x.s! }), SIZES.slice(0, 3));
  await check({ x: f32(n, m, 4), s: f32(4, m) }, (b, x) => [
    b.layerNormalization(x.x!, { axes: [2, 1], scale: x.s!, bias: x.s! }), b.layerNormalization(x.x!, { axes: [2] }), b.layerNormalization(x.x!),
  ], SIZES.slice(0, 3));
  await check({ x: f32(n, 4) }, (b, x) => b.layerNormalization(x.x!, { axes: [1] }), SIZES);
});

test('gemm with dynamic rows, columns or inner dimension', async () => {
  await check({ a: f32(n, 3), b: f32(3, 4), c: f32(4) }, (b, x) => [
    b.gemm(x.a!, x.b!, { c: x.c!, alpha: 2, beta: 0.5 }), b.gemm(x.b!, x.a!, { aTranspose: true, bTranspose: true }),
  ], SIZES);
  // An empty inner dimension sums nothing: zeros.
  await check({ a: f32(2, n), b: f32(n, m) }, (b, x) => b.gemm(x.a!, x.b!), SIZES, (r) => assert.deepEqual(Array.from(r.out0!.data), [0, 0, 0, 0]));
});

test('normalization and gemm say where a dynamic dimension does not match', async () => {
  const b = new MLGraphBuilder(await ctx());
  const x = b.input('x', { dataType: 'float32', shape: [2, n] });
  const s = b.input('s', { dataType: 'float32', shape: [m] });
  throwsType(() => b.layerNormalization(x, { axes: [1], scale: s }), 'layerNormalization: scale has shape [m], expected [n]');
  throwsType(() => b.batchNormalization(x, s, s, { axis: 1 }), 'batchNormalization: mean has shape [m], expected [n]');
  throwsType(() => b.gemm(x, b.input('w', { dataType: 'float32', shape: [m, 2] })), "gemm: a's columns (n, of [2, n]) must equal b's rows (m, of [m, 2])");
});

test('conv2d, convTranspose2d and pooling with a dynamic batch dimension', async () => {
  const runs = SIZES;
  await check({ x: f32(n, 2, 5, 5), w: f32(4, 2, 3, 3), bias: f32(4) },
    (b, x) => [b.conv2d(x.x!, x.w!, { bias: x.bias!, padding: [1, 1, 0, 1], strides: [2, 1] }), b.convTranspose2d(x.x!, b.transpose(x.w!, { permutation: [1, 0, 2, 3] }))], runs);
  await check({ x: f32(n, 5, 5, 2), w: f32(4, 3, 3, 2) },
    (b, x) => b.conv2d(x.x!, x.w!, { inputLayout: 'nhwc', filterLayout: 'ohwi', dilations: [2, 1] }), runs);
  await check({ x: f32(n, 2, 5, 4) }, (b, x) => [
    b.averagePool2d(x.x!, { windowDimensions: [3, 2], padding: [1, 1, 1, 0] }), b.maxPool2d(x.x!, { windowDimensions: [2, 2], strides: [2, 2] }),
    b.l2Pool2d(x.x!), b.maxPool2d(x.x!, { layout: 'nhwc', windowDimensions: [2, 2], roundingType: 'ceil', strides: [2, 2] }),
  ], runs);
});

test('resample2d with dynamic dimensions on the axes it does not resample', async () => {
  await check({ x: f32(n, 2, 3, m) }, (b, x) => [
    b.resample2d(x.x!, { scales: [2, 1.5], axes: [1, 2] }), b.resample2d(x.x!, { mode: 'linear', sizes: [3, 5], axes: [1, 2] }),
    b.resample2d(x.x!, { mode: 'linear', sizes: [4, 2], axes: [2, 1] }),
  ], SIZES);
  await check({ x: f32(n, 3, 2, 4) }, (b, x) => [
    b.resample2d(x.x!, { mode: 'linear', scales: [2, 0.5] }), b.resample2d(x.x!, { mode: 'linear', sizes: [3, 5], axes: [1, 3] }),
  ], SIZES);
  await check({ x: { dataType: 'uint8', shape: [n, 2, 2, 3], data: (c) => Uint8Array.from({ length: c }, (_, i) => (i * 37) % 256) } },
    (b, x) => b.resample2d(x.x!, { mode: 'linear', scales: [1.5, 2] }), SIZES);
});

test('conv2d, pooling, resample and the recurrent ops say which dimension must be static', async () => {
  const b = new MLGraphBuilder(await ctx());
  const x = b.input('x', { dataType: 'float32', shape: [1, 2, n, 5] });
  const w = b.constant({ dataType: 'float32', shape: [4, 2, 3, 3] }, new Float32Array(72));
  throwsType(() => b.conv2d(x, w),
    "conv2d: argument 'input' has dynamic dimension 'n' on axis 2; conv2d needs static channel and spatial sizes (only the batch dimension, axis 0, may be dynamic)");
  throwsType(() => b.maxPool2d(x), /^maxPool2d: argument 'input' has dynamic dimension 'n' on axis 2; maxPool2d needs static channel/);
  const batched = b.input('batched', { dataType: 'float32', shape: [n, 2, 5, 5] });
  throwsType(() => b.conv2d(batched, b.input('wd', { dataType: 'float32', shape: [m, 2, 3, 3] })),
    "conv2d: argument 'filter' has dynamic dimension 'm'; conv2d needs a static filter");
  throwsType(() => b.convTranspose2d(batched, b.transpose(w, { permutation: [1, 0, 2, 3] }), { bias: b.input('bd', { dataType: 'float32', shape: [m] }) }),
    "convTranspose2d: argument 'bias' has dynamic dimension 'm'; convTranspose2d needs a static bias");
  throwsType(() => b.resample2d(x), "resample2d: argument 'input' has dynamic dimension 'n' on axis 2; resample2d needs a static size on the axes it resamples");
  b.resample2d(x, { axes: [1, 3], scales: [2, 2] });
  const steps = b.input('steps', { dataType: 'float32', shape: [n, 1, 3] });
  const lw = b.constant({ dataType: 'float32', shape: [1, 8, 3] }, new Float32Array(24));
  const lr = b.constant({ dataType: 'float32', shape: [1, 8, 2] }, new Float32Array(16));
  throwsType(() => b.lstm(steps, lw, lr, 4, 2), "lstm: argument 'input' has dynamic dimension 'n'; lstm requires static shapes");
  throwsType(() => b.quantizeLinear(steps, b.constant({ dataType: 'float32', shape: [1] }, new Float32Array(1)), b.constant({ dataType: 'int8', shape: [1] }, new Int8Array(1))),
    "quantizeLinear: argument 'input' has dynamic dimension 'n'; quantizeLinear requires static shapes");
});

test('an op with no element to return at size 0 (argMax, gather from an empty axis) fails the dispatch instead of answering', async () => {
  const context = await ctx();
  const b = new MLGraphBuilder(context);
  const x = b.input('x', { dataType: 'float32', shape: [n, 2] });
  const graph = await b.build({
    arg: b.argMax(x, 0), picked: b.gather(x, b.constant({ dataType: 'int32', shape: [1] }, new Int32Array([0]))),
  });
  await assert.rejects(context.compute(graph, { x: { data: new Float32Array(0), shape: [0, 2] } }), { name: 'OperationError' });
  const r = await context.compute(graph, { x: { data: Float32Array.of(1, 5, 3, 2), shape: [2, 2] } });
  assert.deepEqual(Array.from(r.arg!.data as Int32Array), [1, 0]);
  assert.deepEqual(Array.from(r.picked!.data as Float32Array), [1, 5]);
});

test('exact int64 reduceSum / reduceProduct over a dynamic axis, sizes 0 to maxSize (computed at the run-time width)', async () => {
  const c = await ctx();
  const b = new MLGraphBuilder(c);
  const x = b.input('x', { dataType: 'int64', shape: [2, { name: 'k', maxSize: 5 }] });
  const graph = await b.build({ sum: b.reduceSum(x, { axes: [1] }), prod: b.reduceProduct(x, { axes: [1] }), all: b.reduceSum(x) });
  for (const k of [0, 1, 3, 5]) {
    // Values beyond 2^53, where a double accumulator would lose the low bits.
    const rows = [0, 1].map((r) => Array.from({ length: k }, (_, i) => (r === 0 ? 2n ** 53n + BigInt(i + 1) : BigInt(i + 2))));
    const r = await c.compute(graph, { x: { data: BigInt64Array.from(rows.flat()), shape: [2, k] } });
    const wrap = (v: bigint) => BigInt.asIntN(64, v);
    assert.deepEqual([...(r.sum!.data as BigInt64Array)], rows.map((row) => wrap(row.reduce((a, v) => a + v, 0n))), `sum k=${k}`);
    assert.deepEqual([...(r.prod!.data as BigInt64Array)], rows.map((row) => wrap(row.reduce((a, v) => a * v, 1n))), `product k=${k}`);
    assert.deepEqual([...(r.all!.data as BigInt64Array)], [wrap(rows.flat().reduce((a, v) => a + v, 0n))], `all k=${k}`);
    assert.deepEqual(r.sum!.shape, [2]);
  }
});

const k = dyn('k');
const SIZES3 = [{ n: 6, m: 5, k: 4 }, { n: 2, m: 3, k: 1 }, { n: 1, m: 1, k: 3 }, { n: 3, m: 0, k: 2 }, { n: 0, m: 2, k: 0 }];

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

test('exact integer reductions over static axes keep a dynamic axis, 0 included', async () => {
  await check({ x: { dataType: 'int64', shape: [2, n, 3] }, y: { dataType: 'int32', shape: [m, 2, n] } }, (b, x) => [
    b.reduceSum(x.x!, { axes: [2] }), b.reduceProduct(x.x!, { axes: [0] }), b.reduceSum(x.x!, { axes: [0, 2], keepDimensions: true }),
    b.reduceL1(x.y!, { axes: [1] }), b.reduceProduct(x.y!, { axes: [0, 2] }), b.reduceSumSquare(x.y!, { axes: [2] }),
  ], SIZES3);
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
