// MLContext: the timeline orders writes, dispatches and reads; compute() (non-standard); opSupportLimits() has an
// entry per operator with the spec's member names; dropped tensors and graphs are garbage-collected.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, MLContext, ALL_DATA_TYPES, type MLTensorLimits } from '../../src/index.js';
import { f32, context, readF32 } from '../support/index.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

describe('dispatch ordering', () => {
  test('write, dispatch, write new data, dispatch into a second tensor: each read reflects its own dispatch', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(4));
    const graph = await b.build({ y: b.mul(x, b.constant(f32(4), new Float32Array([2, 2, 2, 2]))) });
    const xt = await ctx.createTensor({ dataType: 'float32', shape: [4], writable: true });
    const y1 = await ctx.createTensor({ dataType: 'float32', shape: [4], readable: true });
    const y2 = await ctx.createTensor({ dataType: 'float32', shape: [4], readable: true });

    ctx.writeTensor(xt, new Float32Array([1, 2, 3, 4]));
    ctx.dispatch(graph, { x: xt }, { y: y1 });
    ctx.writeTensor(xt, new Float32Array([10, 20, 30, 40]));
    ctx.dispatch(graph, { x: xt }, { y: y2 });
    const [r1, r2] = await Promise.all([readF32(ctx, y1), readF32(ctx, y2)]);
    assert.deepEqual(r1, [2, 4, 6, 8]);
    assert.deepEqual(r2, [20, 40, 60, 80]);

    // A third dispatch into y1 after more writes; a read issued before it sees the old value, one after sees the new.
    ctx.writeTensor(xt, new Float32Array([-1, -2, -3, -4]));
    const before = readF32(ctx, y1);
    ctx.dispatch(graph, { x: xt }, { y: y1 });
    const after = readF32(ctx, y1);
    assert.deepEqual(await before, [2, 4, 6, 8]);
    assert.deepEqual(await after, [-2, -4, -6, -8]);
    assert.deepEqual(await readF32(ctx, y2), [20, 40, 60, 80]);
  });

  test('a dispatch can consume the output of the previous one without awaiting in between', async () => {
    const b = new MLGraphBuilder(ctx);
    const graph = await b.build({ y: b.add(b.input('x', f32(3)), b.constant(f32(3), new Float32Array([1, 1, 1]))) });
    const t1 = await ctx.createTensor({ dataType: 'float32', shape: [3], readable: true, writable: true });
    const t2 = await ctx.createTensor({ dataType: 'float32', shape: [3], readable: true, writable: true });
    ctx.writeTensor(t1, new Float32Array([0, 10, 20]));
    for (let i = 0; i < 5; i++) {
      ctx.dispatch(graph, { x: t1 }, { y: t2 });
      ctx.dispatch(graph, { x: t2 }, { y: t1 });
    }
    assert.deepEqual(await readF32(ctx, t1), [10, 20, 30]);
    assert.deepEqual(await readF32(ctx, t2), [9, 19, 29]);
  });
});

// Member names from the spec's partial dictionaries of MLOpSupportLimits.
const SPEC_BINARY = ['add', 'sub', 'mul', 'div', 'max', 'min', 'pow', 'equal', 'notEqual', 'greater', 'greaterOrEqual',
  'lesser', 'lesserOrEqual', 'logicalAnd', 'logicalOr', 'logicalXor', 'matmul'];
const SPEC_SINGLE_INPUT = ['argMin', 'argMax', 'cast', 'clamp', 'cumulativeSum', 'abs', 'ceil', 'cos', 'erf', 'exp', 'floor',
  'identity', 'log', 'neg', 'reciprocal', 'roundEven', 'sin', 'sign', 'sqrt', 'tan', 'elu', 'expand', 'gelu', 'hardSigmoid',
  'hardSwish', 'leakyRelu', 'linear', 'pad', 'averagePool2d', 'l2Pool2d', 'maxPool2d', 'reduceL1', 'reduceL2', 'reduceLogSum',
  'reduceLogSumExp', 'reduceMax', 'reduceMean', 'reduceMin', 'reduceProduct', 'reduceSum', 'reduceSumSquare', 'relu',
  'resample2d', 'reshape', 'reverse', 'sigmoid', 'slice', 'softmax', 'softplus', 'softsign', 'tanh', 'tile', 'transpose',
  'triangular'];

/** The operator methods MLGraphBuilder has (everything on its prototype but the constructor and input/constant/build). */
function implementedOps(): string[] {
  return Object.getOwnPropertyNames(MLGraphBuilder.prototype).filter((name) =>
    !['constructor', 'input', 'constant', 'build'].includes(name) &&
    typeof Object.getOwnPropertyDescriptor(MLGraphBuilder.prototype, name)!.value === 'function');
}

function assertTensorLimits(value: unknown, where: string): void {
  const l = value as MLTensorLimits;
  assert.ok(l && typeof l === 'object', `${where} is an object`);
  assert.ok(Array.isArray(l.dataTypes) && l.dataTypes.length > 0, `${where}.dataTypes is a non-empty array`);
  for (const t of l.dataTypes) assert.ok((ALL_DATA_TYPES as readonly string[]).includes(t), `${where}.dataTypes has ${t}`);
  assert.ok(Number.isInteger(l.rankRange?.min) && Number.isInteger(l.rankRange?.max), `${where}.rankRange has integer min/max`);
  assert.ok(l.rankRange.min >= 0 && l.rankRange.min <= l.rankRange.max, `${where}.rankRange is ordered`);
}

describe('opSupportLimits()', () => {
  test('context-wide members', () => {
    const limits = ctx.opSupportLimits();
    assert.ok(['nchw', 'nhwc'].includes(limits.preferredInputLayout));
    assert.ok(Number.isInteger(limits.maxTensorByteLength) && limits.maxTensorByteLength > 0);
    for (const m of ['input', 'constant', 'output'] as const) assertTensorLimits(limits[m], m);
  });

  test('an entry with dataTypes/rankRange for every implemented operator', () => {
    const ops = implementedOps();
    for (const op of ['add', 'matmul', 'relu', 'softmax', 'cast', 'concat', 'reshape', 'transpose']) assert.ok(ops.includes(op), op);
    const limits = ctx.opSupportLimits() as unknown as Record<string, Record<string, unknown>>;
    for (const op of ops) {
      const entry = limits[op];
      assert.ok(entry && typeof entry === 'object', `opSupportLimits().${op}`);
      assert.ok(Object.keys(entry).length > 0, `opSupportLimits().${op} has members`);
      for (const [param, l] of Object.entries(entry)) assertTensorLimits(l, `${op}.${param}`);
    }
  });

  test('member names follow the spec dictionaries', () => {
    const limits = ctx.opSupportLimits() as unknown as Record<string, Record<string, unknown>>;
    const ops = implementedOps();
    const binary = ops.filter((op) => SPEC_BINARY.includes(op));
    assert.ok(binary.length >= 8, `implemented binary ops: ${binary.join(', ')}`);
    for (const op of binary) assert.deepEqual(Object.keys(limits[op]!).sort(), ['a', 'b', 'output'], op);
    for (const op of ops.filter((o) => SPEC_SINGLE_INPUT.includes(o))) assert.deepEqual(Object.keys(limits[op]!).sort(), ['input', 'output'], op);
    if (ops.includes('concat')) assert.deepEqual(Object.keys(limits.concat!).sort(), ['inputs', 'output']);
  });

  test('limits agree with validation: matmul is floating-point only and at least rank 2', () => {
    const limits = ctx.opSupportLimits() as unknown as Record<string, Record<string, MLTensorLimits>>;
    assert.ok(!limits.matmul!.a!.dataTypes.includes('int32'));
    assert.ok(limits.matmul!.a!.dataTypes.includes('float32'));
    assert.equal(limits.matmul!.a!.rankRange.min, 2);
    assert.ok(!limits.sigmoid!.input!.dataTypes.includes('int32'));
  });

  test('each call returns a fresh object', () => {
    const a = ctx.opSupportLimits() as unknown as Record<string, Record<string, MLTensorLimits>>;
    a.add!.a!.dataTypes.length = 0;
    const b = ctx.opSupportLimits() as unknown as Record<string, Record<string, MLTensorLimits>>;
    assert.ok(b.add!.a!.dataTypes.length > 0);
  });
});

describe('compute() (non-standard)', () => {
  test('returns {data, shape, dataType} per output', async () => {
    const b = new MLGraphBuilder(ctx);
    const a = b.input('a', f32(2, 3));
    const w = b.constant(f32(3, 1), new Float32Array([1, 10, 100]));
    const graph = await b.build({ y: b.matmul(a, w), i: b.cast(a, 'int32') });
    const r = await ctx.compute(graph, { a: new Float32Array([1, 2, 3, 4, 5, 6.75]) });
    assert.deepEqual(Object.keys(r).sort(), ['i', 'y']);
    assert.equal(r.y!.dataType, 'float32');
    assert.deepEqual(r.y!.shape, [2, 1]);
    assert.ok(r.y!.data instanceof Float32Array);
    assert.deepEqual([...r.y!.data], [321, 1 * 4 + 10 * 5 + 100 * 6.75]);
    assert.equal(r.i!.dataType, 'int32');
    assert.deepEqual(r.i!.shape, [2, 3]);
    assert.ok(r.i!.data instanceof Int32Array);
    assert.deepEqual([...r.i!.data], [1, 2, 3, 4, 5, 6]);
  });

  test('rejects a missing or unknown input with TypeError', async () => {
    const b = new MLGraphBuilder(ctx);
    const graph = await b.build({ y: b.relu(b.input('a', f32(2))) });
    await assert.rejects(ctx.compute(graph, {}), { name: 'TypeError', message: /^compute: missing input 'a' \(float32\[2\]\)$/ });
    await assert.rejects(ctx.compute(graph, { a: new Float32Array(2), z: new Float32Array(2) }),
      { name: 'TypeError', message: /^compute: 'z' is not an input of the graph$/ });
  });
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
