// Review of the element-wise, logical, where, activation, reduction, shaping and movement operators against the
// spec: validation corner cases the shared cases do not reach, and value checks against JS references with
// parameters the WPT sample does not use (NaN, integer overflow, 64-bit values beyond 2^53).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, type MLContext, type MLOperand, type MLOperandDataType } from '../src/index.js';

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});

/** A plain TypeError whose message starts with "op [label]: " and matches `message`. */
function typeError(op: string, label: string, message: RegExp) {
  return (err: unknown): true => {
    assert.ok(err instanceof TypeError && !(err instanceof DOMException), `expected a TypeError, got ${String(err)}`);
    assert.ok(err.message.startsWith(`${op} [${label}]: `), `message "${err.message}" does not name ${op} [${label}]`);
    assert.match(err.message, message);
    return true;
  };
}

type Value = number | bigint;
interface Input { dataType: MLOperandDataType; shape: number[]; values: Value[] }

const ARRAYS = {
  float32: Float32Array, int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array,
  int8: Int8Array, uint8: Uint8Array,
} as const;

/** Builds f over graph inputs x0, x1, ... and returns the output's shape and values (64-bit ones as bigint). */
async function run(inputs: Input[], f: (b: MLGraphBuilder, ...xs: MLOperand[]) => MLOperand): Promise<{ shape: number[]; data: Value[] }> {
  const b = new MLGraphBuilder(ctx);
  const xs = inputs.map((x, i) => b.input(`x${i}`, { dataType: x.dataType, shape: x.shape }));
  const graph = await b.build({ y: f(b, ...xs) });
  const feeds = Object.fromEntries(inputs.map((x, i) => {
    const Arr = ARRAYS[x.dataType as keyof typeof ARRAYS];
    const big = Arr === BigInt64Array || Arr === BigUint64Array;
    return [`x${i}`, new (Arr as unknown as new (v: Value[]) => ArrayBufferView)(x.values.map((v) => (big ? BigInt(v) : Number(v))))];
  }));
  const y = (await ctx.compute(graph, feeds)).y!;
  return { shape: [...y.shape], data: Array.from(y.data as ArrayLike<Value>) };
}

describe('output descriptors', () => {
  test('an output whose element count exceeds 2^31 - 1 is a TypeError even when every dimension is valid', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [1, 1] });
    assert.throws(() => b.expand(x, [65536, 65536], { label: 'e' }), typeError('expand', 'e', /element/));
    assert.throws(() => b.tile(x, [65536, 65536], { label: 't' }), typeError('tile', 't', /element/));
    assert.throws(() => b.pad(x, [0, 0], [65535, 65535], { label: 'p' }), typeError('pad', 'p', /element/));
    const y = b.input('y', { dataType: 'float32', shape: [65536, 1] });
    const z = b.input('z', { dataType: 'float32', shape: [1, 65536] });
    assert.throws(() => b.add(y, z, { label: 'a' }), typeError('add', 'a', /element/));
    // 2^30 int64 elements are 2^33 bytes, over the 2^32 maxTensorByteLength tsnn reports.
    const w = b.input('w', { dataType: 'int8', shape: [1, 1] });
    assert.throws(() => b.cast(b.expand(w, [32768, 32768]), 'int64', { label: 'c' }), typeError('cast', 'c', /byte length/));
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
