// Semantics the lowering must get right beyond what the conformance cases reach.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, type MLOperandDataType } from '../src/index.js';
import { DTYPES } from '../src/graph/dtypes.js';

test('integer div truncates toward zero and never traps: x / 0 gives x, MIN / -1 wraps to MIN', async () => {
  const ctx = await ml.createContext();
  const cases: [MLOperandDataType, number[], number[], number[]][] = [
    ['int32', [7, -7, 7, -7, 5, -(2 ** 31)], [2, 2, -2, -2, 0, -1], [3, -3, -3, 3, 5, -(2 ** 31)]],
    ['int8', [7, -7, -128, 100], [2, 2, -1, 0], [3, -3, -128, 100]],
    ['int64', [7, -7, 9, 0], [2, -1, 0, 3], [3, 7, 9, 0]],
    ['uint8', [255, 7, 9], [2, 0, 3], [127, 7, 3]],
    ['uint32', [4294967295, 10], [1, 0], [4294967295, 10]],
    ['uint64', [10, 11], [0, 2], [10, 5]],
  ];
  for (const [t, a, b, expected] of cases) {
    const builder = new MLGraphBuilder(ctx);
    const shape = [a.length];
    const y = builder.div(builder.input('a', { dataType: t, shape }), builder.input('b', { dataType: t, shape }));
    const graph = await builder.build({ y });
    const d = DTYPES[t];
    const arr = (v: number[]) => (d.big ? new d.array(v.length).map((_, i) => BigInt(v[i]!) as never) : new d.array(v.length).map((_, i) => v[i]! as never));
    const out = (await ctx.compute(graph, { a: arr(a), b: arr(b) })).y!;
    assert.deepEqual(Array.from(out.data as ArrayLike<number | bigint>).map(Number), expected, `${t}`);
  }
  const min64 = new MLGraphBuilder(ctx);
  const q = min64.div(min64.input('a', { dataType: 'int64', shape: [1] }), min64.input('b', { dataType: 'int64', shape: [1] }));
  const g = await min64.build({ q });
  const r = await ctx.compute(g, { a: new BigInt64Array([-(2n ** 63n)]), b: new BigInt64Array([-1n]) });
  assert.equal((r.q!.data as BigInt64Array)[0], -(2n ** 63n));
});

test('float div by zero gives ±Infinity and NaN, as IEEE says', async () => {
  const ctx = await ml.createContext();
  const b = new MLGraphBuilder(ctx);
  const y = b.div(b.input('a', { dataType: 'float32', shape: [3] }), b.input('b', { dataType: 'float32', shape: [3] }));
  const g = await b.build({ y });
  const r = await ctx.compute(g, { a: new Float32Array([1, -1, 0]), b: new Float32Array([0, 0, 0]) });
  assert.deepEqual([...(r.y!.data as Float32Array)], [Infinity, -Infinity, NaN]);
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

test('cast out of range: integers keep their lowest bits (two\'s complement), floats overflow to ±Infinity', async () => {
  const ctx = await ml.createContext();
  const run = async (from: MLOperandDataType, to: MLOperandDataType, values: (number | bigint)[]) => {
    const b = new MLGraphBuilder(ctx);
    const y = b.cast(b.input('x', { dataType: from, shape: [values.length] }), to);
    const g = await b.build({ y });
    const d = DTYPES[from];
    const x = new d.array(values.length);
    values.forEach((v, i) => ((x as unknown as (number | bigint)[])[i] = d.big ? BigInt(v) : Number(v)));
    return Array.from((await ctx.compute(g, { x })).y!.data as ArrayLike<number | bigint>);
  };
  assert.deepEqual(await run('int32', 'int8', [300, -129, 127]), [44, 127, 127]);
  assert.deepEqual(await run('int32', 'uint8', [-1, 256, 255]), [255, 0, 255]);
  assert.deepEqual(await run('int64', 'uint32', [-1n, 2n ** 32n + 5n]), [4294967295, 5]);
  assert.deepEqual(await run('uint64', 'int64', [2n ** 63n, 5n]), [-(2n ** 63n), 5n]);
  assert.deepEqual(await run('uint32', 'int32', [4294967295]), [-1]);
  assert.deepEqual(await run('float32', 'float16', [1e10, -1e10, 1]), [0x7c00, 0xfc00, 0x3c00]);
  assert.deepEqual(await run('float32', 'int32', [2.9, -2.9, 0.5]), [2, -2, 0]); // in range: truncated
});

test('an accelerated context runs on WebGPU when an adapter works and on the CPU otherwise, saying which', async () => {
  const ctx = await ml.createContext({ accelerated: true });
  if (ctx.accelerated) assert.match(ctx.backend, /\(webgpu\)/);
  else assert.match(ctx.backend, /\(cpu; webgpu unavailable: .+\)/);
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: 'float32', shape: [2, 2] });
  const w = b.constant({ dataType: 'float32', shape: [2, 2] }, new Float32Array([1, 2, 3, 4]));
  const g = await b.build({ y: b.relu(b.matmul(x, w)) });
  const r = await ctx.compute(g, { x: new Float32Array([1, -1, 0, 1]) });
  assert.deepEqual(Array.from(r.y!.data as Float32Array), [0, 0, 3, 4]);
  const cpu = await ml.createContext();
  assert.equal(cpu.accelerated, false);
  assert.match(cpu.backend, /\(cpu\)$/);
});

test('tensors and graphs the program drops are garbage-collected (the context does not pin them)', async () => {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const ctx = await ml.createContext();
  gc();
  const before = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < 50; i++) {
    const t = await ctx.createTensor({ dataType: 'float32', shape: [1024, 1024], writable: true }); // 4 MiB each
    ctx.writeTensor(t, new Float32Array(1024 * 1024).fill(i));
  }
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 10));
    gc();
  }
  const grown = process.memoryUsage().arrayBuffers - before;
  assert.ok(grown < 40 * 2 ** 20, `200 MiB of dropped tensors should be freed, ${(grown / 2 ** 20).toFixed(0)} MiB remain`);
  // The context still reaches live tensors to destroy them.
  const live = await ctx.createTensor({ dataType: 'float32', shape: [4], readable: true });
  ctx.destroy();
  await assert.rejects(ctx.readTensor(live), TypeError);
});

test('64-bit max, min, clamp and relu compare values beyond the int32 range correctly', async () => {
  // onnxruntime's own int64 Max/Min get these wrong; the lowering must not rely on them.
  const ctx = await ml.createContext();
  const big = 2n ** 32n - 1n;
  for (const dt of ['int64', 'uint64'] as const) {
    const A = dt === 'int64' ? BigInt64Array : BigUint64Array;
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: dt, shape: [4] });
    const y = b.input('y', { dataType: dt, shape: [4] });
    const graph = await b.build({
      max: b.max(x, y), min: b.min(x, y), clamp: b.clamp(x, { minValue: 5n, maxValue: 2n ** 40n }),
      ...(dt === 'int64' ? { relu: b.relu(x) } : {}),
    });
    const xs = [big, 4n, 2n ** 50n, 3n];
    const ys = [4n, big, 7n, 2n ** 33n];
    const r = await ctx.compute(graph, { x: new A(xs), y: new A(ys) });
    const list = (name: string) => [...(r[name]!.data as BigInt64Array)];
    assert.deepEqual(list('max'), xs.map((v, i) => (v > ys[i]! ? v : ys[i]!)), `${dt} max`);
    assert.deepEqual(list('min'), xs.map((v, i) => (v < ys[i]! ? v : ys[i]!)), `${dt} min`);
    assert.deepEqual(list('clamp'), [big, 5n, 2n ** 40n, 5n], `${dt} clamp`);
    if (dt === 'int64') assert.deepEqual(list('relu'), xs, `${dt} relu`);
  }
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
