// Reductions, argMin/argMax and cumulativeSum: validation, the semantics the spec pins down (empty axes, scalars,
// ties, NaN), exact integer results that wrap like add and mul, values against JS references, and every data type
// and rank opSupportLimits() advertises.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DTYPES } from '../../src/graph/dtypes.js';
import { MLGraphBuilder, MLOperand, MLContext, type MLOperandDataType } from '../../src/index.js';
import { f32, count, indices, at, sequence, coordsOf, indexOf, assertUlps, opTypeError, context, run, runAll, withInput, type Input } from '../support/index.js';
import { checkAdvertised, small, signed, type Case } from '../support/limits.js';
import { validationTable, ok, bad, REDUCTIONS, type WptCase } from '../support/wpt.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

describe('reductions: validation', () => {
  for (const op of REDUCTIONS) {
    test(`${op}: axis out of range, duplicate axes, non-numeric axes`, () => {
      const { b, x } = withInput(ctx, 'float32', [2, 3]);
      assert.throws(() => b[op](x, { axes: [2], label: 'r' }), opTypeError(op, 'r', /axis 2, which is not less than the input rank 2/));
      assert.throws(() => b[op](x, { axes: [1, 1], label: 'r' }), opTypeError(op, 'r', /duplicate/));
      assert.throws(() => b[op](x, { axes: [-1], label: 'r' }), opTypeError(op, 'r', /out of the unsigned long range/));
      assert.throws(() => b[op](x, { axes: 3 as unknown as number[], label: 'r' }), opTypeError(op, 'r', /axes must be a sequence/));
      const s = withInput(ctx, 'float32', []);
      assert.throws(() => s.b[op](s.x, { axes: [0], label: 'r' }), opTypeError(op, 'r', /not less than the input rank 0/));
    });
  }
  for (const op of ['reduceL2', 'reduceLogSum', 'reduceLogSumExp', 'reduceMean'] as const) {
    test(`${op}: integer input`, () => {
      const { b, x } = withInput(ctx, 'int32', [2]);
      assert.throws(() => b[op](x, { label: 'r' }), opTypeError(op, 'r', /'input' has data type int32, which is not one of the supported types \(float32, float16\)/));
    });
  }
  for (const op of ['reduceL1', 'reduceProduct', 'reduceSum', 'reduceSumSquare'] as const) {
    test(`${op}: 8-bit input`, () => {
      const { b, x } = withInput(ctx, 'int8', [2]);
      assert.throws(() => b[op](x, { label: 'r' }), opTypeError(op, 'r', /'input' has data type int8/));
    });
  }
  test('reduceSum: not an operand', () => {
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.reduceSum({} as MLOperand, { label: 'r' }), opTypeError('reduceSum', 'r', /not an MLOperand/));
  });
});

describe('argMin/argMax: validation', () => {
  for (const op of ['argMin', 'argMax'] as const) {
    test(`${op}: bad axis, scalar input, bad outputDataType`, () => {
      const { b, x } = withInput(ctx, 'float32', [2, 3]);
      assert.throws(() => b[op](x, 2, { label: 'a' }), opTypeError(op, 'a', /axis 2 must be less than the input rank 2/));
      assert.throws(() => b[op](x, -1, { label: 'a' }), opTypeError(op, 'a', /out of the unsigned long range/));
      assert.throws(() => b[op](x, 0, { outputDataType: 'float32', label: 'a' }), opTypeError(op, 'a', /outputDataType float32 is not one of int32, int64/));
      assert.throws(() => b[op](x, 0, { outputDataType: 'int33' as MLOperandDataType, label: 'a' }), opTypeError(op, 'a', /outputDataType 'int33' is not an MLOperandDataType/));
      const s = withInput(ctx, 'float32', []);
      assert.throws(() => s.b[op](s.x, 0, { label: 'a' }), opTypeError(op, 'a', /'input' has rank 0, outside the supported range 1/));
    });
  }
});

describe('cumulativeSum: validation', () => {
  test('bad axis, scalar, 8-bit input', () => {
    const { b, x } = withInput(ctx, 'float32', [4]);
    assert.throws(() => b.cumulativeSum(x, 1, { label: 'c' }), opTypeError('cumulativeSum', 'c', /axis 1 must be less than the input rank 1/));
    const s = withInput(ctx, 'float32', []);
    assert.throws(() => s.b.cumulativeSum(s.x, 0, { label: 'c' }), opTypeError('cumulativeSum', 'c', /rank 0/));
    const u = withInput(ctx, 'uint8', [4]);
    assert.throws(() => u.b.cumulativeSum(u.x, 0, { label: 'c' }), opTypeError('cumulativeSum', 'c', /'input' has data type uint8/));
  });
});

describe('values', () => {
  test('empty axes apply the reduction to each element; absent axes reduce everything', async () => {
    const x = [-1, 2, -3, 4];
    const [l1, sq, all] = await runAll([{ dataType: 'float32', shape: [2, 2], values: x }], (b, v) => [b.reduceL1(v, { axes: [] }), b.reduceSumSquare(v, { axes: [] }), b.reduceSum(v, { keepDimensions: true })]);
    assert.deepEqual(l1, { shape: [2, 2], data: [1, 2, 3, 4] });
    assert.deepEqual(sq, { shape: [2, 2], data: [1, 4, 9, 16] });
    assert.deepEqual(all, { shape: [1, 1], data: [2] });
  });

  test('reductions of a scalar are the scalar through the reduction function', async () => {
    const [l1, logSum] = await runAll([{ dataType: 'float32', shape: [], values: [-4] }], (b, v) => [b.reduceL1(v), b.reduceSumSquare(v)]);
    assert.deepEqual(l1, { shape: [], data: [4] });
    assert.deepEqual(logSum, { shape: [], data: [16] });
  });

  test('argMin/argMax pick the first of tied values, in the requested type', async () => {
    const [max, min] = await runAll([{ dataType: 'int32', shape: [2, 3], values: [5, 1, 5, 0, 0, 7] }], (b, v) => [b.argMax(v, 1, { outputDataType: 'int64' }), b.argMin(v, 1, { keepDimensions: true })]);
    assert.deepEqual(max, { shape: [2], data: [0n, 2n] });
    assert.deepEqual(min, { shape: [2, 1], data: [1, 0] });
  });

  test('cumulativeSum exclusive and reversed', async () => {
    const [inc, exc, rev] = await runAll([{ dataType: 'int32', shape: [4], values: [1, 2, 3, 4] }], (b, v) => [b.cumulativeSum(v, 0), b.cumulativeSum(v, 0, { exclusive: true }), b.cumulativeSum(v, 0, { reversed: true })]);
    assert.deepEqual([inc!.data, exc!.data, rev!.data], [[1, 3, 6, 10], [0, 1, 3, 6], [10, 9, 7, 4]]);
  });

  test('reduceLogSumExp of large values does not overflow, over two axes of a rank-3 input', async () => {
    const shape = [2, 3, 2];
    const x = sequence(12, (i) => 80 + i * 7.5);
    const expected = [0, 1].map((i1) => {
      const vs = indices(shape).filter((idx) => idx[2] === i1).map((idx) => Number(at(x, shape, idx)));
      const max = Math.max(...vs);
      return max + Math.log(vs.reduce((s, v) => s + Math.exp(v - max), 0));
    });
    assertUlps(await run([{ dataType: 'float32', shape, values: x }], (b, v) => b.reduceLogSumExp(v, { axes: [0, 1] })), [2], expected);
  });

  test('cumulativeSum exclusive and reversed on the middle axis of a rank-3 input', async () => {
    const shape = [2, 4, 3];
    const x = sequence(24, (i) => i * 1.5 - 7);
    const expected = indices(shape).map((idx) => {
      let s = 0;
      for (let k = idx[1]! + 1; k < 4; k++) s += Number(at(x, shape, [idx[0]!, k, idx[2]!]));
      return s;
    });
    assertUlps(await run([{ dataType: 'float32', shape, values: x }], (b, v) => b.cumulativeSum(v, 1, { exclusive: true, reversed: true })), shape, expected);
    const ints = x.map((v) => Math.round(v));
    const got = await run([{ dataType: 'int64', shape, values: ints.map(BigInt) }], (b, v) => b.cumulativeSum(v, 1, { exclusive: true, reversed: true }));
    assert.deepEqual(got.data, indices(shape).map((idx) => {
      let s = 0n;
      for (let k = idx[1]! + 1; k < 4; k++) s += BigInt(at(ints, shape, [idx[0]!, k, idx[2]!]));
      return s;
    }));
  });
});

describe('argMin and argMax along a leading or middle axis, by hand', () => {
  // x[3, 2, 2]: i = 0 [[1, 9], [4, 4]], i = 1 [[7, 2], [4, 8]], i = 2 [[7, 5], [0, 8]].
  const x = { dataType: 'float32' as const, shape: [3, 2, 2], values: [1, 9, 4, 4, 7, 2, 4, 8, 7, 5, 0, 8] };
  test('axis 0: the first index of the extreme value along the leading axis', async () => {
    // (j, k) = (0, 0): [1, 7, 7]; (0, 1): [9, 2, 5]; (1, 0): [4, 4, 0]; (1, 1): [4, 8, 8].
    assert.deepEqual(await run([x], (b, v) => b.argMax(v, 0)), { shape: [2, 2], data: [1, 0, 0, 1] });
    assert.deepEqual(await run([x], (b, v) => b.argMin(v, 0)), { shape: [2, 2], data: [0, 1, 2, 0] });
  });
  test('axis 1 with keepDimensions and int64 indices', async () => {
    // (i, k) = (0, 0): [1, 4]; (0, 1): [9, 4]; (1, 0): [7, 4]; (1, 1): [2, 8]; (2, 0): [7, 0]; (2, 1): [5, 8].
    assert.deepEqual(await run([x], (b, v) => b.argMax(v, 1, { keepDimensions: true })), { shape: [3, 1, 2], data: [1, 0, 0, 1, 0, 1] });
    assert.deepEqual(await run([x], (b, v) => b.argMin(v, 1, { outputDataType: 'int64' })), { shape: [3, 2], data: [0n, 1n, 1n, 0n, 1n, 0n] });
  });
});

describe('NaN in order-based reductions', () => {
  // max() and min() propagate NaN; their reductions must too, wherever the NaN sits (onnxruntime's ReduceMax drops
  // a NaN that follows a number), and argMin/argMax must point at the first NaN, where the reduced value came from.
  const x: Input = { dataType: 'float32', shape: [3, 3], values: [NaN, 1, 2, 3, NaN, NaN, 4, 5, 6] };
  test('reduceMax and reduceMin are NaN where any reduced element is NaN', async () => {
    for (const op of ['reduceMax', 'reduceMin'] as const) {
      const rows = await run([x], (b, v) => b[op](v, { axes: [1] }));
      assert.deepEqual(rows, { shape: [3], data: [NaN, NaN, op === 'reduceMax' ? 6 : 4] }, op);
      const columns = await run([x], (b, v) => b[op](v, { axes: [0], keepDimensions: true }));
      assert.deepEqual(columns, { shape: [1, 3], data: [NaN, NaN, NaN] }, op);
    }
    const f16 = await run([{ ...x, dataType: 'float32' }], (b, v) => b.cast(b.reduceMax(b.cast(v, 'float16'), { axes: [1] }), 'float32'));
    assert.deepEqual(f16, { shape: [3], data: [NaN, NaN, 6] });
  });
  test('float16: argMax with keepDimensions and reduceMin see the NaN', async () => {
    const x16: Input = { dataType: 'float32', shape: [2, 3], values: [1, NaN, 3, 4, 5, 6] };
    const arg = await run([x16], (b, v) => b.argMax(b.cast(v, 'float16'), 1, { keepDimensions: true, outputDataType: 'int64' }));
    assert.deepEqual(arg, { shape: [2, 1], data: [1n, 2n] });
    const min = await run([x16], (b, v) => b.cast(b.reduceMin(b.cast(v, 'float16'), { axes: [0], keepDimensions: true }), 'float32'));
    assert.deepEqual(min, { shape: [1, 3], data: [1, NaN, 3] });
  });
  test('argMin and argMax give the index of the first NaN', async () => {
    for (const op of ['argMin', 'argMax'] as const) {
      const rows = await run([x], (b, v) => b[op](v, 1));
      assert.deepEqual(rows, { shape: [3], data: [0, 1, op === 'argMax' ? 2 : 0] }, op);
    }
  });
});

describe('integer reductions are exact and wrap like add and mul', () => {
  // onnxruntime's integer ReduceSum/ReduceProd/ReduceL1/ReduceSumSquare go through double: int64 sums beyond 2^53
  // lose their low bits and overflow saturates, where add() and mul() wrap modulo 2^bits.
  const big = 2n ** 53n + 1n;
  test('int64 and uint64 sums beyond 2^53 are exact', async () => {
    const sum = await run([{ dataType: 'int64', shape: [3], values: [big, 0n, 2n] }], (b, x) => b.reduceSum(x));
    assert.deepEqual(sum, { shape: [], data: [big + 2n] });
    const l1 = await run([{ dataType: 'int64', shape: [2, 2], values: [-big, 1n, big, 3n] }], (b, x) => b.reduceL1(x, { axes: [0] }));
    assert.deepEqual(l1, { shape: [2], data: [2n * big, 4n] });
    const u = await run([{ dataType: 'uint64', shape: [2], values: [2n ** 64n - 1n, 2n] }], (b, x) => b.reduceSum(x));
    assert.deepEqual(u, { shape: [], data: [1n] });
    const product = await run([{ dataType: 'int64', shape: [2], values: [big, 3n] }], (b, x) => b.reduceProduct(x));
    assert.deepEqual(product, { shape: [], data: [3n * big] });
  });
  test('int32 sums, products and squares wrap on overflow', async () => {
    const x: Input = { dataType: 'int32', shape: [2, 3], values: [2147483647, 1, 5, 65536, 65536, 3] };
    const wrap = (v: bigint) => Number(BigInt.asIntN(32, v));
    assert.deepEqual(await run([x], (b, v) => b.reduceSum(v, { axes: [1] })), { shape: [2], data: [wrap(2147483653n), 131075] });
    assert.deepEqual(await run([x], (b, v) => b.reduceProduct(v, { axes: [1] })), { shape: [2], data: [wrap(2147483647n * 5n), 0] });
    assert.deepEqual(await run([x], (b, v) => b.reduceSumSquare(v, { keepDimensions: true })),
      { shape: [1, 1], data: [wrap(2147483647n ** 2n + 1n + 25n + 2n * 65536n ** 2n + 9n)] });
    const min = await run([{ dataType: 'int32', shape: [2], values: [-2147483648, 1] }], (b, v) => b.reduceL1(v));
    assert.deepEqual(min, { shape: [], data: [-2147483647] });
  });
  test('uint64 sums over unsorted axes with keepDimensions; int32 L1 with empty axes', async () => {
    const values = Array.from({ length: 12 }, (_, i) => BigInt(i) * 2n ** 60n);
    const got = await run([{ dataType: 'uint64', shape: [2, 2, 3], values }], (b, v) => b.reduceSum(v, { axes: [2, 0], keepDimensions: true }));
    const expected = [0, 1].map((j) => BigInt.asUintN(64, [0, 1].flatMap((i0) => [0, 1, 2].map((k) => values[(i0 * 2 + j) * 3 + k]!)).reduce((a, b) => a + b)));
    assert.deepEqual(got, { shape: [1, 2, 1], data: expected });
    const l1 = await run([{ dataType: 'int32', shape: [2], values: [-2, 3] }], (b, v) => b.reduceL1(v, { axes: [] }));
    assert.deepEqual(l1, { shape: [2], data: [2, 3] });
  });
  test('rank-8 int32 sum and product over non-adjacent axes match a JS reference', async () => {
    const shape = [2, 1, 3, 2, 1, 2, 1, 3];
    const values = Array.from({ length: 72 }, (_, i) => ((i * 7) % 11) - 5);
    const axes = [0, 3, 7];
    const outShape = shape.filter((_, i) => !axes.includes(i));
    const st = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    const reference = (combine: (a: bigint, b: bigint) => bigint, start: bigint) => {
      const out = new Map<string, bigint>();
      values.forEach((v, flat) => {
        const key = shape.map((d, i) => Math.floor(flat / st[i]!) % d).filter((_, i) => !axes.includes(i)).join(',');
        out.set(key, combine(out.get(key) ?? start, BigInt(v)));
      });
      return [...out.values()].map((v) => Number(BigInt.asIntN(32, v)));
    };
    const x: Input = { dataType: 'int32', shape, values };
    assert.deepEqual(await run([x], (b, v) => b.reduceSum(v, { axes })), { shape: outShape, data: reference((a, b) => a + b, 0n) });
    assert.deepEqual(await run([x], (b, v) => b.reduceProduct(v, { axes })), { shape: outShape, data: reference((a, b) => a * b, 1n) });
  });
  test('uint32 products wrap; a product of many factors over several axes of a rank-5 input', async () => {
    const u = await run([{ dataType: 'uint32', shape: [3], values: [65537, 65537, 3] }], (b, v) => b.reduceProduct(v));
    assert.deepEqual(u, { shape: [], data: [Number(BigInt.asUintN(32, 65537n * 65537n * 3n))] });
    const values = Array.from({ length: 2 * 3 * 1 * 5 * 2 }, (_, i) => (i % 7) - 3 || 2);
    const shape = [2, 3, 1, 5, 2];
    const got = await run([{ dataType: 'int64', shape, values: values.map(BigInt) }], (b, v) => b.reduceProduct(v, { axes: [1, 3] }));
    const expected: bigint[] = [];
    for (const i0 of [0, 1]) for (const i4 of [0, 1]) {
      let p = 1n;
      for (let i1 = 0; i1 < 3; i1++) for (let i3 = 0; i3 < 5; i3++) p *= BigInt(values[((i0 * 3 + i1) * 5 + i3) * 2 + i4]!);
      expected.push(BigInt.asIntN(64, p));
    }
    assert.deepEqual(got, { shape: [2, 1, 2], data: expected });
  });
});

const table: WptCase[] = [
  ...REDUCTIONS.flatMap((op) => [
    ok(op, [f32(1, 3, 4, 4), { keepDimensions: true }], 'float32', [1, 1, 1, 1]),
    ok(op, [f32(1, 3, 5, 5), { axes: [0, 1] }], 'float32', [5, 5]),
    ok(op, [f32(2, 3, 4)], 'float32', []),
    ok(op, [f32(2, 3), { axes: [] }], 'float32', [2, 3]),
    bad(op, [f32(1, 2, 5, 5), { axes: [4] }]),
    bad(op, [f32(1, 2, 5, 5), { axes: [0, 1, 1] }]),
  ]),
  ...['argMin', 'argMax'].flatMap((op) => [
    ok(op, [f32(1, 2, 3, 4), 0], 'int32', [2, 3, 4]),
    ok(op, [f32(1, 2, 3, 4), 1], 'int32', [1, 3, 4]),
    ok(op, [f32(1, 2, 3, 4), 1, { outputDataType: 'int32' }], 'int32', [1, 3, 4]),
    ok(op, [f32(1, 2, 3, 4), 1, { outputDataType: 'int64' }], 'int64', [1, 3, 4]),
    ok(op, [f32(1, 2, 3, 4), 1, { keepDimensions: true }], 'int32', [1, 1, 3, 4]),
    bad(op, [f32(1, 2, 3, 4), 4]),
    bad(op, [f32(), 0]),
    bad(op, [f32(1, 2, 3, 4), 1, { outputDataType: 'float32' }]),
  ]),
  ok('cumulativeSum', [f32(3, 2, 5), 0], 'float32', [3, 2, 5]),
  ok('cumulativeSum', [f32(3, 2, 5), 1], 'float32', [3, 2, 5]),
  ok('cumulativeSum', [f32(3, 2, 5), 1, { exclusive: true }], 'float32', [3, 2, 5]),
  ok('cumulativeSum', [f32(3, 2, 5), 1, { reversed: true }], 'float32', [3, 2, 5]),
  bad('cumulativeSum', [f32(), 0]),
  bad('cumulativeSum', [f32(1, 2, 3), 3]),
];
validationTable('reduction', table);

/** Groups the input values by their coordinates outside `axes` and reduces each group with `f`. */
function reduceRef(x: number[], shape: number[], axes: number[], f: (group: number[]) => number): number[] {
  const outShape = shape.filter((_, i) => !axes.includes(i));
  const groups: number[][] = Array.from({ length: count(outShape) }, () => []);
  x.forEach((v, i) => {
    const kept = coordsOf(i, shape).filter((_, d) => !axes.includes(d));
    groups[indexOf(kept, outShape)]!.push(v);
  });
  return groups.map(f);
}

/** The first and last axes (each reduced dimension of shapeOf(rank) is at most 3, which keeps products small). */
const someAxes = (rank: number) => (rank === 0 ? [] : rank === 1 ? [0] : [0, rank - 1]);

const sum = (g: number[]) => g.reduce((a, b) => a + b, 0);
const REDUCERS = {
  reduceL1: (g) => sum(g.map(Math.abs)),
  reduceL2: (g) => Math.sqrt(sum(g.map((v) => v * v))),
  reduceLogSum: (g) => Math.log(sum(g)),
  reduceLogSumExp: (g) => Math.log(sum(g.map(Math.exp))),
  reduceMax: (g) => Math.max(...g),
  reduceMean: (g) => sum(g) / g.length,
  reduceMin: (g) => Math.min(...g),
  reduceProduct: (g) => g.reduce((a, b) => a * b, 1),
  reduceSum: sum,
  reduceSumSquare: (g) => sum(g.map((v) => v * v)),
} satisfies Record<string, (g: number[]) => number>;
type Reduction = keyof typeof REDUCERS;

/** uint64 values beyond 2^63, where a signed reinterpretation would get the order wrong; small values otherwise. */
const wide = (i: number, arg: number, t: MLOperandDataType) => (t === 'uint64' && i % 3 === 1 ? 2 ** 63 + 2048 * i : signed(i, arg, t));

const advertised: Record<string, Case> = {};

for (const [name, f] of Object.entries(REDUCERS) as [Reduction, (g: number[]) => number][]) {
  const values = name === 'reduceLogSum' || name === 'reduceProduct' ? small : name === 'reduceMax' || name === 'reduceMin' ? wide : signed;
  advertised[name] = {
    inputs: 1, values,
    call: (b, [x], _t, rank) => b[name](x!, rank === 0 ? {} : { axes: someAxes(rank) }),
    ref: (xs, s) => reduceRef(xs[0]!, s, someAxes(s.length), f),
  };
  // Empty axes: the reduction applies to each element on its own (|x| for L1, x² for SumSquare, ...).
  advertised[`${name} with empty axes`] = {
    op: name, inputs: 1, values,
    call: (b, [x]) => b[name](x!, { axes: [], keepDimensions: true }),
    ref: (xs) => xs[0]!.map((v) => f([v])),
  };
}

/** Index of the first extreme value along the last axis (ties: the first index). */
function argRef(x: number[], shape: number[], better: (a: number, b: number) => boolean): number[] {
  const axis = shape.length - 1;
  return reduceRef(x.map((v, i) => i), shape, [axis], (group) => {
    let best = 0;
    group.forEach((flat, k) => { if (better(x[flat]!, x[group[best]!]!)) best = k; });
    return best;
  });
}
// Pairs of equal neighbours (0 0 1 1 0 0 ...), so that most rows have a tie; uint64 uses 0 and 2^63.
const tied = (i: number, _arg: number, t: MLOperandDataType) => (Math.floor(i / 2) % 2) * (t === 'uint64' ? 2 ** 63 : 1) - (DTYPES[t].signed ? 1 : 0);
for (const [op, better] of [['argMin', (a: number, b: number) => a < b], ['argMax', (a: number, b: number) => a > b]] as const) {
  for (const outputDataType of ['int32', 'int64'] as const) {
    advertised[`${op} → ${outputDataType}`] = {
      op, outputDataType, inputs: 1, values: tied,
      call: (b, [x], _t, rank) => b[op](x!, rank - 1, { outputDataType }),
      ref: (xs, s) => argRef(xs[0]!, s, better),
    };
  }
}

function cumulativeRef(x: number[], shape: number[], axis: number, exclusive: boolean, reversed: boolean): number[] {
  return x.map((_, i) => {
    const at = coordsOf(i, shape);
    let acc = 0;
    for (let k = 0; k < shape[axis]!; k++) {
      const included = reversed ? k > at[axis]! || (!exclusive && k === at[axis]) : k < at[axis]! || (!exclusive && k === at[axis]);
      if (included) acc += x[indexOf(at.map((c, d) => (d === axis ? k : c)), shape)]!;
    }
    return acc;
  });
}
advertised.cumulativeSum = {
  inputs: 1, values: signed,
  call: (b, [x], _t, rank) => b.cumulativeSum(x!, rank - 1),
  ref: (xs, s) => cumulativeRef(xs[0]!, s, s.length - 1, false, false),
};
advertised['cumulativeSum exclusive reversed'] = {
  op: 'cumulativeSum', inputs: 1, values: signed,
  call: (b, [x]) => b.cumulativeSum(x!, 0, { exclusive: true, reversed: true }),
  ref: (xs, s) => cumulativeRef(xs[0]!, s, 0, true, true),
};

test('every data type and rank opSupportLimits() advertises for the reductions builds, runs and computes', async (t) => {
  await checkAdvertised(t, advertised);
});
