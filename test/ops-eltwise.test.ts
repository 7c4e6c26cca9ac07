// Element-wise unary, logical, activation and where operators: validation the way the spec's steps say (TypeError
// naming the operator and its label), output descriptors (broadcasting, uint8 predicates), and the semantics the
// lowering must get exactly right (NaN, ties, casts of MLNumber options, broadcasting of prelu and where).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, toFloat16Bits, fromFloat16Bits, type MLContext, type MLOperand, type MLOperandDataType } from '../src/index.js';
import { DTYPES, type TypedArray } from '../src/graph/dtypes.js';
import { typeError } from './support/errors.js';

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});

const builder = () => new MLGraphBuilder(ctx);
const input = (b: MLGraphBuilder, dataType: MLOperandDataType, shape: number[], name = `x${Math.random()}`) => b.input(name, { dataType, shape });
const L = { label: 'L1' };

function encode(t: MLOperandDataType, values: readonly (number | bigint)[]): TypedArray {
  const d = DTYPES[t];
  const out = new d.array(values.length);
  values.forEach((v, i) => {
    if (d.big) (out as BigInt64Array)[i] = BigInt(v);
    else if (t === 'float16') (out as Uint16Array)[i] = toFloat16Bits(Number(v));
    else (out as Float32Array)[i] = Number(v);
  });
  return out;
}
function decode(t: MLOperandDataType, a: TypedArray): (number | bigint)[] {
  return Array.from(a as ArrayLike<number | bigint>).map((v) => (t === 'float16' ? fromFloat16Bits(Number(v)) : v));
}

/** Builds `f` over inputs of the given types/shapes/values and returns the output's shape and values. */
async function run(
  inputs: { t: MLOperandDataType; shape: number[]; values: (number | bigint)[] }[],
  f: (b: MLGraphBuilder, xs: MLOperand[]) => MLOperand,
): Promise<{ shape: number[]; dataType: MLOperandDataType; values: (number | bigint)[] }> {
  const b = builder();
  const xs = inputs.map((x, i) => b.input(`x${i}`, { dataType: x.t, shape: x.shape }));
  const y = f(b, xs);
  const graph = await b.build({ y });
  const out = (await ctx.compute(graph, Object.fromEntries(inputs.map((x, i) => [`x${i}`, encode(x.t, x.values)])))).y!;
  graph.destroy();
  return { shape: [...y.shape], dataType: y.dataType, values: decode(y.dataType, out.data) };
}

describe('validation', () => {
  const floatUnary = ['ceil', 'cos', 'erf', 'floor', 'reciprocal', 'roundEven', 'sin', 'tan', 'gelu', 'hardSwish', 'softplus', 'softsign', 'elu', 'hardSigmoid', 'leakyRelu', 'linear'] as const;
  for (const op of floatUnary) {
    test(`${op} rejects integer input and non-operands`, () => {
      const b = builder();
      assert.throws(() => b[op](input(b, 'int32', [2]), L), typeError(new RegExp(`^${op} \\[L1\\]: 'input' has data type int32, which is not one of the supported types \\(float32, float16\\)`)));
      assert.throws(() => b[op]({} as MLOperand, L), typeError(new RegExp(`^${op} \\[L1\\]: argument 'input' is not an MLOperand of this builder`)));
      assert.throws(() => b[op](builder().input('other', { dataType: 'float32', shape: [1] }), L), typeError(new RegExp(`^${op} \\[L1\\]: argument 'input' is not an MLOperand`)));
    });
  }

  test('sign accepts the signed types only', () => {
    const b = builder();
    for (const t of ['float32', 'float16', 'int64', 'int32', 'int8'] as const) assert.equal(b.sign(input(b, t, [2])).dataType, t);
    assert.throws(() => b.sign(input(b, 'uint8', [2]), L), typeError(/^sign \[L1\]: 'input' has data type uint8/));
    assert.throws(() => b.sign(input(b, 'uint32', [2]), L), typeError(/^sign \[L1\]: 'input' has data type uint32/));
  });

  for (const op of ['equal', 'notEqual', 'greater', 'greaterOrEqual', 'lesser', 'lesserOrEqual'] as const) {
    test(`${op}: same data type, broadcastable shapes, uint8 output`, () => {
      const b = builder();
      assert.throws(() => b[op](input(b, 'float32', [2]), input(b, 'int32', [2]), L), typeError(new RegExp(`^${op} \\[L1\\]: a \\(float32\\) and b \\(int32\\) must have the same data type`)));
      assert.throws(() => b[op](input(b, 'int8', [2, 3]), input(b, 'int8', [4]), L), typeError(new RegExp(`^${op} \\[L1\\]: shapes \\[2, 3\\] and \\[4\\] are not broadcastable`)));
      assert.throws(() => b[op](input(b, 'int8', [2]), undefined as unknown as MLOperand, L), typeError(new RegExp(`^${op} \\[L1\\]: argument 'b' is required`)));
      const y = b[op](input(b, 'uint64', [2, 1, 3]), input(b, 'uint64', [4, 1]));
      assert.deepEqual([y.dataType, y.shape], ['uint8', [2, 4, 3]]);
      const s = b[op](input(b, 'float16', []), input(b, 'float16', []));
      assert.deepEqual([s.dataType, s.shape], ['uint8', []]);
    });
  }

  for (const op of ['logicalAnd', 'logicalOr', 'logicalXor'] as const) {
    test(`${op}: uint8 operands only, broadcastable shapes`, () => {
      const b = builder();
      assert.throws(() => b[op](input(b, 'float32', [2]), input(b, 'float32', [2]), L), typeError(new RegExp(`^${op} \\[L1\\]: 'a' has data type float32, which is not one of the supported types \\(uint8\\)`)));
      assert.throws(() => b[op](input(b, 'uint8', [2]), input(b, 'int8', [2]), L), typeError(new RegExp(`^${op} \\[L1\\]: 'b' has data type int8`)));
      assert.throws(() => b[op](input(b, 'uint8', [3]), input(b, 'uint8', [2]), L), typeError(new RegExp(`^${op} \\[L1\\]: shapes \\[3\\] and \\[2\\] are not broadcastable`)));
      assert.deepEqual(b[op](input(b, 'uint8', [3, 1]), input(b, 'uint8', [2])).shape, [3, 2]);
    });
  }

  test('logicalNot takes uint8; isNaN and isInfinite take floats; all give uint8 of the input shape', () => {
    const b = builder();
    assert.throws(() => b.logicalNot(input(b, 'int32', [2]), L), typeError(/^logicalNot \[L1\]: 'a' has data type int32, which is not one of the supported types \(uint8\)/));
    for (const op of ['isNaN', 'isInfinite'] as const) {
      assert.throws(() => b[op](input(b, 'int32', [2]), L), typeError(new RegExp(`^${op} \\[L1\\]: 'a' has data type int32, which is not one of the supported types \\(float32, float16\\)`)));
      const y = b[op](input(b, 'float16', [2, 5]));
      assert.deepEqual([y.dataType, y.shape], ['uint8', [2, 5]]);
    }
    assert.deepEqual(b.logicalNot(input(b, 'uint8', [])).shape, []);
  });

  test('clamp: options are MLNumbers cast to the input type, then minValue must not exceed maxValue', () => {
    const b = builder();
    const x = input(b, 'float32', [3]);
    assert.throws(() => b.clamp(x, { minValue: 2, maxValue: 1, label: 'L1' }), typeError(/^clamp \[L1\]: minValue 2 is greater than maxValue 1/));
    assert.throws(() => b.clamp(x, { minValue: {} as never, label: 'L1' }), typeError(/^clamp \[L1\]: minValue must be a number or bigint/));
    assert.throws(() => b.clamp(x, 7 as never), typeError(/^clamp: options must be a dictionary/));
    // After casting to uint8, -1 becomes 0, below minValue 5.
    assert.throws(() => b.clamp(input(b, 'uint8', [3]), { minValue: 5, maxValue: -1, label: 'L1' }), typeError(/^clamp \[L1\]: minValue 5 is greater than maxValue 0 \(after casting to uint8\)/));
    // 200 and 300 both saturate to 127 for int8: equal bounds are valid.
    assert.deepEqual(b.clamp(input(b, 'int8', [3]), { minValue: 200, maxValue: 300 }).shape, [3]);
    // NaN bounds compare false, so they never fail validation.
    assert.equal(b.clamp(x, { minValue: NaN, maxValue: -Infinity }).dataType, 'float32');
    assert.equal(b.clamp(input(b, 'uint64', [1]), { minValue: 1n, maxValue: 2n ** 64n }).dataType, 'uint64');
  });

  test('elu, hardSigmoid, leakyRelu, linear: alpha and beta must be finite doubles', () => {
    const b = builder();
    const x = input(b, 'float32', [2]);
    assert.throws(() => b.elu(x, { alpha: Infinity, label: 'L1' }), typeError(/^elu \[L1\]: alpha must be a finite number \(got Infinity\)/));
    assert.throws(() => b.hardSigmoid(x, { beta: NaN, label: 'L1' }), typeError(/^hardSigmoid \[L1\]: beta must be a finite number \(got NaN\)/));
    assert.throws(() => b.leakyRelu(x, { alpha: 1n as never, label: 'L1' }), typeError(/^leakyRelu \[L1\]: alpha must be a finite number/));
    assert.throws(() => b.linear(x, { alpha: -Infinity, label: 'L1' }), typeError(/^linear \[L1\]: alpha must be a finite number/));
    assert.throws(() => b.linear(x, 'x' as never), typeError(/^linear: options must be a dictionary/));
  });

  test('prelu: input and slope share a permitted type and broadcast (both ways)', () => {
    const b = builder();
    assert.throws(() => b.prelu(input(b, 'uint8', [2]), input(b, 'uint8', [2]), L), typeError(/^prelu \[L1\]: 'input' has data type uint8, which is not one of the supported types \(float32, float16, int64, int32, int8\)/));
    assert.throws(() => b.prelu(input(b, 'float32', [2]), input(b, 'float16', [2]), L), typeError(/^prelu \[L1\]: slope \(float16\) must have the input's data type \(float32\)/));
    assert.throws(() => b.prelu(input(b, 'float32', [2, 3]), input(b, 'float32', [2]), L), typeError(/^prelu \[L1\]: slope shape \[2\] is not broadcastable with input shape \[2, 3\]/));
    assert.throws(() => b.prelu(input(b, 'float32', [2]), 3 as never, L), typeError(/^prelu \[L1\]: argument 'slope' is not an MLOperand/));
    assert.deepEqual(b.prelu(input(b, 'int8', [2, 2, 3]), input(b, 'int8', [3])).shape, [2, 2, 3]);
    assert.deepEqual(b.prelu(input(b, 'float32', [3]), input(b, 'float32', [2, 1])).shape, [2, 3]);
  });

  test('where: uint8 condition, same-typed values, three-way broadcasting', () => {
    const b = builder();
    const f = (shape: number[]) => input(b, 'float32', shape);
    const c = (shape: number[]) => input(b, 'uint8', shape);
    assert.throws(() => b.where(f([2]), f([2]), f([2]), L), typeError(/^where \[L1\]: 'condition' has data type float32, which is not one of the supported types \(uint8\)/));
    assert.throws(() => b.where(c([2]), f([2]), input(b, 'int32', [2]), L), typeError(/^where \[L1\]: trueValue \(float32\) and falseValue \(int32\) must have the same data type/));
    assert.throws(() => b.where(c([2]), f([3]), f([2]), L), typeError(/^where \[L1\]: trueValue shape \[3\] and falseValue shape \[2\] are not broadcastable/));
    assert.throws(() => b.where(c([4]), f([3]), f([1]), L), typeError(/^where \[L1\]: condition shape \[4\] is not broadcastable with the values' shape \[3\]/));
    assert.throws(() => b.where(c([1]), f([1]), undefined as never, L), typeError(/^where \[L1\]: argument 'falseValue' is required/));
    const y = b.where(c([2, 1, 1]), input(b, 'int8', [3, 1]), input(b, 'int8', [4]));
    assert.deepEqual([y.dataType, y.shape], ['int8', [2, 3, 4]]);
    assert.deepEqual(b.where(c([]), f([]), f([])).shape, []);
  });
});

describe('semantics', () => {
  test('max, min and clamp propagate NaN inputs (float32 and float16)', async () => {
    for (const t of ['float32', 'float16'] as const) {
      const a = { t, shape: [4], values: [NaN, 1, NaN, 2] };
      const c = { t, shape: [4], values: [1, NaN, NaN, 3] };
      assert.deepEqual((await run([a, c], (b, [x, y]) => b.max(x!, y!))).values, [NaN, NaN, NaN, 3], `max ${t}`);
      assert.deepEqual((await run([a, c], (b, [x, y]) => b.min(x!, y!))).values, [NaN, NaN, NaN, 2], `min ${t}`);
      assert.deepEqual((await run([a], (b, [x]) => b.clamp(x!, { minValue: 0, maxValue: 1.5 }))).values, [NaN, 1, NaN, 1.5], `clamp ${t}`);
    }
  });

  test('clamp: NaN bounds bound nothing on floats; integer bounds saturate, bigints stay exact', async () => {
    const f = { t: 'float32' as const, shape: [4], values: [-Infinity, -3, 5, Infinity] };
    assert.deepEqual((await run([f], (b, [x]) => b.clamp(x!, { minValue: NaN, maxValue: 4 }))).values, [-Infinity, -3, 4, 4]);
    assert.deepEqual((await run([f], (b, [x]) => b.clamp(x!, { maxValue: NaN }))).values, [-Infinity, -3, 5, Infinity]);
    assert.deepEqual((await run([f], (b, [x]) => b.clamp(x!))).values, [-Infinity, -3, 5, Infinity]);
    const i8 = { t: 'int8' as const, shape: [4], values: [-128, -1, 0, 127] };
    assert.deepEqual((await run([i8], (b, [x]) => b.clamp(x!, { minValue: -1000, maxValue: 1000 }))).values, [-128, -1, 0, 127]);
    // Fractional bounds truncate toward zero (the WPT mlNumber cases): 2.5 → 2, 3.5 → 3.
    assert.deepEqual((await run([i8], (b, [x]) => b.clamp(x!, { minValue: 2.5, maxValue: 3.5 }))).values, [2, 2, 2, 3]);
    // The spec's cast takes NaN to 0 for integer types, so there a NaN bound is a bound at 0.
    assert.deepEqual((await run([i8], (b, [x]) => b.clamp(x!, { minValue: NaN }))).values, [0, 0, 0, 127]);
    const u64 = { t: 'uint64' as const, shape: [3], values: [0n, 2n ** 63n, 2n ** 64n - 1n] };
    assert.deepEqual((await run([u64], (b, [x]) => b.clamp(x!, { minValue: 2n ** 53n + 1n, maxValue: 2n ** 64n - 2n }))).values, [2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 2n]);
  });

  test('roundEven rounds halves to even (float32 and float16), ceil and floor', async () => {
    const values = [0.1, 0.9, 1.1, 1.9, -3.5, -2.5, -1.5, 1.5, 2.5, 3.5, -0.5, 0.5];
    for (const t of ['float32', 'float16'] as const) {
      const x = { t, shape: [values.length], values };
      const r = await run([x], (b, [v]) => b.roundEven(v!));
      assert.deepEqual(r.values.map((v) => Object.is(v, -0) ? 0 : v), [0, 1, 1, 2, -4, -2, -2, 2, 2, 4, 0, 0], t);
      assert.deepEqual((await run([x], (b, [v]) => b.ceil(v!))).values, values.map((v) => Math.ceil(v)), `ceil ${t}`);
      assert.deepEqual((await run([x], (b, [v]) => b.floor(v!))).values, values.map((v) => Math.floor(v)), `floor ${t}`);
    }
  });

  test('comparisons give 0/1 uint8 with NaN unordered, and broadcast', async () => {
    const a = { t: 'float32' as const, shape: [4], values: [NaN, NaN, 1, 2] };
    const c = { t: 'float32' as const, shape: [4], values: [NaN, 1, 1, 1] };
    const expect = { equal: [0, 0, 1, 0], notEqual: [1, 1, 0, 1], greater: [0, 0, 0, 1], greaterOrEqual: [0, 0, 1, 1], lesser: [0, 0, 0, 0], lesserOrEqual: [0, 0, 1, 0] };
    for (const [op, want] of Object.entries(expect) as [keyof typeof expect, number[]][]) {
      const r = await run([a, c], (b, [x, y]) => b[op](x!, y!));
      assert.deepEqual([r.dataType, r.values], ['uint8', want], op);
    }
    const row = { t: 'int64' as const, shape: [1, 3], values: [-(2n ** 63n), 0n, 2n ** 63n - 1n] };
    const col = { t: 'int64' as const, shape: [2, 1], values: [0n, 2n ** 63n - 1n] };
    const g = await run([row, col], (b, [x, y]) => b.greaterOrEqual(x!, y!));
    assert.deepEqual([g.shape, g.values], [[2, 3], [0, 1, 1, 0, 0, 1]]);
    const s = await run([{ t: 'uint32', shape: [], values: [4294967295] }, { t: 'uint32', shape: [3], values: [0, 4294967295, 7] }], (b, [x, y]) => b.lesser(y!, x!));
    assert.deepEqual([s.shape, s.values], [[3], [1, 0, 1]]);
  });

  test('logical ops treat any nonzero uint8 as true and give 0/1', async () => {
    const a = { t: 'uint8' as const, shape: [4], values: [0, 0, 2, 255] };
    const c = { t: 'uint8' as const, shape: [4], values: [0, 7, 0, 128] };
    assert.deepEqual((await run([a, c], (b, [x, y]) => b.logicalAnd(x!, y!))).values, [0, 0, 0, 1]);
    assert.deepEqual((await run([a, c], (b, [x, y]) => b.logicalOr(x!, y!))).values, [0, 1, 1, 1]);
    assert.deepEqual((await run([a, c], (b, [x, y]) => b.logicalXor(x!, y!))).values, [0, 1, 1, 0]);
    assert.deepEqual((await run([a], (b, [x]) => b.logicalNot(x!))).values, [1, 1, 0, 0]);
    const scalar = await run([{ t: 'uint8', shape: [], values: [3] }, c], (b, [x, y]) => b.logicalAnd(x!, y!));
    assert.deepEqual(scalar.values, [0, 1, 0, 1]);
  });

  test('isNaN and isInfinite on float32 and float16', async () => {
    for (const t of ['float32', 'float16'] as const) {
      const x = { t, shape: [5], values: [NaN, Infinity, -Infinity, 65504, -0] };
      assert.deepEqual((await run([x], (b, [v]) => b.isNaN(v!))).values, [1, 0, 0, 0, 0], `isNaN ${t}`);
      assert.deepEqual((await run([x], (b, [v]) => b.isInfinite(v!))).values, [0, 1, 1, 0, 0], `isInfinite ${t}`);
    }
  });

  test('sign on every signed type: the int8 and int64 extremes, and NaN', async () => {
    assert.deepEqual((await run([{ t: 'int8', shape: [3], values: [-128, 0, 127] }], (b, [x]) => b.sign(x!))).values, [-1, 0, 1]);
    assert.deepEqual((await run([{ t: 'int64', shape: [2], values: [-(2n ** 63n), 2n ** 62n] }], (b, [x]) => b.sign(x!))).values, [-1n, 1n]);
    // The spec gives 1 for > 0, -1 for < 0 and 0 otherwise, so NaN gives 0.
    for (const t of ['float32', 'float16'] as const) {
      const f = await run([{ t, shape: [4], values: [-0.5, 0, 3, NaN] }], (b, [x]) => b.sign(x!));
      assert.deepEqual(f.values, [-1, 0, 1, 0], t);
    }
  });

  test('prelu broadcasts slope and input both ways, on floats and integers', async () => {
    const x = { t: 'float32' as const, shape: [3], values: [-2, 0, 4] };
    const slope = { t: 'float32' as const, shape: [2, 1], values: [0.5, -1] };
    const r = await run([x, slope], (b, [v, s]) => b.prelu(v!, s!));
    assert.deepEqual([r.shape, r.values], [[2, 3], [-1, 0, 4, 2, 0, 4]]);
    const i = await run([{ t: 'int8', shape: [2, 2], values: [-3, 5, -100, 0] }, { t: 'int8', shape: [2], values: [2, -1] }], (b, [v, s]) => b.prelu(v!, s!));
    assert.deepEqual(i.values, [-6, 5, -200 + 256, 0]); // int8 products wrap, as integer arithmetic does
    const s0 = await run([{ t: 'int64', shape: [], values: [-7n] }, { t: 'int64', shape: [], values: [3n] }], (b, [v, s]) => b.prelu(v!, s!));
    assert.deepEqual([s0.shape, s0.values], [[], [-21n]]);
  });

  test('where broadcasts condition, trueValue and falseValue together, for every value type', async () => {
    const cond = { t: 'uint8' as const, shape: [2, 1, 1], values: [0, 9] };
    for (const t of ['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64', 'int8', 'uint8'] as const) {
      const big = DTYPES[t].big;
      const v = (n: number) => (big ? BigInt(n) : n);
      const tv = { t, shape: [3, 1], values: [1, 2, 3].map(v) };
      const fv = { t, shape: [2], values: [7, 8].map(v) };
      const r = await run([cond, tv, fv], (b, [c, x, y]) => b.where(c!, x!, y!));
      assert.deepEqual([r.shape, r.values], [[2, 3, 2], [7, 8, 7, 8, 7, 8, 1, 1, 2, 2, 3, 3].map(v)], t);
    }
    const extremes = await run([{ t: 'uint8', shape: [2], values: [1, 0] }, { t: 'uint64', shape: [2], values: [2n ** 64n - 1n, 0n] }, { t: 'uint64', shape: [], values: [2n ** 63n] }],
      (b, [c, x, y]) => b.where(c!, x!, y!));
    assert.deepEqual(extremes.values, [2n ** 64n - 1n, 2n ** 63n]);
  });

  test('linear and leakyRelu cast alpha and beta to the input type', async () => {
    // 0.1 is not a float16; the spec casts it to float16 first (0.0999755859375), so 1000·alpha is 99.97..., not 100.
    const r = await run([{ t: 'float16', shape: [1], values: [1000] }], (b, [x]) => b.linear(x!, { alpha: 0.1 }));
    assert.equal(r.values[0], fromFloat16Bits(toFloat16Bits(1000 * fromFloat16Bits(toFloat16Bits(0.1)))));
    const l = await run([{ t: 'float32', shape: [2], values: [-2, 3] }], (b, [x]) => b.leakyRelu(x!));
    assert.deepEqual(l.values, [Math.fround(-2 * Math.fround(0.01)), 3]);
  });
});
