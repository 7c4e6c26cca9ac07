// resample2d: the spec's validation, WPT-style tables, what opSupportLimits() reports, and values against a
// plain-JS reference of the spec's sampling on every pair of axes (linear and nearest-neighbor, int8/uint8 rounding).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder, MLContext } from '../../src/index.js';
import { f32, f16, i32, count, sampleValues, assertClose, opTypeError, context, runGraph } from '../support/index.js';
import { checkAdvertised, type Limits } from '../support/limits.js';
import { validationTable, ok, bad, MAX_ULONG, type WptCase } from '../support/wpt.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

/** The spec's resample2d sampling on any two axes of a 4-D tensor. */
function resampleRef(x: number[], xs: number[], outShape: number[], axes: number[], mode: 'linear' | 'nearest-neighbor'): number[] {
  const strides = xs.map((_, i) => count(xs.slice(i + 1)));
  const coord = (axis: number, o: number) => {
    const scale = outShape[axis]! / xs[axis]!;
    return Math.min(Math.max((o + 0.5) / scale - 0.5, 0), xs[axis]! - 1);
  };
  const out: number[] = [];
  const idx = [0, 0, 0, 0];
  for (let i = 0; i < count(outShape); i++) {
    let rem = i;
    for (let d = 3; d >= 0; d--) { idx[d] = rem % outShape[d]!; rem = Math.floor(rem / outShape[d]!); }
    const at = (pos: number[]) => x[pos.reduce((s, p, d) => s + p * strides[d]!, 0)]!;
    const [a0, a1] = axes as [number, number];
    const c0 = coord(a0, idx[a0]!);
    const c1 = coord(a1, idx[a1]!);
    const pos = [...idx];
    if (mode === 'nearest-neighbor') {
      pos[a0] = Math.ceil(c0 - 0.5);
      pos[a1] = Math.ceil(c1 - 0.5);
      out.push(at(pos));
      continue;
    }
    const sample = (p0: number, p1: number) => { pos[a0] = p0; pos[a1] = p1; return at(pos); };
    const t0 = c0 - Math.floor(c0);
    const t1 = c1 - Math.floor(c1);
    const v0 = sample(Math.floor(c0), Math.floor(c1)) * (1 - t1) + sample(Math.floor(c0), Math.ceil(c1)) * t1;
    const v1 = sample(Math.ceil(c0), Math.floor(c1)) * (1 - t1) + sample(Math.ceil(c0), Math.ceil(c1)) * t1;
    out.push(v0 * (1 - t0) + v1 * t0);
  }
  return out;
}

// ---- validation ------------------------------------------------------------------------------------------------

describe('validation', () => {
  test('resample2d', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(1, 2, 3, 4));
    const label = 'lbl';
    const rs = (o: object, input = x) => b.resample2d(input, { label, ...o });
    assert.throws(() => rs({}, b.input('r2', f32(3, 4))), opTypeError('resample2d', 'lbl', /'input' has rank 2/));
    assert.throws(() => rs({}, b.input('i', { dataType: 'int32', shape: [1, 2, 3, 4] })), opTypeError('resample2d', 'lbl', /'input' has data type int32/));
    assert.throws(() => rs({ mode: 'cubic' }), opTypeError('resample2d', 'lbl', /mode 'cubic' is not one of nearest-neighbor, linear/));
    assert.throws(() => rs({ scales: [2] }), opTypeError('resample2d', 'lbl', /scales must have 2 values/));
    assert.throws(() => rs({ scales: [2, 0] }), opTypeError('resample2d', 'lbl', /scales \[2, 0\] must be greater than 0/));
    assert.throws(() => rs({ scales: [2, -1] }), opTypeError('resample2d', 'lbl', /must be greater than 0/));
    assert.throws(() => rs({ scales: [2, NaN] }), opTypeError('resample2d', 'lbl', /scales\[1\] must be a finite float/));
    assert.throws(() => rs({ sizes: [2, 2, 2] }), opTypeError('resample2d', 'lbl', /sizes must have 2 values/));
    assert.throws(() => rs({ sizes: [2, 0] }), opTypeError('resample2d', 'lbl', /sizes \[2, 0\] must not contain 0/));
    assert.throws(() => rs({ axes: [2, 2] }), opTypeError('resample2d', 'lbl', /axes \[2, 2\] must not repeat an axis/));
    assert.throws(() => rs({ axes: [3, 4] }), opTypeError('resample2d', 'lbl', /axes \[3, 4\] must be less than the input rank 4/));
    assert.throws(() => rs({ axes: [1] }), opTypeError('resample2d', 'lbl', /axes must have 2 values/));
    assert.throws(() => rs({ scales: [0.1, 1] }), opTypeError('resample2d', 'lbl', /output size 0 for axis 2/));
    // Scales floor to the output size; sizes win over scales; axes pick the dimensions.
    assert.deepEqual(rs({ scales: [1.5, 0.5] }).shape, [1, 2, 4, 2]);
    assert.deepEqual(rs({ scales: [9, 9], sizes: [5, 7] }).shape, [1, 2, 5, 7]);
    assert.deepEqual(rs({ sizes: [5, 7], axes: [3, 0] }).shape, [7, 2, 3, 5]);
  });
});

const table: WptCase[] = [
  ok('resample2d', [f32(1, 1, 2, 4)], 'float32', [1, 1, 2, 4]),
  ok('resample2d', [f32(1, 1, 2, 4), { scales: [2, 2] }], 'float32', [1, 1, 4, 8]),
  ok('resample2d', [f32(1, 1, 5, 5), { scales: [0.5, 0.5] }], 'float32', [1, 1, 2, 2]),
  ok('resample2d', [f16(1, 1, 5, 5), { scales: [0.5, 0.5] }], 'float16', [1, 1, 2, 2]),
  ok('resample2d', [f32(1, 1, 5, 5), { scales: [0.5, 0.5], axes: [2, 3] }], 'float32', [1, 1, 2, 2]),
  ok('resample2d', [f32(1, 1, 2, 4), { scales: [1, 2], axes: [0, 1] }], 'float32', [1, 2, 2, 4]),
  ok('resample2d', [f32(1, 1, 2, 4), { scales: [2, 2], axes: [1, 2] }], 'float32', [1, 2, 4, 4]),
  ok('resample2d', [f32(1, 1, 2, 4), { scales: [2, 2], sizes: [3, 6] }], 'float32', [1, 1, 3, 6]),
  bad('resample2d', [i32(2, 4)]),
  bad('resample2d', [f32(2, 4)]),
  bad('resample2d', [f32(1, 1, 2, 4), { scales: [1, 1, 2, 2] }]),
  bad('resample2d', [f32(1, 1, 2, 4), { scales: [1, -2] }]),
  bad('resample2d', [f32(1, 1, 2, 4), { scales: [0, 2] }]),
  bad('resample2d', [f32(1, 1, 2, 4), { sizes: [1, 1, 4, 6] }]),
  bad('resample2d', [f32(1, 1, 2, 4), { sizes: [0, 1] }]),
  bad('resample2d', [f32(1, 1, 2, 4), { sizes: [1, 0] }]),
  bad('resample2d', [i32(1, 1, 2, 4), { sizes: [1, 1, 4, 6] }]),
  bad('resample2d', [f32(1, 1, 2, 4), { sizes: [MAX_ULONG + 1, MAX_ULONG + 1] }]),
  bad('resample2d', [f32(1, 1, 2, 4), { scales: [MAX_ULONG, 1] }]),
  bad('resample2d', [f32(1, 1, 2, 4), { scales: [0.02, 0.8] }], 'output height 0'),
  bad('resample2d', [f32(1, 1, 4, 2), { scales: [1, MAX_ULONG] }]),
  bad('resample2d', [f32(1, 1, 2, 4), { scales: [0.7, 0.1] }], 'output width 0'),
  bad('resample2d', [f32(1, 1, 2, 4), { axes: [0, 1, 2] }]),
  bad('resample2d', [f32(1, 1, 2, 4), { axes: [3, 4] }]),
  bad('resample2d', [f32(1, 1, 2, 4), { axes: [0, 0] }]),
  // spec: axes only need to be distinct and in range (MLResample2dOptions); WPT's old "[0, 2] are not consecutive"
  // predates that, so non-consecutive axes validate.
  ok('resample2d', [f32(1, 1, 2, 4), { axes: [0, 2], scales: [1, 2] }], 'float32', [1, 1, 4, 4]),
  bad('resample2d', [f32(1, 1, 2, 4), { mode: 'cubic' }]),
];
validationTable('resample', table);

test('opSupportLimits reports the spec tables as far as they run', () => {
  const limits = ctx.opSupportLimits() as unknown as Record<string, Limits>;
  const rank4 = { min: 4, max: 4 };
  const rsTypes = ['float32', 'float16', 'uint8', 'int8'];
  assert.deepEqual(limits.resample2d, { input: { dataTypes: rsTypes, rankRange: rank4 }, output: { dataTypes: rsTypes, rankRange: rank4 } });
});

test('every advertised type of the single-input operators runs and computes', async (t) => {
  // Inputs of shape [2, 3, 1, 2]: pool over pairs along the last axis, resample that axis to 4.
  await checkAdvertised(t, {
    resample2d: {
      inputs: 1, values: (i) => (i * 5) % 7, call: (b, [x]) => b.resample2d(x!, { sizes: [1, 4] }),
      ref: (xs) => xs[0]!.flatMap((v, i) => (i % 2 === 0 ? [v, v] : [v, v])),
    },
  });
});

describe('resample2d values', () => {
  const shape = [2, 3, 4, 5];
  const x = sampleValues(count(shape), 11);
  const pairs = [[2, 3], [3, 2], [1, 2], [0, 1], [0, 3], [3, 1], [2, 0]];
  for (const mode of ['linear', 'nearest-neighbor'] as const) {
    for (const axes of pairs) {
      test(`${mode} on axes [${axes.join(', ')}] with non-integer scales`, async () => {
        const scales = [1.7, 0.6];
        const out = await runGraph((b, o) => b.resample2d(o.x!, { mode, axes, scales }), { x: { type: 'float32', shape, data: x } });
        const outShape = [...shape];
        axes.forEach((a, i) => { outShape[a] = Math.floor(shape[a]! * scales[i]!); });
        assert.deepEqual(out.shape, outShape);
        assertClose(out.data, resampleRef(x, shape, outShape, axes, mode), 1e-6, `${mode} ${axes.join(',')}`);
      });
    }
  }

  test('int8 and uint8 linear results are rounded to nearest', async () => {
    const u = await runGraph((b, o) => b.resample2d(o.x!, { mode: 'linear', sizes: [1, 8] }), { x: { type: 'uint8', shape: [1, 1, 1, 2], data: [0, 255] } });
    assert.deepEqual(u.data, resampleRef([0, 255], [1, 1, 1, 2], [1, 1, 1, 8], [2, 3], 'linear').map((v) => Math.round(v)));
    const s = await runGraph((b, o) => b.resample2d(o.x!, { mode: 'linear', sizes: [1, 4] }), { x: { type: 'int8', shape: [1, 1, 1, 2], data: [-100, 100] } });
    assert.deepEqual(s.data, [-100, -50, 50, 100]);
  });
});
