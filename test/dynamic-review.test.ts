// Flexible inputs under review: derived dimensions, dispatch-time checks, and the paths around them (pruning,
// decode loops over max-size tensors, graph files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder } from '../src/index.js';
import { check, ctx, dyn, f32, m, n } from './support/flexible.js';

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
