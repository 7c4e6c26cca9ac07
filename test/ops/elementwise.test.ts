// Element-wise binary and unary operators (add … pow, abs … tan, identity): validation (TypeError naming the
// operator and its label), values against JS references where the lowering must be exact (NaN, ties, integer
// division and powers, 64-bit compares), and every data type and rank opSupportLimits() advertises.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DTYPES } from '../../src/graph/dtypes.js';
import { ml, MLGraphBuilder, MLOperand, MLContext, type MLOperandDataType } from '../../src/index.js';
import { erf, roundHalfEven, typeError, context, run, freshInput } from '../support/index.js';
import { checkAdvertised, map1, zip2, small, signed, unary, halves, type Case } from '../support/limits.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

const L = { label: 'L1' };

describe('validation', () => {
  const floatUnary = ['ceil', 'cos', 'erf', 'floor', 'reciprocal', 'roundEven', 'sin', 'tan'] as const;
  for (const op of floatUnary) {
    test(`${op} rejects integer input and non-operands`, () => {
      const b = new MLGraphBuilder(ctx);
      assert.throws(() => b[op](freshInput(b, 'int32', [2]), L), typeError(new RegExp(`^${op} \\[L1\\]: 'input' has data type int32, which is not one of the supported types \\(float32, float16\\)`)));
      assert.throws(() => b[op]({} as MLOperand, L), typeError(new RegExp(`^${op} \\[L1\\]: argument 'input' is not an MLOperand of this builder`)));
      assert.throws(() => b[op](new MLGraphBuilder(ctx).input('other', { dataType: 'float32', shape: [1] }), L), typeError(new RegExp(`^${op} \\[L1\\]: argument 'input' is not an MLOperand`)));
    });
  }

  test('sign accepts the signed types only', () => {
    const b = new MLGraphBuilder(ctx);
    for (const t of ['float32', 'float16', 'int64', 'int32', 'int8'] as const) assert.equal(b.sign(freshInput(b, t, [2])).dataType, t);
    assert.throws(() => b.sign(freshInput(b, 'uint8', [2]), L), typeError(/^sign \[L1\]: 'input' has data type uint8/));
    assert.throws(() => b.sign(freshInput(b, 'uint32', [2]), L), typeError(/^sign \[L1\]: 'input' has data type uint32/));
  });
});

describe('values', () => {
  test('max, min and clamp propagate NaN inputs (float32 and float16)', async () => {
    for (const t of ['float32', 'float16'] as const) {
      const a = { dataType: t, shape: [4], values: [NaN, 1, NaN, 2] };
      const c = { dataType: t, shape: [4], values: [1, NaN, NaN, 3] };
      assert.deepEqual((await run([a, c], (b, x, y) => b.max(x!, y!))).data, [NaN, NaN, NaN, 3], `max ${t}`);
      assert.deepEqual((await run([a, c], (b, x, y) => b.min(x!, y!))).data, [NaN, NaN, NaN, 2], `min ${t}`);
      assert.deepEqual((await run([a], (b, x) => b.clamp(x!, { minValue: 0, maxValue: 1.5 }))).data, [NaN, 1, NaN, 1.5], `clamp ${t}`);
    }
  });

  test('roundEven rounds halves to even (float32 and float16), ceil and floor', async () => {
    const values = [0.1, 0.9, 1.1, 1.9, -3.5, -2.5, -1.5, 1.5, 2.5, 3.5, -0.5, 0.5];
    for (const t of ['float32', 'float16'] as const) {
      const x = { dataType: t, shape: [values.length], values };
      const r = await run([x], (b, v) => b.roundEven(v!));
      assert.deepEqual(r.data.map((v) => Object.is(v, -0) ? 0 : v), [0, 1, 1, 2, -4, -2, -2, 2, 2, 4, 0, 0], t);
      assert.deepEqual((await run([x], (b, v) => b.ceil(v!))).data, values.map((v) => Math.ceil(v)), `ceil ${t}`);
      assert.deepEqual((await run([x], (b, v) => b.floor(v!))).data, values.map((v) => Math.floor(v)), `floor ${t}`);
    }
  });

  test('sign on every signed type: the int8 and int64 extremes, and NaN', async () => {
    assert.deepEqual((await run([{ dataType: 'int8', shape: [3], values: [-128, 0, 127] }], (b, x) => b.sign(x!))).data, [-1, 0, 1]);
    assert.deepEqual((await run([{ dataType: 'int64', shape: [2], values: [-(2n ** 63n), 2n ** 62n] }], (b, x) => b.sign(x!))).data, [-1n, 1n]);
    // The spec gives 1 for > 0, -1 for < 0 and 0 otherwise, so NaN gives 0.
    for (const t of ['float32', 'float16'] as const) {
      const f = await run([{ dataType: t, shape: [4], values: [-0.5, 0, 3, NaN] }], (b, x) => b.sign(x!));
      assert.deepEqual(f.data, [-1, 0, 1, 0], t);
    }
  });
});

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

describe('integer pow', () => {
  // onnxruntime's integer Pow goes through double: int64 powers beyond 2^53 lose bits and overflow saturates, where
  // mul() wraps. A power is repeated multiplication, so it wraps the same way.
  const ipow = (x: bigint, y: bigint, bits: number, signed: boolean): bigint => {
    const wrap = (v: bigint) => (signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v));
    let [p, base, e] = [1n, x, y < 0n ? -y : y];
    for (; e > 0n; e >>= 1n, base = BigInt.asIntN(64, base * base)) if (e & 1n) p = BigInt.asIntN(64, p * base);
    p = wrap(p);
    if (y < 0n) return p === -1n ? -1n : p === 1n || p === 0n ? 1n : 0n;
    return p;
  };
  const cases: [MLOperandDataType, number, boolean, bigint[], bigint[]][] = [
    ['int64', 64, true, [3n, -3n, 3n, 7n, -1n, 2n, 5n, 1n, 0n, -2n], [39n, 39n, 41n, 0n, -3n, -1n, 63n, -9n, 5n, 64n]],
    ['uint64', 64, false, [3n, 2n, 18446744073709551615n, 7n], [40n, 63n, 2n, 18446744073709551615n]],
    ['int32', 32, true, [3, 2, -2, 10, 1, 0, -1].map(BigInt), [21, 31, 31, 9, -2147483648, 0, 2147483647].map(BigInt)],
    ['uint32', 32, false, [3n, 65537n, 2n], [21n, 2n, 32n]],
    ['int8', 8, true, [3n, -2n, 2n, -128n], [5n, 7n, -1n, 2n]],
    ['uint8', 8, false, [3n, 2n, 255n], [5n, 8n, 255n]],
  ];
  for (const [dataType, bits, signed, xs, ys] of cases) {
    test(`${dataType} powers are exact and wrap`, async () => {
      const big = bits === 64;
      const asValue = (v: bigint) => (big ? v : Number(v));
      const got = await run([{ dataType, shape: [xs.length], values: xs.map(asValue) }, { dataType, shape: [ys.length], values: ys.map(asValue) }],
        (b, x, y) => b.pow(x, y));
      assert.deepEqual(got, { shape: [xs.length], data: xs.map((x, i) => asValue(ipow(x, ys[i]!, bits, signed))) });
    });
  }
  test('broadcasts a scalar exponent over a rank-3 base', async () => {
    const got = await run([{ dataType: 'int32', shape: [2, 1, 2], values: [1, 2, 3, -4] }, { dataType: 'int32', shape: [], values: [3] }],
      (b, x, y) => b.pow(x, y));
    assert.deepEqual(got, { shape: [2, 1, 2], data: [1, 8, 27, -64] });
  });
});

const advertised: Record<string, Case> = {
  add: { inputs: 2, values: small, call: (b, [x, y]) => b.add(x!, y!), ref: zip2((a, b) => a + b) },
  sub: { inputs: 2, values: (i, arg) => (arg === 0 ? 5 + (i % 4) : i % 4), call: (b, [x, y]) => b.sub(x!, y!), ref: zip2((a, b) => a - b) },
  mul: { inputs: 2, values: small, call: (b, [x, y]) => b.mul(x!, y!), ref: zip2((a, b) => a * b) },
  div: {
    inputs: 2, values: (i, arg) => (arg === 0 ? 3 + (i % 9) : 1 + (i % 3)), call: (b, [x, y]) => b.div(x!, y!),
    ref: (xs, _s, t) => zip2((a, b) => (DTYPES[t].kind === 'int' ? Math.trunc(a / b) : a / b))(xs),
  },
  max: { inputs: 2, values: small, call: (b, [x, y]) => b.max(x!, y!), ref: zip2(Math.max) },
  min: { inputs: 2, values: small, call: (b, [x, y]) => b.min(x!, y!), ref: zip2(Math.min) },
  pow: { inputs: 2, values: (i, arg) => (arg === 0 ? 1 + (i % 3) : i % 3), call: (b, [x, y]) => b.pow(x!, y!), ref: zip2((a, b) => a ** b) },
  abs: { inputs: 1, values: signed, call: (b, [x]) => b.abs(x!), ref: map1(Math.abs) },
  neg: { inputs: 1, values: signed, call: (b, [x]) => b.neg(x!), ref: map1((a) => -a) },
  exp: { inputs: 1, values: (i) => (i % 5) / 2 - 1, call: (b, [x]) => b.exp(x!), ref: map1(Math.exp) },
  log: { inputs: 1, values: (i) => 0.5 + (i % 5), call: (b, [x]) => b.log(x!), ref: map1(Math.log) },
  sqrt: { inputs: 1, values: (i) => i % 5, call: (b, [x]) => b.sqrt(x!), ref: map1(Math.sqrt) },
  identity: { inputs: 1, values: signed, call: (b, [x]) => b.identity(x!), ref: (xs) => xs[0]! },
  ceil: unary((b, [x]) => b.ceil(x!), Math.ceil, halves),
  floor: unary((b, [x]) => b.floor(x!), Math.floor, halves),
  roundEven: unary((b, [x]) => b.roundEven(x!), roundHalfEven, halves),
  cos: unary((b, [x]) => b.cos(x!), Math.cos),
  sin: unary((b, [x]) => b.sin(x!), Math.sin),
  tan: unary((b, [x]) => b.tan(x!), Math.tan),
  erf: unary((b, [x]) => b.erf(x!), erf, halves),
  reciprocal: unary((b, [x]) => b.reciprocal(x!), (a) => 1 / a, (i) => (i % 4) - 1.5),
  sign: unary((b, [x]) => b.sign(x!), Math.sign, signed),
};

test('every data type and rank opSupportLimits() advertises for the element-wise operators builds, runs and computes', async (t) => {
  await checkAdvertised(t, advertised);
});
