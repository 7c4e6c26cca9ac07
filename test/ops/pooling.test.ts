// averagePool2d, l2Pool2d, maxPool2d: the spec's validation, WPT-style tables, what opSupportLimits() reports
// (maxPool2d on every data type), and values against a plain-JS reference: layouts, padding beyond the window,
// dilations, ceil rounding, windows with no input element, exact integer max pooling.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder, MLContext, type MLOperandDataType } from '../../src/index.js';
import { desc, f32, f16, count, sampleValues, permute, assertClose, opTypeError, context, runGraph } from '../support/index.js';
import { checkAdvertised, type Limits } from '../support/limits.js';
import { validationTable, ok, bad, MAX_ULONG, type WptCase } from '../support/wpt.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

const POOLS = ['averagePool2d', 'l2Pool2d', 'maxPool2d'] as const;

interface Win { padding: number[]; strides: number[]; dilations: number[] }

type PoolKind = 'averagePool2d' | 'l2Pool2d' | 'maxPool2d';
/** Pooling over the window elements inside the input (padding contributes nothing, not even to the average). */
function poolRef(kind: PoolKind, x: number[], xs: number[], outHW: number[], o: Win & { window: number[] }) {
  const [N, C, H, W] = xs as [number, number, number, number];
  const out: number[] = [];
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let oh = 0; oh < outHW[0]!; oh++) for (let ow = 0; ow < outHW[1]!; ow++) {
    const inside: number[] = [];
    for (let kh = 0; kh < o.window[0]!; kh++) for (let kw = 0; kw < o.window[1]!; kw++) {
      const ih = oh * o.strides[0]! - o.padding[0]! + kh * o.dilations[0]!;
      const iw = ow * o.strides[1]! - o.padding[2]! + kw * o.dilations[1]!;
      if (ih >= 0 && ih < H && iw >= 0 && iw < W) inside.push(x[((n * C + c) * H + ih) * W + iw]!);
    }
    if (kind === 'maxPool2d') out.push(Math.max(...inside));
    else if (kind === 'averagePool2d') out.push(inside.reduce((a, b) => a + b, 0) / inside.length);
    else out.push(Math.sqrt(inside.reduce((a, b) => a + b * b, 0)));
  }
  return out;
}

describe('validation', () => {
  for (const op of ['averagePool2d', 'l2Pool2d', 'maxPool2d'] as const) {
    test(op, () => {
      const b = new MLGraphBuilder(ctx);
      const x = b.input('x', f32(1, 2, 5, 5));
      const label = 'lbl';
      const pool = (o: object, input = x) => b[op](input, { label, ...o });
      assert.throws(() => pool({}, b.input('r3', f32(2, 5, 5))), opTypeError(op, 'lbl', /'input' has rank 3/));
      if (op !== 'maxPool2d') assert.throws(() => pool({}, b.input('i', { dataType: 'int8', shape: [1, 2, 5, 5] })), opTypeError(op, 'lbl', /'input' has data type int8/));
      assert.throws(() => pool({ windowDimensions: [2] }), opTypeError(op, 'lbl', /windowDimensions must have 2 values/));
      assert.throws(() => pool({ windowDimensions: [0, 2] }), opTypeError(op, 'lbl', /windowDimensions \[0, 2\] must not contain 0/));
      assert.throws(() => pool({ padding: [1, 1] }), opTypeError(op, 'lbl', /padding must have 4 values/));
      assert.throws(() => pool({ strides: [0, 1] }), opTypeError(op, 'lbl', /strides/));
      assert.throws(() => pool({ dilations: [1, 1, 1] }), opTypeError(op, 'lbl', /dilations must have 2 values/));
      assert.throws(() => pool({ outputSizes: [2] }), opTypeError(op, 'lbl', /outputSizes must have 2 values/));
      assert.throws(() => pool({ windowDimensions: [3, 3], strides: [2, 2], padding: [1, 0, 0, 1], outputSizes: [4, 4] }),
        opTypeError(op, 'lbl', /outputSizes \[4, 4\] must be the floor \[2, 2\] or the ceiling \[3, 3\]/));
      assert.throws(() => pool({ windowDimensions: [6, 6] }), opTypeError(op, 'lbl', /output size \[0, 0\] is not valid/));
      assert.throws(() => pool({ windowDimensions: [3, 3], dilations: [3, 1] }), opTypeError(op, 'lbl', /output size \[-1, 3\]/));
      assert.throws(() => pool({ layout: 'NCHW' }), opTypeError(op, 'lbl', /layout 'NCHW' is not one of nchw, nhwc/));
      assert.throws(() => pool({ outputShapeRounding: 'round' }), opTypeError(op, 'lbl', /outputShapeRounding 'round' is not one of floor, ceil/));
      // Global pooling by default; layouts and rounding choose the output shape.
      assert.deepEqual(pool({}).shape, [1, 2, 1, 1]);
      assert.deepEqual(pool({ layout: 'nhwc' }).shape, [1, 1, 1, 5]);
      assert.deepEqual(pool({ windowDimensions: [2, 2], strides: [2, 2] }).shape, [1, 2, 2, 2]);
      assert.deepEqual(pool({ windowDimensions: [2, 2], strides: [2, 2], outputShapeRounding: 'ceil' }).shape, [1, 2, 3, 3]);
      assert.deepEqual(pool({ windowDimensions: [2, 2], strides: [2, 2], roundingType: 'ceil' }).shape, [1, 2, 3, 3]);
      assert.deepEqual(pool({ windowDimensions: [2, 2], strides: [2, 2], outputShapeRounding: 'ceil', outputSizes: [2, 2] }).shape, [1, 2, 2, 2]);
    });
  }
});

const table: WptCase[] = POOLS.flatMap((op): WptCase[] => [
  ok(op, [f32(1, 3, 4, 4)], 'float32', [1, 3, 1, 1]),
  ok(op, [f16(1, 3, 4, 4), { windowDimensions: [3, 3] }], 'float16', [1, 3, 2, 2]),
  ok(op, [f32(1, 3, 5, 5), { windowDimensions: [5, 5], padding: [2, 2, 2, 2] }], 'float32', [1, 3, 5, 5]),
  ok(op, [f16(1, 3, 5, 5), { windowDimensions: [2, 2], strides: [2, 2] }], 'float16', [1, 3, 2, 2]),
  ok(op, [f32(1, 3, 5, 5), { windowDimensions: [3, 3], padding: [1, 1, 1, 1], strides: [2, 2] }], 'float32', [1, 3, 3, 3]),
  ok(op, [f32(1, 3, 7, 7), { windowDimensions: [4, 4], padding: [2, 1, 2, 1], strides: [2, 2] }], 'float32', [1, 3, 4, 4]),
  ok(op, [f32(1, 3, 7, 7), { windowDimensions: [4, 4], padding: [1, 1, 1, 1], strides: [2, 2], roundingType: 'floor' }], 'float32', [1, 3, 3, 3]),
  ok(op, [f16(1, 3, 7, 7), { windowDimensions: [4, 4], padding: [1, 1, 1, 1], strides: [2, 2], roundingType: 'ceil' }], 'float16', [1, 3, 4, 4]),
  ok(op, [f32(1, 3, 7, 7), { windowDimensions: [4, 4], padding: [1, 1, 1, 1], strides: [2, 2], roundingType: 'ceil', outputSizes: [3, 3] }], 'float32', [1, 3, 3, 3]),
  ok(op, [f32(1, 3, 7, 7), { windowDimensions: [4, 4], padding: [1, 1, 1, 1], strides: [2, 2], outputSizes: [4, 4] }], 'float32', [1, 3, 4, 4]),
  ok(op, [f32(1, 2, 5, 5), { windowDimensions: [3, 3], layout: 'nchw' }], 'float32', [1, 2, 3, 3]),
  ok(op, [f16(1, 5, 5, 2), { windowDimensions: [3, 3], layout: 'nhwc' }], 'float16', [1, 3, 3, 2]),
  bad(op, [f32(1, 5, 5)]),
  bad(op, [f32(1, 2, 5, 5), { windowDimensions: [2, 2], padding: [2, 2, 2, 2], strides: [2, 2], outputSizes: [3, 3] }], 'outputSizes match neither rounding'),
  bad(op, [f32(1, 2, 5, 5), { windowDimensions: [2, 2], padding: [2, 2, 2, 2], strides: [2, 2], outputSizes: [1, 2, 4, 4] }]),
  bad(op, [f32(1, 2, 5, 5), { windowDimensions: [2, 2], padding: [2, 2, 2, 2], strides: [2, 2], outputSizes: [0, 4] }]),
  bad(op, [f32(1, 2, 5, 5), { windowDimensions: [2, 2], padding: [2, 2, 2, 2], strides: [2, 2], outputSizes: [4, 0] }]),
  bad(op, [f32(1, 2, 5, 5), { windowDimensions: [1, 1, 1, 1] }]),
  bad(op, [f32(1, 2, 5, 5), { windowDimensions: [0, 2] }]),
  bad(op, [f32(1, 2, 5, 5), { windowDimensions: [8, 2] }]),
  bad(op, [f32(1, 2, 5, 5), { windowDimensions: [2, 8] }]),
  bad(op, [f32(1, 2, 5, 5), { windowDimensions: [6, 3] }]),
  bad(op, [f32(1, 2, 5, 5), { windowDimensions: [3, 6] }]),
  bad(op, [f32(1, 2, 5, 5), { padding: [2, 2] }]),
  bad(op, [f32(1, 2, 5, 5), { strides: [2] }]),
  bad(op, [f32(1, 2, 5, 5), { strides: [0, 2] }]),
  bad(op, [f32(1, 2, 5, 5), { dilations: [1, 1, 2] }]),
  bad(op, [f32(1, 2, 5, 5), { dilations: [1, 0] }]),
  bad(op, [f32(1, 3, 5, 5), { padding: [MAX_ULONG, MAX_ULONG, 0, 0] }]),
  bad(op, [f32(1, 3, 5, 5), { padding: [0, 0, MAX_ULONG, MAX_ULONG] }]),
]).concat(
  (['int32', 'uint32', 'int8', 'uint8'] as const).map((dt) => ok('maxPool2d', [desc(dt, [1, 3, 4, 4])], dt, [1, 3, 1, 1])),
  [bad('averagePool2d', [desc('int64', [1, 2, 3, 3])]), bad('l2Pool2d', [desc('uint8', [1, 2, 4, 4])])],
);
validationTable('pooling', table);

test('opSupportLimits reports the spec tables as far as they run', () => {
  const limits = ctx.opSupportLimits() as unknown as Record<string, Limits>;
  const rank4 = { min: 4, max: 4 };
  const float = ['float32', 'float16'];
  for (const op of ['averagePool2d', 'l2Pool2d']) {
    assert.deepEqual(limits[op], { input: { dataTypes: float, rankRange: rank4 }, output: { dataTypes: float, rankRange: rank4 } });
  }
  const maxTypes = ['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64', 'int8', 'uint8'];
  assert.deepEqual(limits.maxPool2d, { input: { dataTypes: maxTypes, rankRange: rank4 }, output: { dataTypes: maxTypes, rankRange: rank4 } });
});

test('every advertised type of the single-input operators runs and computes', async (t) => {
  // Inputs of shape [2, 3, 1, 2]: pool over pairs along the last axis, resample that axis to 4.
  const pairs = (f: (a: number, b: number) => number) => (xs: number[][]) => {
    const out: number[] = [];
    for (let i = 0; i < xs[0]!.length; i += 2) out.push(f(xs[0]![i]!, xs[0]![i + 1]!));
    return out;
  };
  const window = { windowDimensions: [1, 2] };
  await checkAdvertised(t, {
    maxPool2d: { inputs: 1, values: (i) => (i * 5) % 7, call: (b, [x]) => b.maxPool2d(x!, window), ref: pairs(Math.max) },
    averagePool2d: { inputs: 1, values: (i) => (i * 5) % 7, call: (b, [x]) => b.averagePool2d(x!, window), ref: pairs((a, c) => (a + c) / 2) },
    l2Pool2d: { inputs: 1, values: (i) => (i * 5) % 7, call: (b, [x]) => b.l2Pool2d(x!, window), ref: pairs((a, c) => Math.hypot(a, c)) },
  });
});

describe('maxPool2d on every data type', () => {
  test('opSupportLimits() lists every data type for maxPool2d, as the spec table does ("any")', () => {
    const limits = ctx.opSupportLimits() as unknown as Record<string, Record<string, { dataTypes: string[] }>>;
    const all = ['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64', 'int8', 'uint8'];
    assert.deepEqual([...limits.maxPool2d!.input!.dataTypes].sort(), [...all].sort());
    assert.deepEqual([...limits.maxPool2d!.output!.dataTypes].sort(), [...all].sort());
  });

  for (const dataType of ['int64', 'uint64'] as const) {
    test(`${dataType} max pooling is exact beyond 2^53, with padding, strides, dilations, ceil rounding and nhwc`, async () => {
      const [H, W, C] = [3, 5, 2];
      const big = dataType === 'int64' ? [2n ** 62n + 1n, 2n ** 62n, -(2n ** 63n) + 3n, 2n ** 63n - 1n, -5n, 2n ** 53n + 1n, 2n ** 53n]
        : [2n ** 64n - 1n, 2n ** 64n - 2n, 2n ** 63n + 1n, 2n ** 63n, 0n, 2n ** 53n + 1n, 2n ** 53n];
      const wrap = (v: bigint) => (dataType === 'int64' ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v));
      const x = Array.from({ length: H * W * C }, (_, i) => wrap(big[(i * 3) % big.length]! + BigInt(i % 2)));
      const opts = { windowDimensions: [2, 2], strides: [2, 1], dilations: [1, 2], padding: [1, 0, 0, 1], outputShapeRounding: 'ceil' as const, layout: 'nhwc' as const };
      const b = new MLGraphBuilder(ctx);
      const y = b.maxPool2d(b.input('x', { dataType, shape: [1, H, W, C] }), opts);
      // height ceil((3 - 2 + 1) / 2 + 1) = 2, width (5 - 3 + 1) / 1 + 1 = 4
      assert.deepEqual([...y.shape], [1, 2, 4, C]);
      const graph = await b.build({ y });
      const arr = dataType === 'int64' ? BigInt64Array.from(x) : BigUint64Array.from(x);
      const out = [...((await ctx.compute(graph, { x: arr })).y!.data as BigInt64Array | BigUint64Array)];
      const lowest = dataType === 'int64' ? -(2n ** 63n) : 0n;
      const expected: bigint[] = [];
      for (let oh = 0; oh < 2; oh++) for (let ow = 0; ow < 4; ow++) for (let c = 0; c < C; c++) {
        let m = lowest;
        for (let kh = 0; kh < 2; kh++) for (let kw = 0; kw < 2; kw++) {
          const ih = oh * 2 - 1 + kh;
          const iw = ow + kw * 2;
          if (ih < 0 || ih >= H || iw >= W) continue;
          const v = x[(ih * W + iw) * C + c]!;
          if (v > m) m = v;
        }
        expected.push(m);
      }
      assert.deepEqual(out, expected);
    });
  }
});

describe('pooling values', () => {
  const xNchw = [1, 2, 5, 6];
  const x = sampleValues(count(xNchw), 9);
  for (const op of ['averagePool2d', 'l2Pool2d', 'maxPool2d'] as const) {
    for (const [layout, dataType] of [['nchw', 'float32'], ['nhwc', 'float32'], ['nhwc', 'float16']] as const) {
      test(`${op} ${dataType} ${layout}, padding, dilations, strides and ceil rounding`, async () => {
        const opts = { windowDimensions: [2, 3], padding: [1, 0, 2, 1], strides: [2, 2], dilations: [2, 1] };
        // height (5 - 3 + 1) / 2 + 1 = 2.5 → 3 with ceil; width (6 - 3 + 3) / 2 + 1 = 4.
        const outHW = [3, 4];
        const ref = poolRef(op, x, xNchw, outHW, { ...opts, window: opts.windowDimensions });
        const out = await runGraph((b, o) => b[op](o.x!, { ...opts, layout, outputShapeRounding: 'ceil' }), {
          x: { type: dataType, shape: layout === 'nchw' ? xNchw : [1, 5, 6, 2], data: layout === 'nchw' ? x : permute(x, xNchw, [0, 2, 3, 1]) },
        });
        assert.deepEqual(out.shape, layout === 'nchw' ? [1, 2, 3, 4] : [1, 3, 4, 2]);
        const expected = layout === 'nchw' ? ref : permute(ref, [1, 2, 3, 4], [0, 2, 3, 1]);
        assertClose(out.data, expected, dataType === 'float16' ? 2e-3 : 1e-6, `${op} ${layout}`);
      });
    }
  }

  // Padding as large as the window, and ceil-rounded windows that start past the input: onnxruntime's pooling
  // kernels take neither. Windows without any input element give -Infinity (max), NaN (average), 0 (L2).
  for (const op of ['averagePool2d', 'l2Pool2d', 'maxPool2d'] as const) {
    for (const dataType of ['float32', 'float16'] as const) {
      test(`${op} ${dataType} with padding beyond the window and ceil windows past the input`, async () => {
        const xs = [1, 2, 4, 3];
        const data = sampleValues(count(xs), 12);
        const opts = { windowDimensions: [2, 1], padding: [2, 3, 0, 1], strides: [2, 2], dilations: [1, 1] };
        // height (4 - 2 + 5) / 2 + 1 = 4.5 → 5; width (3 - 1 + 1) / 2 + 1 = 2.5 → 3 (the last starts past the input).
        const out = await runGraph((b, o) => b[op](o.x!, { ...opts, outputShapeRounding: 'ceil', layout: 'nhwc' }), {
          x: { type: dataType, shape: [1, 4, 3, 2], data: permute(data, xs, [0, 2, 3, 1]) },
        });
        assert.deepEqual(out.shape, [1, 5, 3, 2]);
        const ref = poolRef(op, data, xs, [5, 3], { ...opts, window: opts.windowDimensions });
        assertClose(out.data, permute(ref, [1, 2, 5, 3], [0, 2, 3, 1]), dataType === 'float16' ? 2e-3 : 1e-6, op);
      });
    }
  }

  test('maxPool2d on integers with padding beyond the window', async () => {
    for (const dataType of ['int32', 'uint8'] as const) {
      const out = await runGraph((b, o) => b.maxPool2d(o.x!, { windowDimensions: [1, 1], padding: [0, 0, 1, 1] }), {
        x: { type: dataType, shape: [1, 1, 1, 2], data: [7, 9] },
      });
      assert.deepEqual(out.data, [dataType === 'int32' ? -(2 ** 31) : 0, 7, 9, dataType === 'int32' ? -(2 ** 31) : 0]);
    }
  });

  test('averagePool2d divides by the elements inside the input, not the window size', async () => {
    const out = await runGraph((b, o) => b.averagePool2d(o.x!, { windowDimensions: [3, 3], padding: [1, 1, 1, 1] }), {
      x: { type: 'float32', shape: [1, 1, 2, 2], data: [1, 2, 3, 4] },
    });
    assert.deepEqual(out.data, [2.5, 2.5, 2.5, 2.5]);
  });

  test('maxPool2d on 32-bit and 8-bit integers is exact', async () => {
    const cases: [MLOperandDataType, number[]][] = [
      ['int32', [2 ** 30 + 1, 2 ** 30, -(2 ** 31), 2 ** 31 - 1, -7, -8, 16777217, 16777216]],
      ['uint32', [2 ** 32 - 1, 2 ** 32 - 2, 0, 16777217, 3, 4, 5, 1]],
      ['int8', [-128, 127, -1, 0, 5, -5, 3, 3]],
      ['uint8', [255, 0, 254, 1, 9, 8, 7, 6]],
    ];
    for (const [dataType, data] of cases) {
      const out = await runGraph((b, o) => b.maxPool2d(o.x!, { windowDimensions: [1, 2], strides: [1, 2], padding: [0, 0, 1, 1] }), {
        x: { type: dataType, shape: [1, 1, 2, 4], data },
      });
      assert.deepEqual(out.shape, [1, 1, 2, 3]);
      const expected = [data[0]!, Math.max(data[1]!, data[2]!), data[3]!, data[4]!, Math.max(data[5]!, data[6]!), data[7]!];
      assert.deepEqual(out.data, expected, dataType);
    }
  });
});
