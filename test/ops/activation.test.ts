// Activations (clamp, elu, gelu, hardSigmoid, hardSwish, leakyRelu, linear, prelu, relu, sigmoid, softmax, softplus,
// softsign, tanh): validation, the MLNumber options cast to the input type, prelu's two-way broadcasting, softmax
// against a JS reference, and every data type and rank opSupportLimits() advertises.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { castNumber } from '../../src/graph/cast.js';
import { MLGraphBuilder, MLOperand, MLContext, toFloat16Bits, fromFloat16Bits } from '../../src/index.js';
import { f32, f16, i32, u32, u8, indices, at, sequence, erf, assertUlps, typeError, context, run, freshInput } from '../support/index.js';
import { checkAdvertised, map1, zip2, signed, unary, halves, type Case } from '../support/limits.js';
import { validationTable, ok, bad, type WptCase } from '../support/wpt.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

const L = { label: 'L1' };

describe('validation', () => {
  const floatUnary = ['gelu', 'hardSwish', 'softplus', 'softsign', 'elu', 'hardSigmoid', 'leakyRelu', 'linear'] as const;
  for (const op of floatUnary) {
    test(`${op} rejects integer input and non-operands`, () => {
      const b = new MLGraphBuilder(ctx);
      assert.throws(() => b[op](freshInput(b, 'int32', [2]), L), typeError(new RegExp(`^${op} \\[L1\\]: 'input' has data type int32, which is not one of the supported types \\(float32, float16\\)`)));
      assert.throws(() => b[op]({} as MLOperand, L), typeError(new RegExp(`^${op} \\[L1\\]: argument 'input' is not an MLOperand of this builder`)));
      assert.throws(() => b[op](new MLGraphBuilder(ctx).input('other', { dataType: 'float32', shape: [1] }), L), typeError(new RegExp(`^${op} \\[L1\\]: argument 'input' is not an MLOperand`)));
    });
  }

  test('clamp: options are MLNumbers cast to the input type, then minValue must not exceed maxValue', () => {
    const b = new MLGraphBuilder(ctx);
    const x = freshInput(b, 'float32', [3]);
    assert.throws(() => b.clamp(x, { minValue: 2, maxValue: 1, label: 'L1' }), typeError(/^clamp \[L1\]: minValue 2 is greater than maxValue 1/));
    assert.throws(() => b.clamp(x, { minValue: {} as never, label: 'L1' }), typeError(/^clamp \[L1\]: minValue must be a number or bigint/));
    assert.throws(() => b.clamp(x, 7 as never), typeError(/^clamp: options must be a dictionary/));
    // After casting to uint8, -1 becomes 0, below minValue 5.
    assert.throws(() => b.clamp(freshInput(b, 'uint8', [3]), { minValue: 5, maxValue: -1, label: 'L1' }), typeError(/^clamp \[L1\]: minValue 5 is greater than maxValue 0 \(after casting to uint8\)/));
    // 200 and 300 both saturate to 127 for int8: equal bounds are valid.
    assert.deepEqual(b.clamp(freshInput(b, 'int8', [3]), { minValue: 200, maxValue: 300 }).shape, [3]);
    // NaN bounds compare false, so they never fail validation.
    assert.equal(b.clamp(x, { minValue: NaN, maxValue: -Infinity }).dataType, 'float32');
    assert.equal(b.clamp(freshInput(b, 'uint64', [1]), { minValue: 1n, maxValue: 2n ** 64n }).dataType, 'uint64');
  });

  test('elu, hardSigmoid, leakyRelu, linear: alpha and beta must be finite doubles', () => {
    const b = new MLGraphBuilder(ctx);
    const x = freshInput(b, 'float32', [2]);
    assert.throws(() => b.elu(x, { alpha: Infinity, label: 'L1' }), typeError(/^elu \[L1\]: alpha must be a finite number \(got Infinity\)/));
    assert.throws(() => b.hardSigmoid(x, { beta: NaN, label: 'L1' }), typeError(/^hardSigmoid \[L1\]: beta must be a finite number \(got NaN\)/));
    assert.throws(() => b.leakyRelu(x, { alpha: 1n as never, label: 'L1' }), typeError(/^leakyRelu \[L1\]: alpha must be a finite number/));
    assert.throws(() => b.linear(x, { alpha: -Infinity, label: 'L1' }), typeError(/^linear \[L1\]: alpha must be a finite number/));
    assert.throws(() => b.linear(x, 'x' as never), typeError(/^linear: options must be a dictionary/));
  });

  test('prelu: input and slope share a permitted type and broadcast (both ways)', () => {
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.prelu(freshInput(b, 'uint8', [2]), freshInput(b, 'uint8', [2]), L), typeError(/^prelu \[L1\]: 'input' has data type uint8, which is not one of the supported types \(float32, float16, int64, int32, int8\)/));
    assert.throws(() => b.prelu(freshInput(b, 'float32', [2]), freshInput(b, 'float16', [2]), L), typeError(/^prelu \[L1\]: slope \(float16\) must have the input's data type \(float32\)/));
    assert.throws(() => b.prelu(freshInput(b, 'float32', [2, 3]), freshInput(b, 'float32', [2]), L), typeError(/^prelu \[L1\]: slope shape \[2\] is not broadcastable with input shape \[2, 3\]/));
    assert.throws(() => b.prelu(freshInput(b, 'float32', [2]), 3 as never, L), typeError(/^prelu \[L1\]: argument 'slope' is not an MLOperand/));
    assert.deepEqual(b.prelu(freshInput(b, 'int8', [2, 2, 3]), freshInput(b, 'int8', [3])).shape, [2, 2, 3]);
    assert.deepEqual(b.prelu(freshInput(b, 'float32', [3]), freshInput(b, 'float32', [2, 1])).shape, [2, 3]);
  });
});

describe('values', () => {
  test('clamp: NaN bounds bound nothing on floats; integer bounds saturate, bigints stay exact', async () => {
    const f = { dataType: 'float32' as const, shape: [4], values: [-Infinity, -3, 5, Infinity] };
    assert.deepEqual((await run([f], (b, x) => b.clamp(x!, { minValue: NaN, maxValue: 4 }))).data, [-Infinity, -3, 4, 4]);
    assert.deepEqual((await run([f], (b, x) => b.clamp(x!, { maxValue: NaN }))).data, [-Infinity, -3, 5, Infinity]);
    assert.deepEqual((await run([f], (b, x) => b.clamp(x!))).data, [-Infinity, -3, 5, Infinity]);
    const i8 = { dataType: 'int8' as const, shape: [4], values: [-128, -1, 0, 127] };
    assert.deepEqual((await run([i8], (b, x) => b.clamp(x!, { minValue: -1000, maxValue: 1000 }))).data, [-128, -1, 0, 127]);
    // Fractional bounds truncate toward zero (the WPT mlNumber cases): 2.5 → 2, 3.5 → 3.
    assert.deepEqual((await run([i8], (b, x) => b.clamp(x!, { minValue: 2.5, maxValue: 3.5 }))).data, [2, 2, 2, 3]);
    // The spec's cast takes NaN to 0 for integer types, so there a NaN bound is a bound at 0.
    assert.deepEqual((await run([i8], (b, x) => b.clamp(x!, { minValue: NaN }))).data, [0, 0, 0, 127]);
    const u64 = { dataType: 'uint64' as const, shape: [3], values: [0n, 2n ** 63n, 2n ** 64n - 1n] };
    assert.deepEqual((await run([u64], (b, x) => b.clamp(x!, { minValue: 2n ** 53n + 1n, maxValue: 2n ** 64n - 2n }))).data, [2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 2n]);
  });

  test('prelu broadcasts slope and input both ways, on floats and integers', async () => {
    const x = { dataType: 'float32' as const, shape: [3], values: [-2, 0, 4] };
    const slope = { dataType: 'float32' as const, shape: [2, 1], values: [0.5, -1] };
    const r = await run([x, slope], (b, v, s) => b.prelu(v!, s!));
    assert.deepEqual([r.shape, r.data], [[2, 3], [-1, 0, 4, 2, 0, 4]]);
    const i = await run([{ dataType: 'int8', shape: [2, 2], values: [-3, 5, -100, 0] }, { dataType: 'int8', shape: [2], values: [2, -1] }], (b, v, s) => b.prelu(v!, s!));
    assert.deepEqual(i.data, [-6, 5, -200 + 256, 0]); // int8 products wrap, as integer arithmetic does
    const s0 = await run([{ dataType: 'int64', shape: [], values: [-7n] }, { dataType: 'int64', shape: [], values: [3n] }], (b, v, s) => b.prelu(v!, s!));
    assert.deepEqual([s0.shape, s0.data], [[], [-21n]]);
  });

  test('linear and leakyRelu cast alpha and beta to the input type', async () => {
    // 0.1 is not a float16; the spec casts it to float16 first (0.0999755859375), so 1000·alpha is 99.97..., not 100.
    const r = await run([{ dataType: 'float16', shape: [1], values: [1000] }], (b, x) => b.linear(x!, { alpha: 0.1 }));
    assert.equal(r.data[0], fromFloat16Bits(toFloat16Bits(1000 * fromFloat16Bits(toFloat16Bits(0.1)))));
    const l = await run([{ dataType: 'float32', shape: [2], values: [-2, 3] }], (b, x) => b.leakyRelu(x!));
    assert.deepEqual(l.data, [Math.fround(-2 * Math.fround(0.01)), 3]);
  });

  test('softmax on axis 0 of a rank-4 input, with a column of large values', async () => {
    const shape = [3, 2, 1, 2];
    const x = sequence(12, (i) => (i % 5) - 2 + (i === 3 ? 1000 : 0) + (i === 7 ? -1000 : 0));
    const expected = indices(shape).map((idx) => {
      const column = [0, 1, 2].map((k) => Number(at(x, shape, [k, ...idx.slice(1)])));
      const max = Math.max(...column);
      return Math.exp(Number(at(x, shape, idx)) - max) / column.reduce((s, v) => s + Math.exp(v - max), 0);
    });
    assertUlps(await run([{ dataType: 'float32', shape, values: x }], (b, v) => b.softmax(v, 0)), shape, expected);
  });
});

const table: WptCase[] = [
  ok('prelu', [f32(3, 2, 5), f32(3, 2, 5)], 'float32', [3, 2, 5]),
  ok('prelu', [f32(3, 2, 5), f32(5)], 'float32', [3, 2, 5]),
  ok('prelu', [f32(3, 2, 5), f32()], 'float32', [3, 2, 5]),
  ok('prelu', [f32(3, 2, 5), f32(2, 5)], 'float32', [3, 2, 5]),
  bad('prelu', [f32(3, 2, 5), f32(2)]),
  bad('prelu', [f32(3, 2, 5), i32(3, 2, 5)]),
  // spec: prelu broadcasts input and slope bidirectionally, so the output may be larger than the input.
  ok('prelu', [f32(2, 5), f32(3, 2, 5)], 'float32', [3, 2, 5]),
  ok('clamp', [u32(1, 2, 3), { minValue: 1, maxValue: 3 }], 'uint32', [1, 2, 3]),
  ok('clamp', [i32(1, 2, 3, 4), { minValue: 0, maxValue: 0 }], 'int32', [1, 2, 3, 4]),
  ok('clamp', [f32(2)], 'float32', [2]),
  bad('clamp', [u8(1, 2, 3), { minValue: 3, maxValue: 1 }]),
  // spec: minValue/maxValue are MLNumber (unrestricted) and only min > max is an error, so -Infinity is valid; an
  // older WPT case threw on it (pending webnn#647 at the time).
  ok('clamp', [f16(), { minValue: -Infinity }], 'float16', []),
  ok('clamp', [f32(2), { minValue: 1n, maxValue: 2n }], 'float32', [2]),
  ok('softmax', [f32(4, 4, 3), 1], 'float32', [4, 4, 3]),
  ok('softmax', [f16(3, 1, 5, 2), 2], 'float16', [3, 1, 5, 2]),
  bad('softmax', [i32(3, 1, 5, 2), 3]),
  bad('softmax', [f16(3, 1, 5, 2), 4]),
  bad('softmax', [f32(), 0]),
];
validationTable('activation', table);

const advertised: Record<string, Case> = {
  relu: { inputs: 1, values: signed, call: (b, [x]) => b.relu(x!), ref: map1((a) => Math.max(a, 0)) },
  sigmoid: { inputs: 1, values: (i) => (i % 5) - 2, call: (b, [x]) => b.sigmoid(x!), ref: map1((a) => 1 / (1 + Math.exp(-a))) },
  tanh: { inputs: 1, values: (i) => (i % 5) - 2, call: (b, [x]) => b.tanh(x!), ref: map1(Math.tanh) },
  softmax: {
    inputs: 1, values: (i) => (i % 5) - 2, call: (b, [x], _t, rank) => b.softmax(x!, rank - 1),
    ref: (xs, s) => {
      const last = s[s.length - 1]!;
      const out: number[] = [];
      for (let r = 0; r < xs[0]!.length; r += last) {
        const row = xs[0]!.slice(r, r + last).map(Math.exp);
        const sum = row.reduce((a, b) => a + b, 0);
        out.push(...row.map((v) => v / sum));
      }
      return out;
    },
  },
  clamp: {
    inputs: 1, values: signed, call: (b, [x]) => b.clamp(x!, { minValue: -1, maxValue: 2 }),
    ref: (xs, _s, t) => xs[0]!.map((a) => Math.min(Math.max(a, Number(castNumber(-1, t))), 2)),
  },
  elu: unary((b, [x]) => b.elu(x!, { alpha: 0.5 }), (a) => (a >= 0 ? a : 0.5 * (Math.exp(a) - 1)), halves),
  gelu: unary((b, [x]) => b.gelu(x!), (a) => 0.5 * a * (1 + erf(a / Math.SQRT2)), halves),
  hardSigmoid: unary((b, [x]) => b.hardSigmoid(x!, { alpha: 0.25, beta: 0.5 }), (a) => Math.max(0, Math.min(1, 0.25 * a + 0.5)), halves),
  hardSwish: unary((b, [x]) => b.hardSwish(x!), (a) => (a * Math.max(0, Math.min(6, a + 3))) / 6, (i) => (i % 9) - 4),
  leakyRelu: unary((b, [x]) => b.leakyRelu(x!, { alpha: 0.5 }), (a) => (a >= 0 ? a : 0.5 * a), halves),
  linear: unary((b, [x]) => b.linear(x!, { alpha: 2, beta: 0.5 }), (a) => 2 * a + 0.5, halves),
  softplus: unary((b, [x]) => b.softplus(x!), (a) => Math.log1p(Math.exp(a)), halves),
  softsign: unary((b, [x]) => b.softsign(x!), (a) => a / (1 + Math.abs(a)), halves),
  prelu: {
    inputs: 2, values: (i, arg, t) => (arg === 0 ? signed(i, arg, t) : 1 + (i % 3)), param: 'input',
    call: (b, [x, slope]) => b.prelu(x!, slope!), ref: zip2((a, s) => (a < 0 ? a * s : a)),
  },
};

test('every data type and rank opSupportLimits() advertises for the activation operators builds, runs and computes', async (t) => {
  await checkAdvertised(t, advertised);
});
