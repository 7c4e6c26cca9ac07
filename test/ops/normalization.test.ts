// batchNormalization, instanceNormalization, layerNormalization: validation (shapes of mean, variance, scale and
// bias by axis and layout), values against a JS reference of the spec's formulas, and every data type and rank
// opSupportLimits() advertises.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder, MLContext } from '../../src/index.js';
import { desc, f32, f16, i32, count, sampleValues, permute, roundToFloat16, assertClose, typeError, context, runGraph, constant } from '../support/index.js';
import { checkAdvertised, floatish, assertLimits, type Case, type Limits } from '../support/limits.js';
import { validationTable, ok, bad, type WptCase } from '../support/wpt.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

describe('batchNormalization validation', () => {
  const setup = () => {
    const b = new MLGraphBuilder(ctx);
    return { b, x: b.input('x', f32(2, 3, 4)), m3: b.input('m', f32(3)), v3: b.input('v', f32(3)) };
  };
  test('mean and variance must match the feature dimension', () => {
    const { b, x, m3 } = setup();
    const v4 = b.input('v4', f32(4));
    assert.throws(() => b.batchNormalization(x, m3, v4, { label: 'bn' }), typeError(/^batchNormalization \[bn\]: variance has shape \[4\], expected \[3\]$/));
    assert.throws(() => b.batchNormalization(x, v4, m3), typeError(/^batchNormalization: mean has shape \[4\], expected \[3\]$/));
    // With axis 2 the size-4 operands are the right ones.
    assert.deepEqual(b.batchNormalization(x, v4, v4, { axis: 2 }).shape, [2, 3, 4]);
  });
  test('axis must be within the input rank', () => {
    const { b, x, m3, v3 } = setup();
    assert.throws(() => b.batchNormalization(x, m3, v3, { axis: 3, label: 'bn' }), typeError(/^batchNormalization \[bn\]: axis 3 must be less than the input rank 3$/));
  });
  test('data types: float only, and every operand has the input type', () => {
    const { b, x, m3, v3 } = setup();
    const xi = b.input('xi', desc('int32', [2, 3]));
    assert.throws(() => b.batchNormalization(xi, m3, v3), typeError(/^batchNormalization: 'input' has data type int32, which is not one of the supported types/));
    const h3 = b.input('h3', desc('float16', [3]));
    assert.throws(() => b.batchNormalization(x, m3, v3, { scale: h3, label: 'L' }), typeError(/^batchNormalization \[L\]: scale has data type float16, the input has float32$/));
  });
  test('mean must be 1-D; scale and bias match the feature dimension', () => {
    const { b, x, m3, v3 } = setup();
    const m2 = b.input('m2', f32(1, 3));
    assert.throws(() => b.batchNormalization(x, m2, v3), typeError(/^batchNormalization: 'mean' has rank 2, outside the supported range 1 to 1$/));
    const b2 = b.input('b2', f32(2));
    assert.throws(() => b.batchNormalization(x, m3, v3, { bias: b2 }), typeError(/^batchNormalization: bias has shape \[2\], expected \[3\]$/));
  });
});

describe('instanceNormalization validation', () => {
  test('input must be 4-D', () => {
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.instanceNormalization(b.input('x', f32(2, 3, 4) ), { label: 'in' }), typeError(/^instanceNormalization \[in\]: 'input' has rank 3, outside the supported range 4 to 4$/));
  });
  test('scale and bias follow the layout\'s channel dimension', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(1, 2, 3, 5));
    const s2 = b.input('s2', f32(2));
    const s5 = b.input('s5', f32(5));
    assert.deepEqual(b.instanceNormalization(x, { scale: s2 }).shape, [1, 2, 3, 5]);
    assert.throws(() => b.instanceNormalization(x, { scale: s2, layout: 'nhwc', label: 'in' }), typeError(/^instanceNormalization \[in\]: scale has shape \[2\], expected \[5\]$/));
    assert.deepEqual(b.instanceNormalization(x, { bias: s5, layout: 'nhwc' }).shape, [1, 2, 3, 5]);
    assert.throws(() => b.instanceNormalization(x, { layout: 'nwhc' as 'nhwc' }), typeError(/^instanceNormalization: layout 'nwhc' is not one of nchw, nhwc$/));
    const h2 = b.input('h2', desc('float16', [2]));
    assert.throws(() => b.instanceNormalization(x, { bias: h2 }), typeError(/^instanceNormalization: bias has data type float16, the input has float32$/));
  });
});

describe('layerNormalization validation', () => {
  test('axes must be distinct and within the rank', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3, 4));
    assert.throws(() => b.layerNormalization(x, { axes: [1, 1], label: 'ln' }), typeError(/^layerNormalization \[ln\]: axes \[1, 1\] has duplicate values$/));
    assert.throws(() => b.layerNormalization(x, { axes: [0, 3] }), typeError(/^layerNormalization: axes \[0, 3\] has 3, not less than the input rank 3$/));
    assert.throws(() => b.layerNormalization(x, { axes: [-1] }), typeError(/^layerNormalization: axes\[0\] -1 is out of the unsigned long range$/));
  });
  test('scale and bias have the sizes of the axes, in the order given', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3, 4));
    const s43 = b.input('s43', f32(4, 3));
    assert.deepEqual(b.layerNormalization(x, { axes: [2, 1], scale: s43 }).shape, [2, 3, 4]);
    assert.throws(() => b.layerNormalization(x, { scale: s43, label: 'ln' }), typeError(/^layerNormalization \[ln\]: scale has shape \[4, 3\], expected \[3, 4\]$/));
    assert.throws(() => b.layerNormalization(x, { axes: [2], bias: s43 }), typeError(/^layerNormalization: bias has shape \[4, 3\], expected \[4\]$/));
    const xi = b.input('xi', desc('int32', [2]));
    assert.throws(() => b.layerNormalization(xi), typeError(/^layerNormalization: 'input' has data type int32/));
  });
});

describe('values', () => {
  test('layerNormalization over non-trailing, unsorted axes with scale and bias in axes order (float16)', async () => {
    const shape = [3, 2, 4];
    const x = sampleValues(24, 5).map((v, i) => v + i / 8);
    const axes = [2, 0];
    const scale = sampleValues(12, 2); // shape [4, 3]: [x.shape[2], x.shape[0]]
    const bias = sampleValues(12, 3);
    for (const type of ['float32', 'float16'] as const) {
      const out = await runGraph((b, o) => b.layerNormalization(o.x!, { axes, scale: o.s!, bias: o.b!, epsilon: 1e-3 }), {
        x: { type, shape, data: x }, s: { type, shape: [4, 3], data: scale }, b: { type, shape: [4, 3], data: bias },
      });
      const xin = type === 'float16' ? roundToFloat16(x) : x;
      const sIn = type === 'float16' ? roundToFloat16(scale) : scale;
      const bIn = type === 'float16' ? roundToFloat16(bias) : bias;
      const expected: number[] = new Array(24);
      for (let j = 0; j < 2; j++) {
        const pos: number[] = [];
        for (let i = 0; i < 3; i++) for (let k = 0; k < 4; k++) pos.push((i * 2 + j) * 4 + k);
        const mean = pos.reduce((s, p) => s + xin[p]!, 0) / pos.length;
        const variance = pos.reduce((s, p) => s + (xin[p]! - mean) ** 2, 0) / pos.length;
        const eps = type === 'float16' ? roundToFloat16([1e-3])[0]! : Math.fround(1e-3);
        for (let i = 0; i < 3; i++) for (let k = 0; k < 4; k++) {
          const p = (i * 2 + j) * 4 + k;
          expected[p] = ((xin[p]! - mean) / Math.sqrt(variance + eps)) * sIn[k * 3 + i]! + bIn[k * 3 + i]!;
        }
      }
      assertClose(out.data, type === 'float16' ? roundToFloat16(expected) : expected, type === 'float16' ? 1e-3 : 1e-5, type);
    }
  });

  test('batchNormalization on the last axis (nhwc)', async () => {
    const shape = [2, 2, 3, 4];
    const x = sampleValues(48, 7);
    const mean = [0.5, -0.25, 1, 0];
    const variance = [1, 0.25, 4, 2];
    const scale = [2, -1, 0.5, 1];
    const bias = [0, 1, -1, 0.25];
    const out = await runGraph((b, o) => b.batchNormalization(o.x!, o.m!, o.v!, { axis: 3, scale: o.s!, bias: o.b! }), {
      x: { type: 'float32', shape, data: x }, m: { type: 'float32', shape: [4], data: mean },
      v: { type: 'float32', shape: [4], data: variance }, s: { type: 'float32', shape: [4], data: scale },
      b: { type: 'float32', shape: [4], data: bias },
    });
    const eps = Math.fround(1e-5);
    assertClose(out.data, x.map((v, i) => {
      const c = i % 4;
      return ((v - mean[c]!) / Math.sqrt(variance[c]! + eps)) * scale[c]! + bias[c]!;
    }), 1e-5, 'batchNormalization');
  });
});

// Hand-computed, so no lowering bug can agree with itself: per instance and channel the spatial values have a mean
// and variance such that variance + epsilon (4) is a square.
describe('instanceNormalization values, by hand', () => {
  // [N=2, C=2, H=2, W=2], channel by channel:
  //   n0 c0 [1, 3, 5, 7]:   mean 4, variance 5  → (x − 4)/3      → [-1, -1/3, 1/3, 1]
  //   n0 c1 [0, 0, 0, 8]:   mean 2, variance 12 → (x − 2)/4      → [-0.5, -0.5, -0.5, 1.5]
  //   n1 c0 [5, 5, 5, 5]:   mean 5, variance 0  → 0/2            → [0, 0, 0, 0]
  //   n1 c1 [-1, 7, 7, 7]:  mean 5, variance 12 → (x − 5)/4      → [-1.5, 0.5, 0.5, 0.5]
  // then · scale [2, -1] + bias [0.5, 10].
  const nchw = [1, 3, 5, 7, 0, 0, 0, 8, 5, 5, 5, 5, -1, 7, 7, 7];
  const expected = [-1.5, -1 / 6, 7 / 6, 2.5, 10.5, 10.5, 10.5, 8.5, 0.5, 0.5, 0.5, 0.5, 11.5, 9.5, 9.5, 9.5];
  const toNhwc = (v: number[]) => permute(v, [2, 2, 2, 2], [0, 2, 3, 1]);
  for (const dataType of ['float32', 'float16'] as const) {
    const tol = dataType === 'float16' ? 2e-3 : 1e-6;
    test(`nchw with scale, bias and epsilon (${dataType})`, async () => {
      const out = await runGraph((b, o) => b.instanceNormalization(o.x!, { scale: o.s!, bias: o.b!, epsilon: 4 }), {
        x: { type: dataType, shape: [2, 2, 2, 2], data: nchw }, s: { type: dataType, shape: [2], data: [2, -1] },
        b: { type: dataType, shape: [2], data: [0.5, 10] },
      });
      assert.deepEqual(out.shape, [2, 2, 2, 2]);
      assertClose(out.data, expected, tol, 'nchw');
    });
    test(`nhwc with scale, bias and epsilon: statistics over H and W of each channel, the last axis (${dataType})`, async () => {
      // The same numbers as [N, H, W, C]: n0 is [1, 0, 3, 0, 5, 0, 7, 8], n1 is [5, -1, 5, 7, 5, 7, 5, 7].
      assert.deepEqual(toNhwc(nchw), [1, 0, 3, 0, 5, 0, 7, 8, 5, -1, 5, 7, 5, 7, 5, 7]);
      const out = await runGraph((b, o) => b.instanceNormalization(o.x!, { layout: 'nhwc', scale: o.s!, bias: o.b!, epsilon: 4 }), {
        x: { type: dataType, shape: [2, 2, 2, 2], data: toNhwc(nchw) }, s: { type: dataType, shape: [2], data: [2, -1] },
        b: { type: dataType, shape: [2], data: [0.5, 10] },
      });
      assertClose(out.data, toNhwc(expected), tol, 'nhwc');
    });
  }
  test('nhwc with H ≠ W ≠ C and the default epsilon, without scale and bias', async () => {
    // [1, 1, 3, 2] nhwc: channel 0 is [1, 2, 6], channel 1 is [4, 4, 4] (variance 0: all zeros).
    // channel 0: mean 3, variance (4 + 1 + 9)/3 = 14/3.
    const out = await runGraph((b, o) => b.instanceNormalization(o.x!, { layout: 'nhwc' }), {
      x: { type: 'float32', shape: [1, 1, 3, 2], data: [1, 4, 2, 4, 6, 4] },
    });
    const sd = Math.sqrt(14 / 3 + 1e-5);
    assertClose(out.data, [-2 / sd, 0, -1 / sd, 0, 3 / sd, 0], 1e-6, 'nhwc [1, 1, 3, 2]');
  });
});

describe('batchNormalization values, by hand', () => {
  test('a given epsilon is added to the variance: sqrt(5 + 4) = 3, sqrt(12 + 4) = 4', async () => {
    // x [1, 2, 1, 2]: channel 0 [4, -2] with mean 1 → [1, -1]; channel 1 [7, -5] with mean -1 → [2, -1];
    // then · scale [2, 0.5] + bias [1, -1].
    const out = await runGraph((b, o) => b.batchNormalization(o.x!, o.m!, o.v!, { scale: o.s!, bias: o.b!, epsilon: 4 }), {
      x: { type: 'float32', shape: [1, 2, 1, 2], data: [4, -2, 7, -5] }, m: { type: 'float32', shape: [2], data: [1, -1] },
      v: { type: 'float32', shape: [2], data: [5, 12] }, s: { type: 'float32', shape: [2], data: [2, 0.5] },
      b: { type: 'float32', shape: [2], data: [1, -1] },
    });
    assert.deepEqual(out.data, [3, -1, 0, -1.5]);
  });
});

const table: WptCase[] = [
  ok('batchNormalization', [f32(1, 2, 5, 5), f32(2), f32(2)], 'float32', [1, 2, 5, 5]),
  ok('batchNormalization', [f32(1, 2, 5, 5), f32(5), f32(5), { axis: 2, epsilon: 1e-4 }], 'float32', [1, 2, 5, 5]),
  bad('batchNormalization', [i32(1, 2, 5, 5), i32(2), i32(2)]),
  bad('batchNormalization', [f32(1, 2, 5, 5), f16(2), f32(2)]),
  bad('batchNormalization', [f32(1, 2, 5, 5), f32(1, 2), f32(2)]),
  bad('batchNormalization', [f32(1, 2, 5, 5), f32(3), f32(2), { axis: 1 }]),
  bad('batchNormalization', [f32(1, 2, 5, 5), f32(2), f16(2)]),
  bad('batchNormalization', [f32(1, 2, 5, 5), f32(2), f32(2, 2)]),
  bad('batchNormalization', [f32(1, 2, 5, 5), f32(5), f32(2), { axis: 2 }]),
  bad('batchNormalization', [f16(1, 2, 5, 5), f16(2), f16(2), { scale: f32(2) }]),
  bad('batchNormalization', [f32(1, 2, 5, 5), f32(2), f32(2), { scale: f32(2, 1) }]),
  bad('batchNormalization', [f32(1, 2, 5, 5), f32(5), f32(5), { axis: 2, scale: f32(2) }]),
  bad('batchNormalization', [f16(1, 2, 5, 5), f16(2), f16(2), { bias: f32(2) }]),
  bad('batchNormalization', [f32(1, 2, 5, 5), f32(2), f32(2), { bias: f32(2, 1) }]),
  bad('batchNormalization', [f32(1, 2, 5, 5), f32(5), f32(5), { axis: 2, bias: f32(2) }]),
  bad('batchNormalization', [f32(1, 2, 5, 5), f32(5), f32(5), { axis: 4 }]),
  ok('instanceNormalization', [f32(1, 2, 3, 4)], 'float32', [1, 2, 3, 4]),
  ok('instanceNormalization', [f32(1, 2, 3, 4), { scale: f32(2), bias: f32(2), epsilon: 1e-5 }], 'float32', [1, 2, 3, 4]),
  ok('instanceNormalization', [f32(1, 2, 3, 4), { epsilon: 1e-4 }], 'float32', [1, 2, 3, 4]),
  ok('instanceNormalization', [f32(1, 2, 3, 4), { layout: 'nhwc', scale: f32(4), bias: f32(4) }], 'float32', [1, 2, 3, 4]),
  ok('instanceNormalization', [f16(1, 2, 3, 4)], 'float16', [1, 2, 3, 4]),
  bad('instanceNormalization', [f32(1, 2, 5, 5, 2)]),
  bad('instanceNormalization', [i32(1, 2, 5, 5)]),
  bad('instanceNormalization', [f16(1, 2, 5, 5), { scale: f32(2) }]),
  bad('instanceNormalization', [f32(1, 2, 5, 5), { scale: f32(2, 1) }]),
  bad('instanceNormalization', [f32(1, 2, 5, 5), { layout: 'nhwc', scale: f32(2) }]),
  bad('instanceNormalization', [f32(1, 5, 5, 2), { layout: 'nchw', scale: f32(2) }]),
  bad('instanceNormalization', [f16(1, 2, 5, 5), { bias: f32(2) }]),
  bad('instanceNormalization', [f32(1, 2, 5, 5), { bias: f32(2, 1) }]),
  bad('instanceNormalization', [f32(1, 2, 5, 5), { layout: 'nhwc', bias: f32(2) }]),
  bad('instanceNormalization', [f32(1, 5, 5, 2), { layout: 'nchw', bias: f32(2) }]),
  ok('layerNormalization', [f32()], 'float32', []),
  ok('layerNormalization', [f16()], 'float16', []),
  ok('layerNormalization', [f32(1, 2, 3, 4), { axes: [3] }], 'float32', [1, 2, 3, 4]),
  ok('layerNormalization', [f32(1, 2, 3, 4), { scale: f32(2, 3, 4) }], 'float32', [1, 2, 3, 4]),
  ok('layerNormalization', [f32(1, 2, 3, 4), { epsilon: 1e-4 }], 'float32', [1, 2, 3, 4]),
  ok('layerNormalization', [f32(1, 2, 3, 4), { scale: f32(3, 4), bias: f32(3, 4), axes: [2, 3] }], 'float32', [1, 2, 3, 4]),
  ok('layerNormalization', [f32(1, 2, 3, 4, 5, 6), { scale: f32(2, 4, 6), bias: f32(2, 4, 6), axes: [1, 3, 5] }], 'float32', [1, 2, 3, 4, 5, 6]),
  ok('layerNormalization', [f32(1, 2, 3, 4, 5, 6), { scale: f32(6, 5, 4, 3, 2), bias: f32(6, 5, 4, 3, 2), axes: [5, 4, 3, 2, 1] }], 'float32', [1, 2, 3, 4, 5, 6]),
  ok('layerNormalization', [f32(2, 3), { axes: [] }], 'float32', [2, 3]),
  bad('layerNormalization', [desc('uint32', [1, 2, 3, 4])]),
  bad('layerNormalization', [f32(1, 2, 3, 4), { axes: [1, 2, 4] }]),
  bad('layerNormalization', [f32(1, 2, 3, 4), { axes: [3, 3] }]),
  bad('layerNormalization', [f32(1, 2, 3, 4), { scale: f32(3, 4), bias: f16(3, 4), axes: [2, 3] }]),
  bad('layerNormalization', [f32(1, 2, 3, 4), { scale: f16(3, 4), bias: f32(3, 4), axes: [2, 3] }]),
  bad('layerNormalization', [f32(1, 2, 3, 4), { bias: f32(3, 3, 4) }]),
  bad('layerNormalization', [f32(1, 2, 3, 4), { scale: f32(3, 3, 4) }]),
  bad('layerNormalization', [f32(1, 2, 3, 4), { bias: f32(1, 2, 3, 4) }]),
  bad('layerNormalization', [f32(1, 2, 3, 4), { scale: f32(1, 2, 3, 4) }]),
  bad('layerNormalization', [f32(1, 2, 3, 4, 5, 6), { scale: f32(2, 3, 4, 5, 6), axes: [5, 4, 3, 2, 1] }], 'scale follows the order of axes'),
];
validationTable('normalization', table);

/** Reference normalization of x over the given axes (all other positions independent), then the affine part. */
function normRef(x: number[], s: number[], axes: number[], eps: number, affine: (pos: number[]) => [number, number]): number[] {
  const strides = s.map((_, i) => count(s.slice(i + 1)));
  const pos = (flat: number) => s.map((d, i) => Math.floor(flat / strides[i]!) % d);
  const key = (p: number[]) => p.map((v, i) => (axes.includes(i) ? 0 : v)).join(',');
  const groups = new Map<string, number[]>();
  x.forEach((v, i) => { const k = key(pos(i)); groups.set(k, [...(groups.get(k) ?? []), v]); });
  return x.map((v, i) => {
    const g = groups.get(key(pos(i)))!;
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    const variance = g.reduce((a, b) => a + (b - mean) ** 2, 0) / g.length;
    const [scale, bias] = affine(pos(i));
    return ((v - mean) / Math.sqrt(variance + eps)) * scale + bias;
  });
}

const advertised: Record<string, Case> = {
  batchNormalization: {
    inputs: 1, values: floatish, param: 'input',
    call: (b, [x], t, rank) => {
      const axis = rank > 1 ? 1 : 0;
      const c = x!.shape[axis]!;
      const at = (f: (i: number) => number) => constant(b, t, [c], Array.from({ length: c }, (_, i) => f(i)));
      return b.batchNormalization(x!, at((i) => i), at((i) => i + 1), { axis, scale: at((i) => 2 - i), bias: at((i) => i / 2) });
    },
    ref: (xs, s) => {
      const axis = s.length > 1 ? 1 : 0;
      const strides = count(s.slice(axis + 1));
      return xs[0]!.map((v, i) => {
        const f = Math.floor(i / strides) % s[axis]!;
        return ((v - f) / Math.sqrt(f + 1 + 1e-5)) * (2 - f) + f / 2;
      });
    },
  },
  instanceNormalization: {
    inputs: 1, values: floatish, param: 'input',
    call: (b, [x], t) => b.instanceNormalization(x!, {
      scale: constant(b, t, [x!.shape[1]!], [...Array(x!.shape[1]).keys()].map((i) => i + 1)),
      bias: constant(b, t, [x!.shape[1]!], [...Array(x!.shape[1]).keys()].map((i) => -i)),
    }),
    ref: (xs, s) => normRef(xs[0]!, s, [2, 3], 1e-5, (p) => [p[1]! + 1, -p[1]!]),
  },
  'instanceNormalization nhwc': {
    op: 'instanceNormalization', inputs: 1, values: floatish, param: 'input',
    call: (b, [x], t) => b.instanceNormalization(x!, {
      layout: 'nhwc',
      scale: constant(b, t, [x!.shape[3]!], [...Array(x!.shape[3]).keys()].map((i) => i + 1)),
      bias: constant(b, t, [x!.shape[3]!], [...Array(x!.shape[3]).keys()].map((i) => -i)),
    }),
    ref: (xs, s) => normRef(xs[0]!, s, [1, 2], 1e-5, (p) => [p[3]! + 1, -p[3]!]),
  },
  layerNormalization: {
    inputs: 1, values: floatish, param: 'input',
    call: (b, [x]) => b.layerNormalization(x!),
    ref: (xs, s) => normRef(xs[0]!, s, s.map((_, i) => i).slice(1), 1e-5, () => [1, 0]),
  },
};

test('every data type and rank opSupportLimits() advertises for the normalization operators builds, runs and computes', async (t) => {
  await checkAdvertised(t, advertised);
});

test('opSupportLimits() reports the spec\'s tables for the normalizations', () => {
  const limits = ctx.opSupportLimits() as unknown as Record<string, Limits>;
  const floats = ['float32', 'float16'];
  assertLimits(limits, 'batchNormalization', 'input', floats, 1);
  for (const p of ['mean', 'variance', 'scale', 'bias']) assertLimits(limits, 'batchNormalization', p, floats, 1, 1);
  assertLimits(limits, 'instanceNormalization', 'input', floats, 4, 4);
  assertLimits(limits, 'instanceNormalization', 'scale', floats, 1, 1);
  assertLimits(limits, 'layerNormalization', 'scale', floats, 0);
});
