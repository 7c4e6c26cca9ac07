// Reductions, argMin/argMax, cumulativeSum and the shaping ops (expand, pad, reverse, slice, split, tile,
// triangular): every bad call fails with a TypeError that names the operator and its label, and the semantics the
// spec pins down (empty axes, ties, negative diagonals, scalars) compute the right values.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, type MLContext, type MLOperand, type MLOperandDataType } from '../src/index.js';
import { opTypeError as typeError } from './support/errors.js';

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});

function setup(dataType: MLOperandDataType, shape: number[]): { b: MLGraphBuilder; x: MLOperand } {
  const b = new MLGraphBuilder(ctx);
  return { b, x: b.input('x', { dataType, shape }) };
}

const REDUCTIONS = ['reduceL1', 'reduceL2', 'reduceLogSum', 'reduceLogSumExp', 'reduceMax', 'reduceMean', 'reduceMin',
  'reduceProduct', 'reduceSum', 'reduceSumSquare'] as const;

describe('reductions: validation', () => {
  for (const op of REDUCTIONS) {
    test(`${op}: axis out of range, duplicate axes, non-numeric axes`, () => {
      const { b, x } = setup('float32', [2, 3]);
      assert.throws(() => b[op](x, { axes: [2], label: 'r' }), typeError(op, 'r', /axis 2, which is not less than the input rank 2/));
      assert.throws(() => b[op](x, { axes: [1, 1], label: 'r' }), typeError(op, 'r', /duplicate/));
      assert.throws(() => b[op](x, { axes: [-1], label: 'r' }), typeError(op, 'r', /out of the unsigned long range/));
      assert.throws(() => b[op](x, { axes: 3 as unknown as number[], label: 'r' }), typeError(op, 'r', /axes must be a sequence/));
      const s = setup('float32', []);
      assert.throws(() => s.b[op](s.x, { axes: [0], label: 'r' }), typeError(op, 'r', /not less than the input rank 0/));
    });
  }
  for (const op of ['reduceL2', 'reduceLogSum', 'reduceLogSumExp', 'reduceMean'] as const) {
    test(`${op}: integer input`, () => {
      const { b, x } = setup('int32', [2]);
      assert.throws(() => b[op](x, { label: 'r' }), typeError(op, 'r', /'input' has data type int32, which is not one of the supported types \(float32, float16\)/));
    });
  }
  for (const op of ['reduceL1', 'reduceProduct', 'reduceSum', 'reduceSumSquare'] as const) {
    test(`${op}: 8-bit input`, () => {
      const { b, x } = setup('int8', [2]);
      assert.throws(() => b[op](x, { label: 'r' }), typeError(op, 'r', /'input' has data type int8/));
    });
  }
  test('reduceSum: not an operand', () => {
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.reduceSum({} as MLOperand, { label: 'r' }), typeError('reduceSum', 'r', /not an MLOperand/));
  });
});

describe('argMin/argMax: validation', () => {
  for (const op of ['argMin', 'argMax'] as const) {
    test(`${op}: bad axis, scalar input, bad outputDataType`, () => {
      const { b, x } = setup('float32', [2, 3]);
      assert.throws(() => b[op](x, 2, { label: 'a' }), typeError(op, 'a', /axis 2 must be less than the input rank 2/));
      assert.throws(() => b[op](x, -1, { label: 'a' }), typeError(op, 'a', /out of the unsigned long range/));
      assert.throws(() => b[op](x, 0, { outputDataType: 'float32', label: 'a' }), typeError(op, 'a', /outputDataType float32 is not one of int32, int64/));
      assert.throws(() => b[op](x, 0, { outputDataType: 'int33' as MLOperandDataType, label: 'a' }), typeError(op, 'a', /outputDataType 'int33' is not an MLOperandDataType/));
      const s = setup('float32', []);
      assert.throws(() => s.b[op](s.x, 0, { label: 'a' }), typeError(op, 'a', /'input' has rank 0, outside the supported range 1/));
    });
  }
});

describe('cumulativeSum: validation', () => {
  test('bad axis, scalar, 8-bit input', () => {
    const { b, x } = setup('float32', [4]);
    assert.throws(() => b.cumulativeSum(x, 1, { label: 'c' }), typeError('cumulativeSum', 'c', /axis 1 must be less than the input rank 1/));
    const s = setup('float32', []);
    assert.throws(() => s.b.cumulativeSum(s.x, 0, { label: 'c' }), typeError('cumulativeSum', 'c', /rank 0/));
    const u = setup('uint8', [4]);
    assert.throws(() => u.b.cumulativeSum(u.x, 0, { label: 'c' }), typeError('cumulativeSum', 'c', /'input' has data type uint8/));
  });
});

describe('shaping ops: validation', () => {
  test('expand: not unidirectionally broadcastable, lower rank, zero dimension', () => {
    const { b, x } = setup('float32', [2, 3]);
    assert.throws(() => b.expand(x, [2, 4], { label: 'e' }), typeError('expand', 'e', /\[2, 3\] is not unidirectionally broadcastable to \[2, 4\]/));
    assert.throws(() => b.expand(x, [3], { label: 'e' }), typeError('expand', 'e', /not unidirectionally broadcastable/));
    assert.throws(() => b.expand(x, [0, 2, 3], { label: 'e' }), typeError('expand', 'e', /invalid dimension 0/));
    assert.throws(() => b.expand(x, [1, 1, 1, 1, 1, 1, 2, 3, 1], { label: 'e' }), typeError('expand', 'e', /rank 9/));
  });

  test('pad: wrong padding length, reflection too wide, bad mode, oversized output', () => {
    const { b, x } = setup('float32', [2, 3]);
    assert.throws(() => b.pad(x, [1], [1, 1], { label: 'p' }), typeError('pad', 'p', /must both have the input rank 2/));
    assert.throws(() => b.pad(x, [2, 0], [0, 0], { mode: 'reflection', label: 'p' }), typeError('pad', 'p', /reflection padding 2\/0 along axis 0 must be less than the input dimension 2/));
    assert.throws(() => b.pad(x, [0, 0], [0, 3], { mode: 'reflection', label: 'p' }), typeError('pad', 'p', /reflection padding 0\/3 along axis 1/));
    assert.throws(() => b.pad(x, [0, 0], [0, 0], { mode: 'wrap' as 'edge', label: 'p' }), typeError('pad', 'p', /mode 'wrap' is not one of constant, edge, reflection/));
    assert.throws(() => b.pad(x, [0, 2 ** 31 - 1], [0, 0], { label: 'p' }), typeError('pad', 'p', /not a valid dimension/));
  });

  test('reverse: axis out of range, duplicates', () => {
    const { b, x } = setup('int8', [2, 3]);
    assert.throws(() => b.reverse(x, { axes: [2], label: 'r' }), typeError('reverse', 'r', /axis 2, which is not less than the input rank 2/));
    assert.throws(() => b.reverse(x, { axes: [0, 0], label: 'r' }), typeError('reverse', 'r', /duplicate/));
  });

  test('slice: wrong lengths, zero size, zero stride, out of range', () => {
    const { b, x } = setup('float32', [4, 5]);
    assert.throws(() => b.slice(x, [0], [1, 1], { label: 's' }), typeError('slice', 's', /starts has 1 entries, the input rank is 2/));
    assert.throws(() => b.slice(x, [0, 0], [1, 1, 1], { label: 's' }), typeError('slice', 's', /sizes has 3 entries/));
    assert.throws(() => b.slice(x, [0, 0], [1, 0], { label: 's' }), typeError('slice', 's', /sizes\[1\] is 0/));
    assert.throws(() => b.slice(x, [0, 0], [1, 1], { strides: [1, 0], label: 's' }), typeError('slice', 's', /strides\[1\] is 0/));
    assert.throws(() => b.slice(x, [0, 0], [1, 1], { strides: [1], label: 's' }), typeError('slice', 's', /strides has 1 entries/));
    assert.throws(() => b.slice(x, [3, 0], [2, 1], { label: 's' }), typeError('slice', 's', /starts\[0\] 3 \+ sizes\[0\] 2 exceeds the input dimension 4/));
    assert.throws(() => b.slice(x, [0, 5], [1, 1], { label: 's' }), typeError('slice', 's', /starts\[1\] 5 \+ sizes\[1\] 1 exceeds the input dimension 5/));
  });

  test('split: bad count, bad sizes, bad axis, scalar', () => {
    const { b, x } = setup('float32', [6, 2]);
    assert.throws(() => b.split(x, 4, { label: 's' }), typeError('split', 's', /splits 4 does not evenly divide the input dimension 6 along axis 0/));
    assert.throws(() => b.split(x, 0, { label: 's' }), typeError('split', 's', /splits 0 must be between 1 and 8192/));
    assert.throws(() => b.split(x, [2, 3], { label: 's' }), typeError('split', 's', /sum to 5, the input dimension along axis 0 is 6/));
    assert.throws(() => b.split(x, [6, 0], { label: 's' }), typeError('split', 's', /has a 0 entry/));
    assert.throws(() => b.split(x, [], { label: 's' }), typeError('split', 's', /1 to 8192 entries, got 0/));
    assert.throws(() => b.split(x, 2, { axis: 2, label: 's' }), typeError('split', 's', /axis 2 must be less than the input rank 2/));
    const s = setup('float32', []);
    assert.throws(() => s.b.split(s.x, 1, { label: 's' }), typeError('split', 's', /rank 0/));
  });

  test('tile: wrong length, zero repetition', () => {
    const { b, x } = setup('uint32', [2, 3]);
    assert.throws(() => b.tile(x, [2], { label: 't' }), typeError('tile', 't', /repetitions has 1 entries, the input rank is 2/));
    assert.throws(() => b.tile(x, [2, 0], { label: 't' }), typeError('tile', 't', /has a 0 entry/));
  });

  test('triangular: rank below 2, diagonal outside long', () => {
    const { b, x } = setup('float32', [3]);
    assert.throws(() => b.triangular(x, { label: 't' }), typeError('triangular', 't', /'input' has rank 1, outside the supported range 2/));
    const m = setup('float32', [3, 3]);
    assert.throws(() => m.b.triangular(m.x, { diagonal: 2 ** 31, label: 't' }), typeError('triangular', 't', /diagonal 2147483648 is out of the long range/));
    assert.throws(() => m.b.triangular(m.x, { diagonal: Infinity, label: 't' }), typeError('triangular', 't', /diagonal must be a finite number/));
  });
});

// ---- semantics -------------------------------------------------------------------------------------------------

async function run(dataType: MLOperandDataType, shape: number[], values: number[], f: (b: MLGraphBuilder, x: MLOperand) => MLOperand | MLOperand[]): Promise<{ shape: number[]; data: number[] }[]> {
  const { b, x } = setup(dataType, shape);
  const out = f(b, x);
  const outs = Array.isArray(out) ? out : [out];
  const graph = await b.build(Object.fromEntries(outs.map((o, i) => [`y${i}`, o])));
  const Arr = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array }[dataType as 'float32'];
  const results = await ctx.compute(graph, { x: new Arr(values) });
  return outs.map((_, i) => {
    const r = results[`y${i}`]!;
    return { shape: [...r.shape], data: Array.from(r.data as ArrayLike<number | bigint>, Number) };
  });
}

describe('semantics', () => {
  test('empty axes apply the reduction to each element; absent axes reduce everything', async () => {
    const x = [-1, 2, -3, 4];
    const [l1, sq, all] = await run('float32', [2, 2], x, (b, v) => [b.reduceL1(v, { axes: [] }), b.reduceSumSquare(v, { axes: [] }), b.reduceSum(v, { keepDimensions: true })]);
    assert.deepEqual(l1, { shape: [2, 2], data: [1, 2, 3, 4] });
    assert.deepEqual(sq, { shape: [2, 2], data: [1, 4, 9, 16] });
    assert.deepEqual(all, { shape: [1, 1], data: [2] });
  });

  test('reductions of a scalar are the scalar through the reduction function', async () => {
    const [l1, logSum] = await run('float32', [], [-4], (b, v) => [b.reduceL1(v), b.reduceSumSquare(v)]);
    assert.deepEqual(l1, { shape: [], data: [4] });
    assert.deepEqual(logSum, { shape: [], data: [16] });
  });

  test('argMin/argMax pick the first of tied values, in the requested type', async () => {
    const [max, min] = await run('int32', [2, 3], [5, 1, 5, 0, 0, 7], (b, v) => [b.argMax(v, 1, { outputDataType: 'int64' }), b.argMin(v, 1, { keepDimensions: true })]);
    assert.deepEqual(max, { shape: [2], data: [0, 2] });
    assert.deepEqual(min, { shape: [2, 1], data: [1, 0] });
  });

  test('cumulativeSum exclusive and reversed', async () => {
    const [inc, exc, rev] = await run('int32', [4], [1, 2, 3, 4], (b, v) => [b.cumulativeSum(v, 0), b.cumulativeSum(v, 0, { exclusive: true }), b.cumulativeSum(v, 0, { reversed: true })]);
    assert.deepEqual([inc!.data, exc!.data, rev!.data], [[1, 3, 6, 10], [0, 1, 3, 6], [10, 9, 7, 4]]);
  });

  test('triangular with negative and positive diagonals (the spec examples)', async () => {
    const m = [7, 1, 2, 9, 4, 8, 2, 6, 3];
    const outs = await run('float32', [3, 3], m, (b, v) => [b.triangular(v, { diagonal: -1 }), b.triangular(v, { diagonal: 1 }), b.triangular(v, { upper: false, diagonal: -1 })]);
    assert.deepEqual(outs.map((o) => o.data), [[7, 1, 2, 9, 4, 8, 0, 6, 3], [0, 1, 2, 0, 0, 8, 0, 0, 0], [0, 0, 0, 9, 0, 0, 2, 6, 0]]);
  });

  test('pad modes (the spec examples)', async () => {
    const outs = await run('float32', [2, 3], [1, 2, 3, 4, 5, 6], (b, v) => (['constant', 'edge', 'reflection'] as const).map((mode) => b.pad(v, [1, 2], [1, 2], { mode })));
    assert.deepEqual(outs[1]!.data, [1, 1, 1, 2, 3, 3, 3, 1, 1, 1, 2, 3, 3, 3, 4, 4, 4, 5, 6, 6, 6, 4, 4, 4, 5, 6, 6, 6]);
    assert.deepEqual(outs[2]!.data, [6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1, 6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1]);
    assert.deepEqual(outs[0]!.data.slice(7, 14), [0, 0, 1, 2, 3, 0, 0]);
  });

  test('slice with strides, split by sizes, reverse of one axis, tile, expand', async () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const [sl, s0, s1, rev, tile, exp] = await run('uint8', [3, 4], x, (b, v) => [
      b.slice(v, [0, 1], [3, 3], { strides: [2, 2] }), ...b.split(v, [1, 3], { axis: 1 }), b.reverse(v, { axes: [0] }),
      b.tile(b.slice(v, [0, 0], [1, 2]), [2, 2]), b.expand(b.slice(v, [0, 0], [1, 2]), [2, 2, 2]),
    ]);
    assert.deepEqual(sl, { shape: [2, 2], data: [1, 3, 9, 11] });
    assert.deepEqual(s0, { shape: [3, 1], data: [0, 4, 8] });
    assert.deepEqual(s1!.shape, [3, 3]);
    assert.deepEqual(rev!.data, [8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3]);
    assert.deepEqual(tile, { shape: [2, 4], data: [0, 1, 0, 1, 0, 1, 0, 1] });
    assert.deepEqual(exp, { shape: [2, 2, 2], data: [0, 1, 0, 1, 0, 1, 0, 1] });
  });
});
