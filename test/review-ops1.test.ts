// Review of the element-wise, logical, where, activation, reduction, shaping and movement operators against the
// spec: validation corner cases the shared cases do not reach, and value checks against JS references with
// parameters the WPT sample does not use (NaN, integer overflow, 64-bit values beyond 2^53).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, type MLContext, type MLOperand, type MLOperandDataType } from '../src/index.js';
import { opTypeError as typeError } from './support/errors.js';

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});

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
    // 2^30 int64 elements are 2^33 bytes, over the maxTensorByteLength tsnn reports.
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

// ---- value checks with parameters the shared cases do not use, against JS references --------------------------

const strides = (shape: readonly number[]) => shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
/** Index tuples of `shape` in row-major order. */
const indices = (shape: readonly number[]) => Array.from({ length: count(shape) }, (_, f) => shape.map((_, i) => Math.floor(f / strides(shape)[i]!) % shape[i]!));
const at = (values: readonly Value[], shape: readonly number[], idx: readonly number[]) => values[idx.reduce((a, v, i) => a + v * strides(shape)[i]!, 0)]!;
const f32 = (v: number) => Math.fround(v);
const sequence = (n: number, f: (i: number) => number = (i) => i) => Array.from({ length: n }, (_, i) => f32(f(i)));

/** Asserts float results within `ulps` float32 units of the reference (NaN equals NaN). */
function assertClose(actual: { shape: number[]; data: Value[] }, shape: number[], expected: number[], ulps = 4): void {
  assert.deepEqual(actual.shape, shape);
  assert.equal(actual.data.length, expected.length);
  expected.forEach((e, i) => {
    const a = Number(actual.data[i]);
    if (Number.isNaN(e)) return assert.ok(Number.isNaN(a), `[${i}] ${a} is not NaN`);
    assert.ok(Math.abs(a - e) <= ulps * Math.max(Math.abs(e) * 2 ** -23, 2 ** -149), `[${i}] ${a} != ${e}`);
  });
}

describe('values beyond the shared cases', () => {
  test('softmax on axis 0 of a rank-4 input, with a column of large values', async () => {
    const shape = [3, 2, 1, 2];
    const x = sequence(12, (i) => (i % 5) - 2 + (i === 3 ? 1000 : 0) + (i === 7 ? -1000 : 0));
    const expected = indices(shape).map((idx) => {
      const column = [0, 1, 2].map((k) => Number(at(x, shape, [k, ...idx.slice(1)])));
      const max = Math.max(...column);
      return Math.exp(Number(at(x, shape, idx)) - max) / column.reduce((s, v) => s + Math.exp(v - max), 0);
    });
    assertClose(await run([{ dataType: 'float32', shape, values: x }], (b, v) => b.softmax(v, 0)), shape, expected);
  });

  test('reduceLogSumExp of large values does not overflow, over two axes of a rank-3 input', async () => {
    const shape = [2, 3, 2];
    const x = sequence(12, (i) => 80 + i * 7.5);
    const expected = [0, 1].map((i1) => {
      const vs = indices(shape).filter((idx) => idx[2] === i1).map((idx) => Number(at(x, shape, idx)));
      const max = Math.max(...vs);
      return max + Math.log(vs.reduce((s, v) => s + Math.exp(v - max), 0));
    });
    assertClose(await run([{ dataType: 'float32', shape, values: x }], (b, v) => b.reduceLogSumExp(v, { axes: [0, 1] })), [2], expected);
  });

  test('cumulativeSum exclusive and reversed on the middle axis of a rank-3 input', async () => {
    const shape = [2, 4, 3];
    const x = sequence(24, (i) => i * 1.5 - 7);
    const expected = indices(shape).map((idx) => {
      let s = 0;
      for (let k = idx[1]! + 1; k < 4; k++) s += Number(at(x, shape, [idx[0]!, k, idx[2]!]));
      return s;
    });
    assertClose(await run([{ dataType: 'float32', shape, values: x }], (b, v) => b.cumulativeSum(v, 1, { exclusive: true, reversed: true })), shape, expected);
    const ints = x.map((v) => Math.round(v));
    const got = await run([{ dataType: 'int64', shape, values: ints.map(BigInt) }], (b, v) => b.cumulativeSum(v, 1, { exclusive: true, reversed: true }));
    assert.deepEqual(got.data, indices(shape).map((idx) => {
      let s = 0n;
      for (let k = idx[1]! + 1; k < 4; k++) s += BigInt(at(ints, shape, [idx[0]!, k, idx[2]!]));
      return s;
    }));
  });

  test('slice with strides on several axes of a rank-4 input', async () => {
    const shape = [3, 5, 4, 6];
    const x = sequence(count(shape));
    const [starts, sizes, steps] = [[1, 0, 1, 2], [2, 5, 3, 4], [2, 2, 1, 3]];
    const outShape = sizes.map((s, i) => Math.ceil(s / steps[i]!));
    const expected = indices(outShape).map((idx) => Number(at(x, shape, idx.map((v, i) => starts[i]! + v * steps[i]!))));
    assert.deepEqual(await run([{ dataType: 'float32', shape, values: x }], (b, v) => b.slice(v, starts, sizes, { strides: steps })), { shape: outShape, data: expected });
  });

  test('pad with reflection and edge on a rank-4 input', async () => {
    const shape = [2, 3, 3, 4];
    const x = sequence(count(shape));
    const [begin, end] = [[1, 2, 0, 3], [0, 1, 2, 1]];
    const outShape = shape.map((d, i) => d + begin[i]! + end[i]!);
    const reflect = (i: number, d: number) => (i < 0 ? -i : i >= d ? 2 * (d - 1) - i : i);
    const edge = (i: number, d: number) => Math.min(Math.max(i, 0), d - 1);
    for (const [mode, map] of [['reflection', reflect], ['edge', edge]] as const) {
      const expected = indices(outShape).map((idx) => Number(at(x, shape, idx.map((v, i) => map(v - begin[i]!, shape[i]!)))));
      assert.deepEqual(await run([{ dataType: 'float32', shape, values: x }], (b, v) => b.pad(v, begin, end, { mode })), { shape: outShape, data: expected }, mode);
    }
  });

  test('transpose with a permutation of a rank-6 input', async () => {
    const shape = [2, 1, 3, 2, 1, 4];
    const permutation = [3, 5, 0, 4, 2, 1];
    const x = sequence(count(shape)).map((v) => BigInt(v) - 20n);
    const outShape = permutation.map((p) => shape[p]!);
    const expected = indices(outShape).map((idx) => {
      const src = new Array<number>(6);
      permutation.forEach((p, i) => (src[p] = idx[i]!));
      return at(x, shape, src);
    });
    assert.deepEqual(await run([{ dataType: 'int64', shape, values: x }], (b, v) => b.transpose(v, { permutation })), { shape: outShape, data: expected });
  });

  test('cast: in-range floats truncate toward zero, integers wrap to the low bits', async () => {
    // Out-of-range float to integer casts are implementation-defined; these values are all in range.
    const x = [2.7, -2.7, -0, 127.9, -128.9, 0.5];
    const toInt8 = await run([{ dataType: 'float32', shape: [x.length], values: x }], (b, v) => b.cast(v, 'int8'));
    assert.deepEqual(toInt8.data, [2, -2, 0, 127, -128, 0]);
    const toUint8 = await run([{ dataType: 'float32', shape: [4], values: [2.7, 0.5, 254.99, 255] }], (b, v) => b.cast(v, 'uint8'));
    assert.deepEqual(toUint8.data, [2, 0, 254, 255]);
    const toInt64 = await run([{ dataType: 'float32', shape: [3], values: [1e10, -1e10, 2 ** 40 + 0.5] }], (b, v) => b.cast(v, 'int64'));
    assert.deepEqual(toInt64.data, [10000000000n, -10000000000n, 2n ** 40n]);
    const wrap = await run([{ dataType: 'int64', shape: [4], values: [-1n, 2n ** 40n + 5n, 300n, -(2n ** 63n)] }], (b, v) => b.cast(v, 'uint8'));
    assert.deepEqual(wrap.data, [255, 5, 44, 0]);
    const fromU64 = await run([{ dataType: 'uint64', shape: [2], values: [2n ** 64n - 1n, 2n ** 63n] }], (b, v) => b.cast(v, 'int32'));
    assert.deepEqual(fromU64.data, [-1, 0]);
    const f16 = await run([{ dataType: 'float32', shape: [5], values: [65504, 65519, 65520, NaN, -Infinity] }], (b, v) => b.cast(b.cast(v, 'float16'), 'float32'));
    assert.deepEqual(f16.data, [65504, 65504, Infinity, NaN, -Infinity]);
    const intToF16 = await run([{ dataType: 'int32', shape: [3], values: [2049, -65520, 70000] }], (b, v) => b.cast(b.cast(v, 'float16'), 'float32'));
    assert.deepEqual(intToF16.data, [2048, -Infinity, Infinity]);
  });
});

describe('cast of out-of-range floats to integers', () => {
  // Implementation-defined in the spec; onnxruntime gives whatever the CPU's conversion does (300 → 44 for int8,
  // NaN → 2^31 for uint32 from float32 but 0 from float16). tsnn saturates and maps NaN to 0, the spec's own cast
  // of a number to an integer type, so a value cast in the graph matches the same value passed as an MLNumber.
  const x = [300, -300, NaN, Infinity, -Infinity, 1e10, -1e10, 3e19, -2.9, 127.5];
  const expected: Record<string, Value[]> = {
    int8: [127, -128, 0, 127, -128, 127, -128, 127, -2, 127],
    uint8: [255, 0, 0, 255, 0, 255, 0, 255, 0, 127],
    int32: [300, -300, 0, 2147483647, -2147483648, 2147483647, -2147483648, 2147483647, -2, 127],
    uint32: [300, 0, 0, 4294967295, 0, 4294967295, 0, 4294967295, 0, 127],
    int64: [300n, -300n, 0n, 2n ** 63n - 1n, -(2n ** 63n), 10000000000n, -10000000000n, 2n ** 63n - 1n, -2n, 127n],
    uint64: [300n, 0n, 0n, 2n ** 64n - 1n, 0n, 10000000000n, 0n, 2n ** 64n - 1n, 0n, 127n],
  };
  for (const [to, want] of Object.entries(expected)) {
    test(`float32 to ${to}`, async () => {
      const got = await run([{ dataType: 'float32', shape: [x.length], values: x }], (b, v) => b.cast(v, to as MLOperandDataType));
      assert.deepEqual(got.data, want);
    });
  }
  test('float16 to uint32 and int8 saturate the same way', async () => {
    const got = await run([{ dataType: 'float32', shape: [4], values: [NaN, -Infinity, 60000, -300] }], (b, v) => b.cast(b.cast(v, 'float16'), 'uint32'));
    assert.deepEqual(got.data, [0, 0, 60000, 0]);
    const i8 = await run([{ dataType: 'float32', shape: [4], values: [NaN, -Infinity, 60000, -300] }], (b, v) => b.cast(b.cast(v, 'float16'), 'int8'));
    assert.deepEqual(i8.data, [0, -128, 127, -128]);
  });
});
