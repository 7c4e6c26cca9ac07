// MLGraph: output names (the same operand twice, names like inputs, like Object.prototype members, with NUL bytes
// or lone surrogates), pruning of unused inputs, graphs without inputs, and destroy() after a dispatch.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, MLContext } from '../../src/index.js';
import { f32, context, readF32 } from '../support/index.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

describe('output names', () => {
  test('the same operand under two output names, and an output named like an input', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(3));
    const r = b.relu(x);
    const graph = await b.build({ first: r, second: r, x: b.neg(x) });
    assert.deepEqual(Object.keys(graph.outputDescriptors).sort(), ['first', 'second', 'x']);
    assert.deepEqual(Object.keys(graph.inputDescriptors), ['x']);

    const xt = await ctx.createTensor({ dataType: 'float32', shape: [3], writable: true });
    const outs = {
      first: await ctx.createTensor({ dataType: 'float32', shape: [3], readable: true }),
      second: await ctx.createTensor({ dataType: 'float32', shape: [3], readable: true }),
      x: await ctx.createTensor({ dataType: 'float32', shape: [3], readable: true }),
    };
    ctx.writeTensor(xt, new Float32Array([-1, 0.5, 2]));
    ctx.dispatch(graph, { x: xt }, outs);
    assert.deepEqual(await readF32(ctx, outs.first), [0, 0.5, 2]);
    assert.deepEqual(await readF32(ctx, outs.second), [0, 0.5, 2]);
    assert.deepEqual(await readF32(ctx, outs.x), [1, -0.5, -2]);

    const viaCompute = await ctx.compute(graph, { x: new Float32Array([3, -4, 0]) });
    assert.deepEqual([...viaCompute.first!.data], [3, 0, 0]);
    assert.deepEqual([...viaCompute.second!.data], [3, 0, 0]);
    assert.deepEqual([...viaCompute.x!.data], [-3, 4, -0]);
  });

  test('outputs at different depths of a chain, one of them the input of another output', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2));
    const a = b.add(x, x);
    const m = b.mul(a, a);
    const graph = await b.build({ a, m });
    const r = await ctx.compute(graph, { x: new Float32Array([1, 3]) });
    assert.deepEqual([...r.a!.data], [2, 6]);
    assert.deepEqual([...r.m!.data], [4, 36]);
  });
});

describe('unused graph inputs are pruned', () => {
  test('an input the outputs do not depend on is not an input of the graph', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2));
    const unused = b.input('unused', { dataType: 'int32', shape: [7] });
    b.relu(b.cast(unused, 'float32')); // a dead branch
    const graph = await b.build({ y: b.neg(x) });
    assert.deepEqual(Object.keys(graph.inputDescriptors), ['x']);

    const xt = await ctx.createTensor({ dataType: 'float32', shape: [2], writable: true });
    const yt = await ctx.createTensor({ dataType: 'float32', shape: [2], readable: true });
    ctx.writeTensor(xt, new Float32Array([1, -2]));
    ctx.dispatch(graph, { x: xt }, { y: yt });
    assert.deepEqual(await readF32(ctx, yt), [-1, 2]);

    // Per the spec's build() the graph's [[inputDescriptors]] only hold the inputs reached from the outputs, so
    // binding the unused one is an unknown name.
    const ut = await ctx.createTensor({ dataType: 'int32', shape: [7], writable: true });
    assert.throws(() => ctx.dispatch(graph, { x: xt, unused: ut }, { y: yt }),
      { name: 'TypeError', message: /^dispatch: 'unused' is not an input of the graph \(inputs: x\)$/ });

    const r = await ctx.compute(graph, { x: new Float32Array([5, 6]) });
    assert.deepEqual([...r.y!.data], [-5, -6]);
  });
});

test('graph.destroy() right after dispatch lets the queued dispatch finish first', async () => {
  const ctx = await ml.createContext();
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: 'float32', shape: [64] });
  let y = x;
  for (let i = 0; i < 40; i++) y = b.exp(b.neg(y)); // iterates x ← e^-x towards the omega constant
  const graph = await b.build({ y });
  const tx = await ctx.createTensor({ dataType: 'float32', shape: [64], writable: true });
  const ty = await ctx.createTensor({ dataType: 'float32', shape: [64], readable: true });
  ctx.writeTensor(tx, new Float32Array(64).fill(0.5));
  ctx.dispatch(graph, { x: tx }, { y: ty });
  graph.destroy();
  const out = new Float32Array(await ctx.readTensor(ty));
  assert.ok(Math.abs(out[0]! - 0.567143) < 1e-4, `got ${out[0]}`);
  assert.throws(() => ctx.dispatch(graph, { x: tx }, { y: ty }), { name: 'InvalidStateError' });
});

test('graphs without inputs, scalar operands, and names that look internal or carry odd characters', async () => {
  const ctx = await ml.createContext();
  const b1 = new MLGraphBuilder(ctx);
  const c = b1.constant({ dataType: 'float32', shape: [2] }, new Float32Array([1, 2]));
  const g1 = await b1.build({ y: b1.add(c, c) });
  assert.deepEqual(Array.from((await ctx.compute(g1, {})).y!.data as Float32Array), [2, 4]);

  const b2 = new MLGraphBuilder(ctx);
  const odd = 'weird name ✓/a.b$';
  const x = b2.input('tsnn:v0', { dataType: 'float32', shape: [2] });
  const x2 = b2.input(odd, { dataType: 'float32', shape: [2] });
  const g2 = await b2.build({ 'tsnn:v1': b2.add(x, x2), [odd]: b2.relu(x2) });
  const r2 = await ctx.compute(g2, { 'tsnn:v0': new Float32Array([1, 2]), [odd]: new Float32Array([-3, 4]) });
  assert.deepEqual(Array.from(r2['tsnn:v1']!.data as Float32Array), [-2, 6]);
  assert.deepEqual(Array.from(r2[odd]!.data as Float32Array), [0, 4]);

  const b3 = new MLGraphBuilder(ctx);
  const s = b3.input('s', { dataType: 'float32', shape: [] });
  const g3 = await b3.build({ y: b3.neg(s) });
  const r3 = await ctx.compute(g3, { s: new Float32Array([5]) });
  assert.deepEqual(r3.y!.shape, []);
  assert.deepEqual(Array.from(r3.y!.data as Float32Array), [-5]);
});

test('inputs and outputs named like Object.prototype members work in dispatch and compute', async () => {
  const ctx = await ml.createContext();
  const b = new MLGraphBuilder(ctx);
  const x = b.input('__proto__', { dataType: 'float32', shape: [2] });
  const y = b.input('constructor', { dataType: 'float32', shape: [2] });
  const graph = await b.build({ ['__proto__']: b.add(x, y), toString: b.mul(x, y) });
  const inputs: Record<string, Float32Array> = {};
  Object.defineProperty(inputs, '__proto__', { value: Float32Array.of(1, 2), enumerable: true });
  inputs['constructor'] = Float32Array.of(3, 4);
  const r = await ctx.compute(graph, inputs);
  assert.ok(Object.hasOwn(r, '__proto__'));
  assert.deepEqual([...(r['__proto__']!.data as Float32Array)], [4, 6]);
  assert.deepEqual([...(r['toString']!.data as Float32Array)], [3, 8]);
});

const d = { dataType: 'float32', shape: [1] } as const;

test('names with NUL bytes work through dispatch()', async () => {
  const b = new MLGraphBuilder(ctx);
  const x = b.input('input\x00tensor', d);
  const graph = await b.build({ 'output\x00tensor': b.mul(x, b.constant(d, Float32Array.from([2]))) });
  const [input, output] = await Promise.all([ctx.createTensor({ ...d, writable: true }), ctx.createTensor({ ...d, readable: true })]);
  ctx.writeTensor(input, Float32Array.from([1]));
  ctx.dispatch(graph, { 'input\x00tensor': input }, { 'output\x00tensor': output });
  assert.equal(new Float32Array(await ctx.readTensor(output))[0], 2);
});

test('names that differ only after a NUL, or only in a lone surrogate, stay distinct', async () => {
  const b = new MLGraphBuilder(ctx);
  const names = ['a\x00b', 'a\x00c', 'a', 'x\uD800', 'x\uDC00'];
  const xs = names.map((n) => b.input(n, d));
  const outs = Object.fromEntries(xs.map((x, i) => [`${names[i]}\x00out`, b.mul(x, b.constant(d, Float32Array.from([i + 1])))]));
  outs['a\x00b'] = b.add(xs[0]!, xs[1]!); // an output named like an input
  const graph = await b.build(outs);
  const feeds = Object.fromEntries(names.map((n, i) => [n, Float32Array.from([10 * (i + 1)])]));
  const r = await ctx.compute(graph, feeds);
  names.forEach((n, i) => assert.deepEqual([...(r[`${n}\x00out`]!.data as Float32Array)], [10 * (i + 1) * (i + 1)], n));
  assert.deepEqual([...(r['a\x00b']!.data as Float32Array)], [30]);
});
