// Normalization, gemm/matmul and the gather/scatter family: spec validation (TypeError naming operator and label),
// opSupportLimits() truth for every advertised data type and rank, and defined results for negative and out-of-range
// indices (clamped into the dimension, never an out-of-bounds access or a failed run).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, type MLContext, type MLOperand, type MLOperandDataType, type MLOperandDescriptor } from '../src/index.js';
import { DTYPES, type TypedArray } from '../src/graph/dtypes.js';
import { checkAdvertised, count, fromArray, toArray, type Case, type Limits } from './support/limits.js';
import { typeError } from './support/errors.js';

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});

const desc = (dataType: MLOperandDataType, shape: number[]): MLOperandDescriptor => ({ dataType, shape });
const f32 = (shape: number[]) => desc('float32', shape);
const constant = (b: MLGraphBuilder, t: MLOperandDataType, shape: number[], values: number[]) =>
  b.constant(desc(t, shape), toArray(values, t));

// ---- validation -------------------------------------------------------------------------------------------------

describe('batchNormalization validation', () => {
  const setup = () => {
    const b = new MLGraphBuilder(ctx);
    return { b, x: b.input('x', f32([2, 3, 4])), m3: b.input('m', f32([3])), v3: b.input('v', f32([3])) };
  };
  test('mean and variance must match the feature dimension', () => {
    const { b, x, m3 } = setup();
    const v4 = b.input('v4', f32([4]));
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
    const m2 = b.input('m2', f32([1, 3]));
    assert.throws(() => b.batchNormalization(x, m2, v3), typeError(/^batchNormalization: 'mean' has rank 2, outside the supported range 1 to 1$/));
    const b2 = b.input('b2', f32([2]));
    assert.throws(() => b.batchNormalization(x, m3, v3, { bias: b2 }), typeError(/^batchNormalization: bias has shape \[2\], expected \[3\]$/));
  });
});

describe('instanceNormalization validation', () => {
  test('input must be 4-D', () => {
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.instanceNormalization(b.input('x', f32([2, 3, 4]) ), { label: 'in' }), typeError(/^instanceNormalization \[in\]: 'input' has rank 3, outside the supported range 4 to 4$/));
  });
  test('scale and bias follow the layout\'s channel dimension', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32([1, 2, 3, 5]));
    const s2 = b.input('s2', f32([2]));
    const s5 = b.input('s5', f32([5]));
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
    const x = b.input('x', f32([2, 3, 4]));
    assert.throws(() => b.layerNormalization(x, { axes: [1, 1], label: 'ln' }), typeError(/^layerNormalization \[ln\]: axes \[1, 1\] has duplicate values$/));
    assert.throws(() => b.layerNormalization(x, { axes: [0, 3] }), typeError(/^layerNormalization: axes \[0, 3\] has 3, not less than the input rank 3$/));
    assert.throws(() => b.layerNormalization(x, { axes: [-1] }), typeError(/^layerNormalization: axes\[0\] -1 is out of the unsigned long range$/));
  });
  test('scale and bias have the sizes of the axes, in the order given', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32([2, 3, 4]));
    const s43 = b.input('s43', f32([4, 3]));
    assert.deepEqual(b.layerNormalization(x, { axes: [2, 1], scale: s43 }).shape, [2, 3, 4]);
    assert.throws(() => b.layerNormalization(x, { scale: s43, label: 'ln' }), typeError(/^layerNormalization \[ln\]: scale has shape \[4, 3\], expected \[3, 4\]$/));
    assert.throws(() => b.layerNormalization(x, { axes: [2], bias: s43 }), typeError(/^layerNormalization: bias has shape \[4, 3\], expected \[4\]$/));
    const xi = b.input('xi', desc('int32', [2]));
    assert.throws(() => b.layerNormalization(xi), typeError(/^layerNormalization: 'input' has data type int32/));
  });
});

describe('gemm and matmul validation', () => {
  test('gemm operands are 2-D with matching inner dimensions after the transposes', () => {
    const b = new MLGraphBuilder(ctx);
    const a = b.input('a', f32([3, 4]));
    const a3 = b.input('a3', f32([1, 3, 4]));
    const b45 = b.input('b', f32([4, 5]));
    assert.throws(() => b.gemm(a3, b45, { label: 'g' }), typeError(/^gemm \[g\]: 'a' has rank 3, outside the supported range 2 to 2$/));
    assert.throws(() => b.gemm(a, b45, { aTranspose: true, label: 'g' }), typeError(/^gemm \[g\]: a's columns \(3, of \[4, 3\] transposed\) must equal b's rows \(4, of \[4, 5\]\)$/));
    assert.deepEqual(b.gemm(a, b.input('bt', f32([5, 4])), { bTranspose: true }).shape, [3, 5]);
  });
  test('gemm c is unidirectionally broadcastable to [M, N] and has a\'s type', () => {
    const b = new MLGraphBuilder(ctx);
    const a = b.input('a', f32([3, 4]));
    const bb = b.input('b', f32([4, 5]));
    for (const shape of [[], [1], [5], [3, 1], [1, 5], [3, 5]]) assert.deepEqual(b.gemm(a, bb, { c: b.input(`c${shape.join('x')}`, f32(shape)) }).shape, [3, 5]);
    assert.throws(() => b.gemm(a, bb, { c: b.input('c3', f32([3])), label: 'g' }), typeError(/^gemm \[g\]: c of shape \[3\] is not broadcastable to \[3, 5\]$/));
    assert.throws(() => b.gemm(a, bb, { c: b.input('c135', f32([1, 3, 5])) }), typeError(/^gemm: 'c' has rank 3/));
    assert.throws(() => b.gemm(a, bb, { c: b.input('ch', desc('float16', [5])) }), typeError(/^gemm: c \(float16\) must have a's data type \(float32\)$/));
    assert.throws(() => b.gemm(a, b.input('bh', desc('float16', [4, 5]))), typeError(/^gemm: a \(float32\) and b \(float16\) must have the same data type$/));
  });
  test('matmul needs rank ≥ 2 and broadcastable batch dimensions', () => {
    const b = new MLGraphBuilder(ctx);
    const v = b.input('v', f32([4]));
    const m = b.input('m', f32([2, 3, 4]));
    assert.throws(() => b.matmul(v, m, { label: 'mm' }), typeError(/^matmul \[mm\]: 'a' has rank 1/));
    assert.throws(() => b.matmul(m, b.input('n', f32([3, 4, 5]))), typeError(/^matmul: batch dimensions of \[2, 3, 4\] and \[3, 4, 5\] are not broadcastable$/));
    assert.deepEqual(b.matmul(m, b.input('k', f32([5, 1, 4, 6]))).shape, [5, 2, 3, 6]);
  });
});

describe('gather family validation', () => {
  const setup = () => {
    const b = new MLGraphBuilder(ctx);
    let k = 0;
    return { b, x: b.input('x', f32([2, 3, 4])), i32: (shape: number[]) => b.input(`i${k++}`, desc('int32', shape)) };
  };
  test('gather: index type, axis, input rank, output shape', () => {
    const { b, x, i32 } = setup();
    assert.throws(() => b.gather(x, b.input('fi', f32([2])), { label: 'g' }), typeError(/^gather \[g\]: 'indices' has data type float32, which is not one of the supported types \(int32, uint32, int64\)$/));
    assert.throws(() => b.gather(x, i32([2]), { axis: 3, label: 'g' }), typeError(/^gather \[g\]: axis 3 must be less than the input rank 3$/));
    assert.throws(() => b.gather(b.input('s', f32([])), i32([2])), typeError(/^gather: 'input' has rank 0/));
    assert.deepEqual(b.gather(x, i32([5, 6]), { axis: 1 }).shape, [2, 5, 6, 4]);
    assert.deepEqual(b.gather(b.input('v', f32([7])), i32([])).shape, []);
  });
  test('gatherElements: indices match the input outside the axis', () => {
    const { b, x, i32 } = setup();
    assert.throws(() => b.gatherElements(x, i32([2, 3]), { label: 'ge' }), typeError(/^gatherElements \[ge\]: indices has rank 2, the input has rank 3$/));
    assert.throws(() => b.gatherElements(x, i32([2, 5, 4]), { axis: 0 }), typeError(/^gatherElements: indices shape \[2, 5, 4\] must equal the input shape \[2, 3, 4\] except along axis 0$/));
    assert.deepEqual(b.gatherElements(x, i32([2, 5, 4]), { axis: 1 }).shape, [2, 5, 4]);
    assert.throws(() => b.gatherElements(x, b.input('u8', desc('uint8', [2, 3, 4]))), typeError(/^gatherElements: 'indices' has data type uint8/));
  });
  test('gatherND: coordinates per index at most the input rank', () => {
    const { b, x, i32 } = setup();
    assert.throws(() => b.gatherND(x, i32([5, 4]), { label: 'gn' }), typeError(/^gatherND \[gn\]: indices' last dimension 4 \(coordinates per index\) is greater than the input rank 3$/));
    assert.throws(() => b.gatherND(x, i32([])), typeError(/^gatherND: 'indices' has rank 0/));
    assert.deepEqual(b.gatherND(x, i32([5, 2])).shape, [5, 4]);
    assert.deepEqual(b.gatherND(x, i32([3])).shape, []);
  });
  test('scatterElements: updates have the indices\' shape and the input\'s type', () => {
    const { b, x, i32 } = setup();
    const idx = i32([2, 1, 4]);
    assert.throws(() => b.scatterElements(x, idx, b.input('u', f32([2, 2, 4])), { axis: 1, label: 'se' }), typeError(/^scatterElements \[se\]: updates shape \[2, 2, 4\] must equal the indices shape \[2, 1, 4\]$/));
    assert.throws(() => b.scatterElements(x, idx, b.input('uh', desc('float16', [2, 1, 4])), { axis: 1 }), typeError(/^scatterElements: updates has data type float16, the input has float32$/));
    assert.throws(() => b.scatterElements(x, idx, b.input('u2', f32([2, 1, 4])), { axis: 0 }), typeError(/^scatterElements: indices shape \[2, 1, 4\] must equal the input shape \[2, 3, 4\] except along axis 0$/));
    assert.throws(() => b.scatterElements(x, idx, b.input('u3', f32([2, 1, 4])), { axis: 5 }), typeError(/^scatterElements: axis 5 must be less than the input rank 3$/));
    assert.deepEqual(b.scatterElements(x, idx, b.input('u4', f32([2, 1, 4])), { axis: 1 }).shape, [2, 3, 4]);
  });
  test('scatterND: updates shape is indices[:-1] + input[k:]', () => {
    const { b, x, i32 } = setup();
    assert.throws(() => b.scatterND(x, i32([5, 2]), b.input('u', f32([5, 3])), { label: 'sn' }), typeError(/^scatterND \[sn\]: updates shape \[5, 3\] must be \[5, 4\]/));
    assert.throws(() => b.scatterND(x, i32([1, 4]), b.input('u1', f32([1]))), typeError(/^scatterND: indices' last dimension 4 \(coordinates per index\) is greater than the input rank 3$/));
    assert.throws(() => b.scatterND(x, b.input('fi', f32([1, 3])), b.input('u2', f32([1]))), typeError(/^scatterND: 'indices' has data type float32/));
    assert.deepEqual(b.scatterND(x, i32([1, 3]), b.input('u3', f32([1]))).shape, [2, 3, 4]);
  });
});

// ---- indices: every index type, negative and out-of-range values -------------------------------------------------

async function run(b: MLGraphBuilder, y: MLOperand, feeds: Record<string, TypedArray> = {}): Promise<number[]> {
  const graph = await b.build({ y });
  const out = (await ctx.compute(graph, feeds)).y!;
  graph.destroy();
  return fromArray(out.data, y.dataType);
}

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
      assert.deepEqual(await run(b, b.gather(constant(b, 'float32', [5], x5), b.input('idx', desc(t, [n]))), feed), expected);
      b = new MLGraphBuilder(ctx);
      assert.deepEqual(await run(b, b.gatherElements(constant(b, 'float32', [5], x5), b.input('idx', desc(t, [n]))), feed), expected);
      b = new MLGraphBuilder(ctx);
      assert.deepEqual(await run(b, b.gatherND(constant(b, 'float32', [5], x5), b.input('idx', desc(t, [n, 1]))), feed), expected);
      // Scatter: each update lands at the clamped position. Use one index at a time so duplicates cannot race.
      for (let k = 0; k < n; k++) {
        const one = { idx: toArray([indices[k]!], t) };
        const want = x5.map((v, i) => (i === expected[k]! / 10 ? -1 : v));
        b = new MLGraphBuilder(ctx);
        const se = b.scatterElements(constant(b, 'float32', [5], x5), b.input('idx', desc(t, [1])), constant(b, 'float32', [1], [-1]));
        assert.deepEqual(await run(b, se, one), want, `scatterElements index ${indices[k]}`);
        b = new MLGraphBuilder(ctx);
        const sn = b.scatterND(constant(b, 'float32', [5], x5), b.input('idx', desc(t, [1, 1])), constant(b, 'float32', [1], [-1]));
        assert.deepEqual(await run(b, sn, one), want, `scatterND index ${indices[k]}`);
      }
    });
  }

  test('scatter indices that clamp onto the same position write one of their updates', async () => {
    let b = new MLGraphBuilder(ctx);
    const se = b.scatterElements(constant(b, 'float32', [5], [0, 1, 2, 3, 4]), constant(b, 'int64', [2], [7, 9]), constant(b, 'float32', [2], [-1, -2]));
    const out = await run(b, se);
    assert.deepEqual(out.slice(0, 4), [0, 1, 2, 3]);
    assert.ok(out[4] === -1 || out[4] === -2, `last element ${out[4]}`);
    b = new MLGraphBuilder(ctx);
    const sn = b.scatterND(constant(b, 'float32', [2, 2], [0, 1, 2, 3]), constant(b, 'int32', [2, 1], [-5, 0]), constant(b, 'float32', [2, 2], [-1, -1, -1, -1]));
    assert.deepEqual(await run(b, sn), [-1, -1, 2, 3]);
  });

  test('gatherND clamps each coordinate against its own dimension', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = constant(b, 'int32', [2, 3], [0, 1, 2, 10, 11, 12]);
    const idx = constant(b, 'int32', [4, 2], [-1, -1, 5, 0, 0, 9, -7, -7]);
    assert.deepEqual(await run(b, b.gatherND(x, idx)), [12, 10, 2, 0]);
  });
});

// ---- opSupportLimits() truth ------------------------------------------------------------------------------------

/** Row-major strides of `shape`. */
const inner = (s: number[]) => count(s.slice(1));
const rows = (x: number[], s: number[]) => Array.from({ length: s[0]! }, (_, r) => x.slice(r * inner(s), (r + 1) * inner(s)));
const floatish = (i: number, arg: number) => ((i * 7 + arg * 3) % 11) - 5;

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
  layerNormalization: {
    inputs: 1, values: floatish, param: 'input',
    call: (b, [x]) => b.layerNormalization(x!),
    ref: (xs, s) => normRef(xs[0]!, s, s.map((_, i) => i).slice(1), 1e-5, () => [1, 0]),
  },
  gemm: {
    inputs: 2, values: floatish, param: 'a',
    call: (b, [x, y], t) => b.gemm(x!, y!, { bTranspose: true, alpha: 0.5, beta: 2, c: constant(b, t, [], [3]) }),
    ref: (xs, s) => {
      const [m, k] = [s[0]!, s[1]!];
      const out: number[] = [];
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += xs[0]![i * k + p]! * xs[1]![j * k + p]!;
        out.push(0.5 * acc + 6);
      }
      return out;
    },
  },
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

test('every data type and rank these operators advertise builds, runs and computes', async (t) => {
  await checkAdvertised(t, advertised);
});

test('opSupportLimits() reports the spec\'s tables for these operators', async () => {
  const limits = (await ml.createContext()).opSupportLimits() as unknown as Record<string, Limits>;
  const floats = ['float32', 'float16'];
  const all = ['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64', 'int8', 'uint8'];
  const idx = ['int32', 'uint32', 'int64'];
  const check = (op: string, param: string, types: string[], min: number, max?: number) => {
    const l = limits[op]![param]!;
    assert.deepEqual([...l.dataTypes].sort(), [...types].sort(), `${op}.${param} data types`);
    assert.equal(l.rankRange.min, min, `${op}.${param} min rank`);
    if (max !== undefined) assert.equal(l.rankRange.max, max, `${op}.${param} max rank`);
  };
  check('batchNormalization', 'input', floats, 1);
  for (const p of ['mean', 'variance', 'scale', 'bias']) check('batchNormalization', p, floats, 1, 1);
  check('instanceNormalization', 'input', floats, 4, 4);
  check('instanceNormalization', 'scale', floats, 1, 1);
  check('layerNormalization', 'scale', floats, 0);
  check('gemm', 'a', floats, 2, 2);
  check('gemm', 'c', floats, 0, 2);
  check('matmul', 'b', floats, 2);
  for (const op of ['gather', 'gatherElements', 'gatherND', 'scatterElements', 'scatterND']) {
    check(op, 'input', all, 1);
    check(op, 'indices', idx, op === 'gather' ? 0 : 1);
  }
  check('scatterND', 'updates', all, 0);
});
