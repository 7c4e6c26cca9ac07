// cast, concat, reshape, transpose: values against JS references (a rank-6 permutation, casts in range and out of
// range, which tsnn saturates like the spec's cast of an MLNumber), validation tables, and every data type and rank
// opSupportLimits() advertises (casts between every advertised pair).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, type MLOperandDataType } from '../../src/index.js';
import { desc, f32, i32, u8, count, indices, at, sequence, run, type Value } from '../support/index.js';
import { checkAdvertised, runOne, signed, transposeRef, type Case, type Limits } from '../support/limits.js';
import { validationTable, ok, bad, MAX_BYTES, type WptCase } from '../support/wpt.js';

describe('values', () => {
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

test('cast out of range: integers keep their lowest bits (two\'s complement), floats overflow to ±Infinity', async () => {
  const cast = async (from: MLOperandDataType, to: MLOperandDataType, values: (number | bigint)[]) =>
    (await run([{ dataType: from, shape: [values.length], values }], (b, x) => b.cast(x, to))).data;
  assert.deepEqual(await cast('int32', 'int8', [300, -129, 127]), [44, 127, 127]);
  assert.deepEqual(await cast('int32', 'uint8', [-1, 256, 255]), [255, 0, 255]);
  assert.deepEqual(await cast('int64', 'uint32', [-1n, 2n ** 32n + 5n]), [4294967295, 5]);
  assert.deepEqual(await cast('uint64', 'int64', [2n ** 63n, 5n]), [-(2n ** 63n), 5n]);
  assert.deepEqual(await cast('uint32', 'int32', [4294967295]), [-1]);
  assert.deepEqual(await cast('float32', 'float16', [1e10, -1e10, 1]), [Infinity, -Infinity, 1]);
  assert.deepEqual(await cast('float32', 'int32', [2.9, -2.9, 0.5]), [2, -2, 0]); // in range: truncated
});

const table: WptCase[] = [
  ok('reshape', [f32(2, 3, 4), [3, 8]], 'float32', [3, 8]),
  ok('reshape', [f32(2, 3, 4), [24]], 'float32', [24]),
  ok('reshape', [f32(1), [1]], 'float32', [1]),
  ok('reshape', [f32(1), []], 'float32', []),
  ok('reshape', [f32(), [1]], 'float32', [1]),
  bad('reshape', [f32(2, 4), [2, 4, 0]]),
  bad('reshape', [f32(2, 3, 4), []]),
  bad('reshape', [f32(2, 3, 4), [3, 9]]),
  bad('reshape', [f32(2), [2, 1, 1, 1, 1, 1, 1, 1, 1]], 'rank 9 over the limit'),
  ok('concat', [[f32(4, 4, 3)], 2], 'float32', [4, 4, 3]),
  ok('concat', [[f32(3, 1, 5), f32(3, 2, 5)], 1], 'float32', [3, 3, 5]),
  ok('concat', [[f32(3, 5, 1), f32(3, 5, 2), f32(3, 5, 3)], 2], 'float32', [3, 5, 6]),
  ok('concat', [[f32(1), f32(1)], 0], 'float32', [2]),
  bad('concat', [[], 0]),
  bad('concat', [[f32(1, 1), i32(1, 1)], 0]),
  bad('concat', [[f32(1, 1), f32(1, 1, 1)], 0]),
  bad('concat', [[f32(1, 1), f32(1, 1)], 2]),
  bad('concat', [[f32(), f32()], 0]),
  bad('concat', [[f32(1, 1, 1), f32(1, 2, 3)], 1]),
  bad('concat', [[f32(Math.floor(MAX_BYTES / 4)), f32(Math.floor(MAX_BYTES / 4))], 0], 'output over maxTensorByteLength'),
  bad('concat', [[desc('int4', [46341, 46340]), desc('int4', [46341, 46340])], 0], 'element count over 2^31 - 1'),
  bad('concat', [Array.from({ length: 8193 }, () => f32(1)), 0], 'more than 8192 inputs'),
  ok('cast', [i32(2, 2), 'int64'], 'int64', [2, 2]),
  ok('cast', [f32(), 'uint8'], 'uint8', []),
  bad('cast', [desc('int8', [Math.floor(MAX_BYTES / 2)]), 'int64'], 'output over maxTensorByteLength'),
  bad('cast', [i32(2), 'float64']),
  ok('transpose', [f32(1, 2, 3, 4), { permutation: [0, 2, 3, 1] }], 'float32', [1, 3, 4, 2]),
  ok('transpose', [u8(1, 2, 3, 4)], 'uint8', [4, 3, 2, 1]),
  ok('transpose', [f32()], 'float32', []),
  bad('transpose', [i32(1, 2, 4), { permutation: [0, 2, 3, 1] }]),
  bad('transpose', [i32(1, 2, 3, 4), { permutation: [0, 2, 3, 2] }]),
  bad('transpose', [i32(1, 2, 3, 4), { permutation: [0, 1, 2, 4] }]),
  bad('transpose', [i32(1, 2, 3, 4), { permutation: [0, -1, 2, 3] }]),
];
validationTable('movement', table);

const advertised: Record<string, Case> = {
  reshape: { inputs: 1, values: signed, call: (b, [x]) => b.reshape(x!, [count([...x!.shape])]), ref: (xs) => xs[0]! },
  transpose: { inputs: 1, values: signed, call: (b, [x]) => b.transpose(x!), ref: (xs, s) => transposeRef(xs[0]!, s) },
  concat: { inputs: 1, values: signed, call: (b, [x]) => b.concat([x!, x!], 0), ref: (xs) => [...xs[0]!, ...xs[0]!], param: 'inputs' },
};

test('every data type and rank opSupportLimits() advertises for the movement operators builds, runs and computes', async (t) => {
  await checkAdvertised(t, advertised);
  await t.test('cast between every pair of advertised types', async () => {
    const ctx = await ml.createContext();
    const limits = ctx.opSupportLimits() as unknown as Record<string, Limits>;
    const { dataTypes } = limits.cast!.input!;
    const to = limits.cast!.output!.dataTypes;
    const values: Case = { inputs: 1, values: (i) => i % 4, call: () => { throw new Error('unused'); }, ref: (xs) => xs[0]! };
    for (const from of dataTypes) for (const target of to) await runOne(ctx, 'cast', values, from, 2, target);
  });
});
