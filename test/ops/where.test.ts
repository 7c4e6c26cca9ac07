// where: a uint8 condition selecting between same-typed values, the three broadcast together; values for every
// value type, and every data type and rank opSupportLimits() advertises.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DTYPES } from '../../src/graph/dtypes.js';
import { MLGraphBuilder, MLContext } from '../../src/index.js';
import { f32, f16, i32, u32, u8, typeError, context, run, freshInput } from '../support/index.js';
import { checkAdvertised, signed, type Case } from '../support/limits.js';
import { validationTable, ok, bad, type WptCase } from '../support/wpt.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

const L = { label: 'L1' };

describe('validation', () => {
  test('where: uint8 condition, same-typed values, three-way broadcasting', () => {
    const b = new MLGraphBuilder(ctx);
    const f = (shape: number[]) => freshInput(b, 'float32', shape);
    const c = (shape: number[]) => freshInput(b, 'uint8', shape);
    assert.throws(() => b.where(f([2]), f([2]), f([2]), L), typeError(/^where \[L1\]: 'condition' has data type float32, which is not one of the supported types \(uint8\)/));
    assert.throws(() => b.where(c([2]), f([2]), freshInput(b, 'int32', [2]), L), typeError(/^where \[L1\]: trueValue \(float32\) and falseValue \(int32\) must have the same data type/));
    assert.throws(() => b.where(c([2]), f([3]), f([2]), L), typeError(/^where \[L1\]: trueValue shape \[3\] and falseValue shape \[2\] are not broadcastable/));
    assert.throws(() => b.where(c([4]), f([3]), f([1]), L), typeError(/^where \[L1\]: condition shape \[4\] is not broadcastable with the values' shape \[3\]/));
    assert.throws(() => b.where(c([1]), f([1]), undefined as never, L), typeError(/^where \[L1\]: argument 'falseValue' is required/));
    const y = b.where(c([2, 1, 1]), freshInput(b, 'int8', [3, 1]), freshInput(b, 'int8', [4]));
    assert.deepEqual([y.dataType, y.shape], ['int8', [2, 3, 4]]);
    assert.deepEqual(b.where(c([]), f([]), f([])).shape, []);
  });
});

describe('values', () => {
  test('where broadcasts condition, trueValue and falseValue together, for every value type', async () => {
    const cond = { dataType: 'uint8' as const, shape: [2, 1, 1], values: [0, 9] };
    for (const t of ['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64', 'int8', 'uint8'] as const) {
      const big = DTYPES[t].big;
      const v = (n: number) => (big ? BigInt(n) : n);
      const tv = { dataType: t, shape: [3, 1], values: [1, 2, 3].map(v) };
      const fv = { dataType: t, shape: [2], values: [7, 8].map(v) };
      const r = await run([cond, tv, fv], (b, c, x, y) => b.where(c!, x!, y!));
      assert.deepEqual([r.shape, r.data], [[2, 3, 2], [7, 8, 7, 8, 7, 8, 1, 1, 2, 2, 3, 3].map(v)], t);
    }
    const extremes = await run([{ dataType: 'uint8', shape: [2], values: [1, 0] }, { dataType: 'uint64', shape: [2], values: [2n ** 64n - 1n, 0n] }, { dataType: 'uint64', shape: [], values: [2n ** 63n] }],
      (b, c, x, y) => b.where(c!, x!, y!));
    assert.deepEqual(extremes.data, [2n ** 64n - 1n, 2n ** 63n]);
  });
});

const table: WptCase[] = [
  bad('where', [f32(2, 4), f32(2, 4), f32(2, 4)]),
  bad('where', [u8(2, 4), f16(2, 4), f32(2, 4)]),
  bad('where', [u8(2, 4), f32(2, 4), f32(2, 3)]),
  bad('where', [u8(2, 4), f32(2, 3), f32(2, 1)]),
  ok('where', [u8(2, 1), f32(2, 4), f32(2, 4)], 'float32', [2, 4]),
  ok('where', [u8(1, 4), f16(3, 4), f16(2, 3, 4)], 'float16', [2, 3, 4]),
  ok('where', [u8(2, 1, 4), i32(2, 3, 4), i32(1, 4)], 'int32', [2, 3, 4]),
  ok('where', [u8(2, 3, 4, 5), u32(3, 4, 5), u32(4, 5)], 'uint32', [2, 3, 4, 5]),
  ok('where', [u8(), f32(), f32(3)], 'float32', [3]),
];
validationTable('where', table);

const advertised: Record<string, Case> = {
  where: {
    // The condition travels as the value type and is cast to uint8 in the graph: 0, 1 and 2 (nonzero is true).
    inputs: 3, param: 'trueValue',
    values: (i, arg, t) => (arg === 0 ? i % 3 : signed(i + arg, arg, t)),
    call: (b, [c, x, y]) => b.where(b.cast(c!, 'uint8'), x!, y!),
    ref: ([c, x, y]) => c!.map((v, i) => (v !== 0 ? x![i]! : y![i]!)),
  },
};

test('every data type and rank opSupportLimits() advertises for the where operators builds, runs and computes', async (t) => {
  await checkAdvertised(t, advertised);
});
