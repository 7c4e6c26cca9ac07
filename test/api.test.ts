// End-to-end use of the public API: browser-style globals, the MLContext timeline, BYOB reads, float16 and int64
// data, shape inference, opSupportLimits, output naming, compute(), and pruning of unused inputs.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALL_DATA_TYPES, fromFloat16Bits, installGlobals, ml, MLContext, MLGraph, MLGraphBuilder, MLOperand, MLTensor, toFloat16Bits,
} from '../src/index.js';
import type { MLOperandDescriptor, MLTensorLimits } from '../src/index.js';

const f32 = (shape: number[]): MLOperandDescriptor => ({ dataType: 'float32', shape });

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});

async function readF32(context: MLContext, t: MLTensor): Promise<number[]> {
  return [...new Float32Array(await context.readTensor(t))];
}

// ---- (1) browser-style code through installGlobals() ----------------------------------------------------------

test('installGlobals: browser-style code builds, dispatches and reads matmul(add(input, constant), constant2)', async () => {
  installGlobals();
  // Everything below uses the globals only, as a web page would.
  const g = globalThis as unknown as {
    navigator: { ml: { createContext(): Promise<MLContext> } };
    MLGraphBuilder: new (context: MLContext) => MLGraphBuilder;
    MLContext: unknown; MLGraph: unknown; MLOperand: unknown; MLTensor: unknown; ML: unknown;
  };
  assert.equal(typeof g.navigator.ml.createContext, 'function');
  for (const name of ['ML', 'MLContext', 'MLGraphBuilder', 'MLGraph', 'MLOperand', 'MLTensor'] as const) {
    assert.equal(typeof g[name], 'function', `globalThis.${name}`);
  }

  const context = await g.navigator.ml.createContext();
  assert.ok(context instanceof (g.MLContext as typeof MLContext));
  const builder = new g.MLGraphBuilder(context);
  const input = builder.input('input', { dataType: 'float32', shape: [2, 3] });
  const constant = builder.constant({ dataType: 'float32', shape: [2, 3] }, new Float32Array([0.5, 0, -1, 2, 1, 0]));
  const constant2 = builder.constant({ dataType: 'float32', shape: [3, 2] }, new Float32Array([1, 2, 3, 4, 5, 6]));
  const output = builder.matmul(builder.add(input, constant), constant2);
  assert.ok(output instanceof (g.MLOperand as typeof MLOperand));
  const graph = await builder.build({ output });
  assert.ok(graph instanceof (g.MLGraph as typeof MLGraph));

  const inputTensor = await context.createTensor({ dataType: 'float32', shape: [2, 3], writable: true });
  const outputTensor = await context.createTensor({ dataType: 'float32', shape: [2, 2], readable: true });
  assert.ok(inputTensor instanceof (g.MLTensor as typeof MLTensor));
  context.writeTensor(inputTensor, new Float32Array([1, 2, 3, 4, 5, 6]));
  context.dispatch(graph, { input: inputTensor }, { output: outputTensor });
  const result = new Float32Array(await context.readTensor(outputTensor));

  // By hand: input + constant = [[1.5, 2, 2], [6, 6, 6]];
  // row 0: [1.5*1 + 2*3 + 2*5, 1.5*2 + 2*4 + 2*6] = [17.5, 23]; row 1: [6*(1+3+5), 6*(2+4+6)] = [54, 72].
  assert.deepEqual([...result], [17.5, 23, 54, 72]);
  context.destroy();
});

// ---- (2) the timeline orders writes, dispatches and reads -----------------------------------------------------

describe('dispatch ordering', () => {
  test('write, dispatch, write new data, dispatch into a second tensor: each read reflects its own dispatch', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32([4]));
    const graph = await b.build({ y: b.mul(x, b.constant(f32([4]), new Float32Array([2, 2, 2, 2]))) });
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
    const graph = await b.build({ y: b.add(b.input('x', f32([3])), b.constant(f32([3]), new Float32Array([1, 1, 1]))) });
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

// ---- (3) BYOB reads ----------------------------------------------------------------------------------------------

describe('readTensor with an output buffer', () => {
  let graph: MLGraph;
  let x: MLTensor;
  let y: MLTensor;
  before(async () => {
    const b = new MLGraphBuilder(ctx);
    graph = await b.build({ y: b.neg(b.input('x', f32([2, 2]))) });
    x = await ctx.createTensor({ dataType: 'float32', shape: [2, 2], writable: true });
    y = await ctx.createTensor({ dataType: 'float32', shape: [2, 2], readable: true });
    ctx.writeTensor(x, new Float32Array([1, -2, 3.5, 0]));
    ctx.dispatch(graph, { x }, { y });
  });

  test('into a Float32Array; resolves undefined', async () => {
    const out = new Float32Array(4).fill(99);
    const r = await ctx.readTensor(y, out);
    assert.equal(r, undefined);
    assert.deepEqual([...out], [-1, 2, -3.5, -0]);
    assert.ok(Object.is(out[3], -0));
  });

  test('into an ArrayBuffer', async () => {
    const out = new ArrayBuffer(16);
    await ctx.readTensor(y, out);
    assert.deepEqual([...new Float32Array(out)], [-1, 2, -3.5, -0]);
  });

  test('into a Uint8Array view at an offset of a larger buffer, leaving the rest alone', async () => {
    const backing = new Uint8Array(24).fill(0xee);
    const view = backing.subarray(4, 20);
    await ctx.readTensor(y, view);
    assert.deepEqual([...backing.subarray(0, 4)], [0xee, 0xee, 0xee, 0xee]);
    assert.deepEqual([...backing.subarray(20)], [0xee, 0xee, 0xee, 0xee]);
    assert.deepEqual([...new Float32Array(backing.slice(4, 20).buffer)], [-1, 2, -3.5, -0]);
  });

  test('into a SharedArrayBuffer', async () => {
    const out = new SharedArrayBuffer(16);
    await ctx.readTensor(y, out);
    assert.deepEqual([...new Float32Array(out)], [-1, 2, -3.5, -0]);
  });

  test('readTensor without a buffer returns a fresh ArrayBuffer each time', async () => {
    const a = await ctx.readTensor(y);
    const b = await ctx.readTensor(y);
    assert.ok(a instanceof ArrayBuffer);
    assert.notEqual(a, b);
    new Float32Array(a).fill(7);
    assert.deepEqual(await readF32(ctx, y), [-1, 2, -3.5, -0]);
  });
});

// ---- (4) float16 -------------------------------------------------------------------------------------------------

describe('float16', () => {
  test('toFloat16Bits / fromFloat16Bits round trip', () => {
    assert.equal(toFloat16Bits(1), 0x3c00);
    assert.equal(toFloat16Bits(-2), 0xc000);
    assert.equal(toFloat16Bits(65504), 0x7bff);
    assert.equal(toFloat16Bits(Infinity), 0x7c00);
    assert.equal(toFloat16Bits(2 ** -24), 0x0001);
    for (const v of [0, 0.5, 1.25, -2, 1024, 1025, 65504, 2 ** -14, 2 ** -24]) assert.equal(fromFloat16Bits(toFloat16Bits(v)), v);
    assert.equal(fromFloat16Bits(toFloat16Bits(2049)), 2048); // ties to even
    assert.ok(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN))));
  });

  test('a float16 graph computes add with Uint16Array bit patterns', async () => {
    const b = new MLGraphBuilder(ctx);
    const desc = { dataType: 'float16', shape: [5] } as const;
    const x = b.input('x', desc);
    const c = b.constant(desc, Uint16Array.from([0.25, 0.75, 3, 1, 1], toFloat16Bits));
    const sum = b.add(x, c);
    assert.equal(sum.dataType, 'float16');
    const graph = await b.build({ sum });
    const xt = await ctx.createTensor({ ...desc, writable: true });
    const st = await ctx.createTensor({ ...desc, readable: true });
    ctx.writeTensor(xt, Uint16Array.from([0.5, 1.25, -2, 1024, 2048], toFloat16Bits));
    ctx.dispatch(graph, { x: xt }, { sum: st });
    const bits = new Uint16Array(await ctx.readTensor(st));
    // 2048 + 1 is not a float16; it rounds (to even) back to 2048.
    assert.deepEqual([...bits].map(fromFloat16Bits), [0.75, 2, 1, 1025, 2048]);
  });

  test('float16 through compute() and cast to float32', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float16', shape: [3] });
    const graph = await b.build({ h: b.add(x, x), f: b.cast(x, 'float32') });
    const r = await ctx.compute(graph, { x: Uint16Array.from([0.1, -3, 60000], toFloat16Bits) });
    assert.ok(r.h!.data instanceof Uint16Array);
    assert.equal(r.h!.dataType, 'float16');
    const tenth = fromFloat16Bits(toFloat16Bits(0.1));
    assert.deepEqual([...r.h!.data as Uint16Array].map(fromFloat16Bits), [2 * tenth, -6, Infinity]);
    assert.deepEqual([...r.f!.data], [tenth, -3, 60000]);
  });
});

// ---- (5) int64 ---------------------------------------------------------------------------------------------------

describe('int64', () => {
  test('add on BigInt64Array data beyond 2^53', async () => {
    const b = new MLGraphBuilder(ctx);
    const desc = { dataType: 'int64', shape: [3] } as const;
    const graph = await b.build({ s: b.add(b.input('a', desc), b.constant(desc, new BigInt64Array([1n, 7n, -(2n ** 62n)]))) });
    const at = await ctx.createTensor({ ...desc, writable: true });
    const st = await ctx.createTensor({ ...desc, readable: true });
    ctx.writeTensor(at, new BigInt64Array([2n ** 60n, -5n, -(2n ** 62n)]));
    ctx.dispatch(graph, { a: at }, { s: st });
    const out = new BigInt64Array(2 * 3);
    await ctx.readTensor(st, out.subarray(3));
    assert.deepEqual([...out.subarray(3)], [2n ** 60n + 1n, 2n, -(2n ** 63n)]);
  });

  test('cast int32 → int64', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'int32', shape: [4] });
    const y = b.cast(x, 'int64');
    assert.equal(y.dataType, 'int64');
    const graph = await b.build({ y });
    const r = await ctx.compute(graph, { x: new Int32Array([0, -1, 2 ** 31 - 1, -(2 ** 31)]) });
    assert.ok(r.y!.data instanceof BigInt64Array);
    assert.deepEqual([...r.y!.data], [0n, -1n, 2n ** 31n - 1n, -(2n ** 31n)]);
  });

  test('a scalar int64 constant from a bigint', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'int64', shape: [2] });
    const graph = await b.build({ y: b.mul(x, b.constant('int64', 3n)) });
    const r = await ctx.compute(graph, { x: new BigInt64Array([2n ** 40n, -4n]) });
    assert.deepEqual([...r.y!.data], [3n * 2n ** 40n, -12n]);
  });
});

// ---- (6) operand descriptors -------------------------------------------------------------------------------------

describe('MLOperand.dataType and shape reflect inference', () => {
  test('matmul [2,3] x [3,4] gives [2,4]', () => {
    const b = new MLGraphBuilder(ctx);
    const y = b.matmul(b.input('a', f32([2, 3])), b.input('b', f32([3, 4])));
    assert.equal(y.dataType, 'float32');
    assert.deepEqual(y.shape, [2, 4]);
  });

  test('batched matmul broadcasts its batch dimensions', () => {
    const b = new MLGraphBuilder(ctx);
    const y = b.matmul(b.input('a', f32([5, 1, 2, 3])), b.input('b', f32([4, 3, 6])));
    assert.deepEqual(y.shape, [5, 4, 2, 6]);
  });

  test('other operators', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32([2, 1, 3]));
    assert.deepEqual(b.add(x, b.input('y', f32([4, 1]))).shape, [2, 4, 3]);
    assert.deepEqual(b.add(x, b.constant('float32', 1)).shape, [2, 1, 3]);
    assert.deepEqual(b.transpose(x).shape, [3, 1, 2]);
    assert.deepEqual(b.reshape(x, [3, 2]).shape, [3, 2]);
    assert.deepEqual(b.concat([x, x, x], 1).shape, [2, 3, 3]);
    assert.deepEqual(b.softmax(x, 2).shape, [2, 1, 3]);
    const c = b.cast(x, 'int8');
    assert.equal(c.dataType, 'int8');
    assert.deepEqual(c.shape, [2, 1, 3]);
    const s = b.input('s', { dataType: 'uint32', shape: [] });
    assert.equal(s.dataType, 'uint32');
    assert.deepEqual(s.shape, []);
  });

  test('operand shapes are snapshots: changing the caller\'s descriptor does nothing', () => {
    const b = new MLGraphBuilder(ctx);
    const desc = { dataType: 'float32' as const, shape: [2, 3] };
    const x = b.input('x', desc);
    desc.shape[0] = 9;
    assert.deepEqual(x.shape, [2, 3]);
    assert.throws(() => (x.shape as number[]).push(1), TypeError);
    assert.deepEqual(x.shape, [2, 3]);
  });

  test('graph input and output descriptors (non-standard accessors)', async () => {
    const b = new MLGraphBuilder(ctx);
    const graph = await b.build({ y: b.matmul(b.input('a', f32([2, 3])), b.input('b', f32([3, 4]))) });
    assert.deepEqual(graph.inputDescriptors, { a: { dataType: 'float32', shape: [2, 3] }, b: { dataType: 'float32', shape: [3, 4] } });
    assert.deepEqual(graph.outputDescriptors, { y: { dataType: 'float32', shape: [2, 4] } });
  });
});

// ---- (7) opSupportLimits -----------------------------------------------------------------------------------------

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

// ---- (8) output naming -------------------------------------------------------------------------------------------

describe('output names', () => {
  test('the same operand under two output names, and an output named like an input', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32([3]));
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
    const x = b.input('x', f32([2]));
    const a = b.add(x, x);
    const m = b.mul(a, a);
    const graph = await b.build({ a, m });
    const r = await ctx.compute(graph, { x: new Float32Array([1, 3]) });
    assert.deepEqual([...r.a!.data], [2, 6]);
    assert.deepEqual([...r.m!.data], [4, 36]);
  });
});

// ---- (9) compute() -----------------------------------------------------------------------------------------------

describe('compute() (non-standard)', () => {
  test('returns {data, shape, dataType} per output', async () => {
    const b = new MLGraphBuilder(ctx);
    const a = b.input('a', f32([2, 3]));
    const w = b.constant(f32([3, 1]), new Float32Array([1, 10, 100]));
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
    const graph = await b.build({ y: b.relu(b.input('a', f32([2]))) });
    await assert.rejects(ctx.compute(graph, {}), { name: 'TypeError', message: /^compute: missing input 'a' \(float32\[2\]\)$/ });
    await assert.rejects(ctx.compute(graph, { a: new Float32Array(2), z: new Float32Array(2) }),
      { name: 'TypeError', message: /^compute: 'z' is not an input of the graph$/ });
  });
});

// ---- (10) inputs the outputs do not depend on ----------------------------------------------------------------------

describe('unused graph inputs are pruned', () => {
  test('an input the outputs do not depend on is not an input of the graph', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32([2]));
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
