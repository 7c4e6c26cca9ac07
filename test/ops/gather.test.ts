// gather, gatherElements, gatherND, scatterElements, scatterND: validation, defined results for negative and
// out-of-range indices of every index type (clamped into the dimension, never an out-of-bounds access or a failed
// run), values against JS references, and every data type and rank opSupportLimits() advertises.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DTYPES } from '../../src/graph/dtypes.js';
import { MLGraphBuilder, MLContext, type MLOperandDataType } from '../../src/index.js';
import { desc, f32, f16, i32, u32, i64, count, toArray, typeError, context, runGraph, computeOutput, constant } from '../support/index.js';
import { checkAdvertised, assertLimits, type Case, type Limits } from '../support/limits.js';
import { validationTable, ok, bad, MAX_BYTES, type WptCase } from '../support/wpt.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

describe('gather family validation', () => {
  const setup = () => {
    const b = new MLGraphBuilder(ctx);
    let k = 0;
    return { b, x: b.input('x', f32(2, 3, 4)), indexInput: (shape: number[]) => b.input(`i${k++}`, desc('int32', shape)) };
  };
  test('gather: index type, axis, input rank, output shape', () => {
    const { b, x, indexInput } = setup();
    assert.throws(() => b.gather(x, b.input('fi', f32(2)), { label: 'g' }), typeError(/^gather \[g\]: 'indices' has data type float32, which is not one of the supported types \(int32, uint32, int64\)$/));
    assert.throws(() => b.gather(x, indexInput([2]), { axis: 3, label: 'g' }), typeError(/^gather \[g\]: axis 3 must be less than the input rank 3$/));
    assert.throws(() => b.gather(b.input('s', f32()), indexInput([2])), typeError(/^gather: 'input' has rank 0/));
    assert.deepEqual(b.gather(x, indexInput([5, 6]), { axis: 1 }).shape, [2, 5, 6, 4]);
    assert.deepEqual(b.gather(b.input('v', f32(7)), indexInput([])).shape, []);
  });
  test('gatherElements: indices match the input outside the axis', () => {
    const { b, x, indexInput } = setup();
    assert.throws(() => b.gatherElements(x, indexInput([2, 3]), { label: 'ge' }), typeError(/^gatherElements \[ge\]: indices has rank 2, the input has rank 3$/));
    assert.throws(() => b.gatherElements(x, indexInput([2, 5, 4]), { axis: 0 }), typeError(/^gatherElements: indices shape \[2, 5, 4\] must equal the input shape \[2, 3, 4\] except along axis 0$/));
    assert.deepEqual(b.gatherElements(x, indexInput([2, 5, 4]), { axis: 1 }).shape, [2, 5, 4]);
    assert.throws(() => b.gatherElements(x, b.input('u8', desc('uint8', [2, 3, 4]))), typeError(/^gatherElements: 'indices' has data type uint8/));
  });
  test('gatherND: coordinates per index at most the input rank', () => {
    const { b, x, indexInput } = setup();
    assert.throws(() => b.gatherND(x, indexInput([5, 4]), { label: 'gn' }), typeError(/^gatherND \[gn\]: indices' last dimension 4 \(coordinates per index\) is greater than the input rank 3$/));
    assert.throws(() => b.gatherND(x, indexInput([])), typeError(/^gatherND: 'indices' has rank 0/));
    assert.deepEqual(b.gatherND(x, indexInput([5, 2])).shape, [5, 4]);
    assert.deepEqual(b.gatherND(x, indexInput([3])).shape, []);
  });
  test('scatterElements: updates have the indices\' shape and the input\'s type', () => {
    const { b, x, indexInput } = setup();
    const idx = indexInput([2, 1, 4]);
    assert.throws(() => b.scatterElements(x, idx, b.input('u', f32(2, 2, 4)), { axis: 1, label: 'se' }), typeError(/^scatterElements \[se\]: updates shape \[2, 2, 4\] must equal the indices shape \[2, 1, 4\]$/));
    assert.throws(() => b.scatterElements(x, idx, b.input('uh', desc('float16', [2, 1, 4])), { axis: 1 }), typeError(/^scatterElements: updates has data type float16, the input has float32$/));
    assert.throws(() => b.scatterElements(x, idx, b.input('u2', f32(2, 1, 4)), { axis: 0 }), typeError(/^scatterElements: indices shape \[2, 1, 4\] must equal the input shape \[2, 3, 4\] except along axis 0$/));
    assert.throws(() => b.scatterElements(x, idx, b.input('u3', f32(2, 1, 4)), { axis: 5 }), typeError(/^scatterElements: axis 5 must be less than the input rank 3$/));
    assert.deepEqual(b.scatterElements(x, idx, b.input('u4', f32(2, 1, 4)), { axis: 1 }).shape, [2, 3, 4]);
  });
  test('scatterND: updates shape is indices[:-1] + input[k:]', () => {
    const { b, x, indexInput } = setup();
    assert.throws(() => b.scatterND(x, indexInput([5, 2]), b.input('u', f32(5, 3)), { label: 'sn' }), typeError(/^scatterND \[sn\]: updates shape \[5, 3\] must be \[5, 4\]/));
    assert.throws(() => b.scatterND(x, indexInput([1, 4]), b.input('u1', f32(1))), typeError(/^scatterND: indices' last dimension 4 \(coordinates per index\) is greater than the input rank 3$/));
    assert.throws(() => b.scatterND(x, b.input('fi', f32(1, 3)), b.input('u2', f32(1))), typeError(/^scatterND: 'indices' has data type float32/));
    assert.deepEqual(b.scatterND(x, indexInput([1, 3]), b.input('u3', f32(1))).shape, [2, 3, 4]);
  });
});

describe('indices out of range or negative', () => {
  // input [0, 10, 20, 30, 40]: index i in [-5, 5) reads 10·(i mod 5); anything else clamps to the nearest end.
  const x5 = [0, 10, 20, 30, 40];
  const cases: Record<MLOperandDataType, [number[], number[]]> = {
    int32: [[-1, -5, 4, 7, -9, 2 ** 31 - 1, -(2 ** 31)], [40, 0, 40, 40, 0, 40, 0]],
    int64: [[-1, -5, 4, 7, -9, 2 ** 40, -(2 ** 40)], [40, 0, 40, 40, 0, 40, 0]],
    uint32: [[0, 4, 5, 2 ** 32 - 1], [0, 40, 40, 40]],
  } as Record<MLOperandDataType, [number[], number[]]>;

  for (const [t, [indices, expected]] of Object.entries(cases) as [MLOperandDataType, [number[], number[]]][]) {
    test(`${t} indices, as graph inputs, for every gather and scatter operator`, async () => {
      const n = indices.length;
      const feed = { idx: toArray(indices, t) };
      let b = new MLGraphBuilder(ctx);
      assert.deepEqual(await computeOutput(b, b.gather(constant(b, 'float32', [5], x5), b.input('idx', desc(t, [n]))), feed), expected);
      b = new MLGraphBuilder(ctx);
      assert.deepEqual(await computeOutput(b, b.gatherElements(constant(b, 'float32', [5], x5), b.input('idx', desc(t, [n]))), feed), expected);
      b = new MLGraphBuilder(ctx);
      assert.deepEqual(await computeOutput(b, b.gatherND(constant(b, 'float32', [5], x5), b.input('idx', desc(t, [n, 1]))), feed), expected);
      // Scatter: each update lands at the clamped position. Use one index at a time so duplicates cannot race.
      for (let k = 0; k < n; k++) {
        const one = { idx: toArray([indices[k]!], t) };
        const want = x5.map((v, i) => (i === expected[k]! / 10 ? -1 : v));
        b = new MLGraphBuilder(ctx);
        const se = b.scatterElements(constant(b, 'float32', [5], x5), b.input('idx', desc(t, [1])), constant(b, 'float32', [1], [-1]));
        assert.deepEqual(await computeOutput(b, se, one), want, `scatterElements index ${indices[k]}`);
        b = new MLGraphBuilder(ctx);
        const sn = b.scatterND(constant(b, 'float32', [5], x5), b.input('idx', desc(t, [1, 1])), constant(b, 'float32', [1], [-1]));
        assert.deepEqual(await computeOutput(b, sn, one), want, `scatterND index ${indices[k]}`);
      }
    });
  }

  test('scatter indices that clamp onto the same position write one of their updates', async () => {
    let b = new MLGraphBuilder(ctx);
    const se = b.scatterElements(constant(b, 'float32', [5], [0, 1, 2, 3, 4]), constant(b, 'int64', [2], [7, 9]), constant(b, 'float32', [2], [-1, -2]));
    const out = await computeOutput(b, se);
    assert.deepEqual(out.slice(0, 4), [0, 1, 2, 3]);
    assert.ok(out[4] === -1 || out[4] === -2, `last element ${out[4]}`);
    b = new MLGraphBuilder(ctx);
    const sn = b.scatterND(constant(b, 'float32', [2, 2], [0, 1, 2, 3]), constant(b, 'int32', [2, 1], [-5, 0]), constant(b, 'float32', [2, 2], [-1, -1, -1, -1]));
    assert.deepEqual(await computeOutput(b, sn), [-1, -1, 2, 3]);
  });

  test('gatherND clamps each coordinate against its own dimension', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = constant(b, 'int32', [2, 3], [0, 1, 2, 10, 11, 12]);
    const idx = constant(b, 'int32', [4, 2], [-1, -1, 5, 0, 0, 9, -7, -7]);
    assert.deepEqual(await computeOutput(b, b.gatherND(x, idx)), [12, 10, 2, 0]);
  });
});

describe('values', () => {
  test('gather on axis 2 of a rank-4 input with rank-2 (negative) indices', async () => {
    const shape = [2, 3, 4, 2];
    const x = Array.from({ length: 48 }, (_, i) => i);
    const idx = [3, -1, 0, 1, -4, 2];
    const out = await runGraph((b, o) => b.gather(o.x!, o.i!, { axis: 2 }), {
      x: { type: 'float32', shape, data: x }, i: { type: 'int32', shape: [2, 3], data: idx },
    });
    assert.deepEqual(out.shape, [2, 3, 2, 3, 2]);
    const expected: number[] = [];
    for (let a = 0; a < 2; a++) for (let c = 0; c < 3; c++) for (const j of idx) for (let d = 0; d < 2; d++) {
      const k = j < 0 ? j + 4 : j;
      expected.push(((a * 3 + c) * 4 + k) * 2 + d);
    }
    assert.deepEqual(out.data, expected);
  });

  test('gatherND with rank-3 indices', async () => {
    const shape = [3, 4, 2];
    const x = Array.from({ length: 24 }, (_, i) => i * 10);
    const idx = [0, 1, 2, 3, 1, 0, 2, 2, -1, -1, 0, 0]; // [2, 3, 2]
    const out = await runGraph((b, o) => b.gatherND(o.x!, o.i!), {
      x: { type: 'int32', shape, data: x }, i: { type: 'int64', shape: [2, 3, 2], data: idx },
    });
    assert.deepEqual(out.shape, [2, 3, 2]);
    const expected: number[] = [];
    for (let p = 0; p < 6; p++) {
      const r = (idx[2 * p]! + 3) % 3;
      const c = (idx[2 * p + 1]! + 4) % 4;
      expected.push(x[(r * 4 + c) * 2]!, x[(r * 4 + c) * 2 + 1]!);
    }
    assert.deepEqual(out.data, expected);
  });
});

describe('gatherElements and scatterElements along a later axis, by hand', () => {
  test('gatherElements on axis 1 of a rank-2 and the middle axis of a rank-3 input (negative indices count from the end)', async () => {
    const rows = await runGraph((b, o) => b.gatherElements(o.x!, o.i!, { axis: 1 }), {
      x: { type: 'float32', shape: [2, 3], data: [10, 11, 12, 20, 21, 22] }, i: { type: 'int32', shape: [2, 2], data: [2, 0, -1, 1] },
    });
    assert.deepEqual(rows, { shape: [2, 2], data: [12, 10, 22, 21] });
    // x[i][j][k] = 100i + 10j + k; out[i][0][k] = x[i][idx[i][0][k]][k].
    const v = Array.from({ length: 12 }, (_, f) => 100 * Math.floor(f / 6) + 10 * (Math.floor(f / 2) % 3) + (f % 2));
    const mid = await runGraph((b, o) => b.gatherElements(o.x!, o.i!, { axis: 1 }), {
      x: { type: 'float32', shape: [2, 3, 2], data: v }, i: { type: 'int64', shape: [2, 1, 2], data: [2, 0, 1, -3] },
    });
    assert.deepEqual(mid, { shape: [2, 1, 2], data: [20, 1, 110, 101] });
  });
  test('scatterElements on axis 1 of a rank-2 and the middle axis of a rank-3 input', async () => {
    const rows = await runGraph((b, o) => b.scatterElements(o.x!, o.i!, o.u!, { axis: 1 }), {
      x: { type: 'float32', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, i: { type: 'int32', shape: [2, 1], data: [2, 0] },
      u: { type: 'float32', shape: [2, 1], data: [-1, -2] },
    });
    assert.deepEqual(rows, { shape: [2, 3], data: [1, 2, -1, -2, 5, 6] });
    const v = Array.from({ length: 12 }, (_, f) => 100 * Math.floor(f / 6) + 10 * (Math.floor(f / 2) % 3) + (f % 2));
    const mid = await runGraph((b, o) => b.scatterElements(o.x!, o.i!, o.u!, { axis: 1 }), {
      x: { type: 'float32', shape: [2, 3, 2], data: v }, i: { type: 'int32', shape: [2, 1, 2], data: [1, 2, 0, -1] },
      u: { type: 'float32', shape: [2, 1, 2], data: [-1, -2, -3, -4] },
    });
    assert.deepEqual(mid, { shape: [2, 3, 2], data: [0, 1, -1, 11, 20, -2, -3, 101, 110, 111, 120, -4] });
  });
});

const table: WptCase[] = [
  ok('gather', [desc('int32', [3]), i64()], 'int32', []),
  ok('gather', [f32(1, 2, 3, 4), i64(5, 6), { axis: 2 }], 'float32', [1, 2, 5, 6, 4]),
  ok('gather', [f32(1, 2, 3, 4), u32(5, 6), { axis: 2 }], 'float32', [1, 2, 5, 6, 4]),
  ok('gather', [f32(1, 2, 3, 4), i32(5, 6), { axis: 2 }], 'float32', [1, 2, 5, 6, 4]),
  bad('gather', [f16(), i64(1)]),
  bad('gather', [f16(1, 2, 3), i32(5, 6), { axis: 4 }]),
  bad('gather', [f16(1, 2, 3), i32(5, 6), { axis: 3 }]),
  bad('gather', [f16(1, 2, 3, 4), f32(5, 6)]),
  bad('gather', [f16(1, 2, 3, 4), desc('uint64', [5, 6])]),
  bad('gather', [f32(1, 3, 3, 4), i32(Math.floor(MAX_BYTES / 4)), { axis: 2 }], 'output over maxTensorByteLength'),
  ok('gatherElements', [f32(1, 2, 3), i32(2, 2, 3)], 'float32', [2, 2, 3]),
  ok('gatherElements', [f32(1, 2, 3, 4), i32(1, 2, 1, 4), { axis: 2 }], 'float32', [1, 2, 1, 4]),
  bad('gatherElements', [f32(), i32()]),
  bad('gatherElements', [f32(1, 2, 3), i32(1, 2, 3), { axis: 4 }]),
  bad('gatherElements', [f32(1, 2, 3), f32(1, 2, 3)]),
  bad('gatherElements', [f32(1, 2, 3), i32(1, 2)]),
  bad('gatherElements', [f32(1, 2, 3, 4), i32(3, 2, 3, 4), { axis: 3 }]),
  ok('gatherND', [f32(2, 2, 3, 3, 4), i32(5, 4, 3)], 'float32', [5, 4, 3, 4]),
  bad('gatherND', [f32(), i32(1, 1, 1)]),
  bad('gatherND', [f32(1, 1, 1), i32()]),
  bad('gatherND', [f32(1, 2, 3), f32(1, 1, 1)]),
  bad('gatherND', [f32(1, 2, 3), i32(1, 1, 4)]),
  bad('gatherND', [f32(2, 2, 3, 3, 4), i32(Math.floor(MAX_BYTES / 4), 1, 1)], 'output over maxTensorByteLength'),
  ok('scatterElements', [f32(3, 3), i32(2, 3), f32(2, 3)], 'float32', [3, 3]),
  ok('scatterElements', [f32(3, 3), i32(2, 3), f32(2, 3), { axis: 0 }], 'float32', [3, 3]),
  ok('scatterElements', [f32(3, 3), i32(3, 2), f32(3, 2), { axis: 1 }], 'float32', [3, 3]),
  bad('scatterElements', [f32(3, 3), i32(2, 3), f32(2, 3), { axis: 2 }]),
  bad('scatterElements', [f32(3, 3), i32(2, 3), f16(2, 3)]),
  bad('scatterElements', [f32(), i32(), f32()]),
  bad('scatterElements', [f32(3, 3), i32(2, 3, 3), f32(2, 3, 3)]),
  bad('scatterElements', [f32(3, 3), i32(2, 4), f32(2, 4), { axis: 0 }]),
  bad('scatterElements', [f32(3, 3), i32(2, 2), f32(2, 2), { axis: 1 }]),
  bad('scatterElements', [f32(3, 3), i32(2, 3), f32(2, 3, 3)]),
  bad('scatterElements', [f32(3, 3), i32(2, 3), f32(2, 4)]),
  ok('scatterND', [f32(4, 4, 4), i32(2, 1), f32(2, 4, 4)], 'float32', [4, 4, 4]),
  bad('scatterND', [f32(4, 4, 4), i32(2, 1), f16(2, 4, 4)]),
  bad('scatterND', [f32(), i32(2, 1), f32(2, 4, 4)]),
  bad('scatterND', [f32(4, 4, 4), i32(), f32(2, 4, 4)]),
  bad('scatterND', [f32(4, 4, 4), i32(2, 4), f32(2, 4, 4)]),
  bad('scatterND', [f32(4, 4, 4), i32(2, 1), f32(2, 3, 4)]),
];
validationTable('gather', table);

const inner = (s: number[]) => count(s.slice(1));
const rows = (x: number[], s: number[]) => Array.from({ length: s[0]! }, (_, r) => x.slice(r * inner(s), (r + 1) * inner(s)));

const advertised: Record<string, Case> = {
  gather: {
    inputs: 1, values: (i, _a, t) => (DTYPES[t].signed ? (i % 7) - 3 : i % 5), param: 'input',
    call: (b, [x]) => b.gather(x!, constant(b, 'int32', [3], [-1, 0, 5])),
    ref: (xs, s) => { const r = rows(xs[0]!, s); return s.length === 1 ? [r[1]!, r[0]!, r[1]!].flat() : [...r[1]!, ...r[0]!, ...r[1]!]; },
  },
  gatherElements: {
    inputs: 1, values: (i) => i % 5, param: 'input',
    call: (b, [x]) => b.gatherElements(x!, constant(b, 'int64', [...x!.shape], Array.from({ length: count([...x!.shape]) }, (_, i) => (i % 3) - 1))),
    ref: (xs, s) => xs[0]!.map((_, i) => {
      const w = ((i % 3) - 1 + 2) % 2;
      return xs[0]![w * inner(s) + (i % inner(s))]!;
    }),
  },
  gatherND: {
    inputs: 1, values: (i) => i % 5, param: 'input',
    call: (b, [x]) => b.gatherND(x!, constant(b, 'uint32', [3, 1], [1, 0, 7])),
    ref: (xs, s) => { const r = rows(xs[0]!, s); return [...r[1]!, ...r[0]!, ...r[1]!]; },
  },
  scatterElements: {
    inputs: 1, values: (i) => i % 5, param: 'input',
    call: (b, [x], t) => {
      const s = [1, ...x!.shape.slice(1)];
      return b.scatterElements(x!, constant(b, 'int32', s, Array(count(s)).fill(-1)), constant(b, t, s, Array.from({ length: count(s) }, (_, i) => 6 + (i % 2))));
    },
    ref: (xs, s) => xs[0]!.map((v, i) => (i >= inner(s) ? 6 + ((i - inner(s)) % 2) : v)),
  },
  scatterND: {
    inputs: 1, values: (i) => i % 5, param: 'input',
    call: (b, [x], t) => {
      const s = [1, ...x!.shape.slice(1)];
      return b.scatterND(x!, constant(b, 'int64', [1, 1], [-1]), constant(b, t, s, Array.from({ length: count(s) }, (_, i) => 6 + (i % 2))));
    },
    ref: (xs, s) => xs[0]!.map((v, i) => (i >= inner(s) ? 6 + ((i - inner(s)) % 2) : v)),
  },
};

test('every data type and rank opSupportLimits() advertises for the gather and scatter operators builds, runs and computes', async (t) => {
  await checkAdvertised(t, advertised);
});

test('opSupportLimits() reports the spec\'s tables for the gather and scatter operators', () => {
  const limits = ctx.opSupportLimits() as unknown as Record<string, Limits>;
  const all = ['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64', 'int8', 'uint8'];
  const idx = ['int32', 'uint32', 'int64'];
  for (const op of ['gather', 'gatherElements', 'gatherND', 'scatterElements', 'scatterND']) {
    assertLimits(limits, op, 'input', all, 1);
    assertLimits(limits, op, 'indices', idx, op === 'gather' ? 0 : 1);
  }
  assertLimits(limits, 'scatterND', 'updates', all, 0);
});
