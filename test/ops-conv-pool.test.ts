// conv2d, convTranspose2d, averagePool2d, l2Pool2d, maxPool2d, resample2d: the spec's validation (TypeError naming
// the operator and label), what opSupportLimits() reports, and values against plain-JS references for
// combinations the conformance cases do not cover (nhwc with every filter layout and groups, int max pooling,
// resampling over any axis pair).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, type MLContext, type MLOperandDataType } from '../src/index.js';
import { checkAdvertised, type Limits, runGraph, type Feed, type GraphOf } from './support/limits.js';

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});

// ---- helpers ---------------------------------------------------------------------------------------------------

const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
/** Deterministic values in [-2, 2) with a few distinct fractions, so sums are exact enough to compare. */
const values = (n: number, seed = 1) => Array.from({ length: n }, (_, i) => (((i * 7 + seed * 13) % 16) - 8) / 4);

function typeError(op: string, message: RegExp) {
  return (err: unknown): true => {
    assert.ok(err instanceof TypeError && !(err instanceof DOMException), `expected a TypeError, got ${String(err)}`);
    assert.ok(err.message.startsWith(`${op} [lbl]: `), `message names ${op} and the label: ${err.message}`);
    assert.match(err.message, message);
    return true;
  };
}

/** Transposes `data` of `shape` by `perm` (output dimension i is input dimension perm[i]). */
function permute(data: readonly number[], shape: readonly number[], perm: readonly number[]): number[] {
  const outShape = perm.map((p) => shape[p]!);
  const strides = shape.map((_, i) => count(shape.slice(i + 1)));
  const out = new Array<number>(data.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < data.length; o++) {
    let rem = o;
    let src = 0;
    for (let d = outShape.length - 1; d >= 0; d--) {
      idx[d] = rem % outShape[d]!;
      rem = Math.floor(rem / outShape[d]!);
      src += idx[d]! * strides[perm[d]!]!;
    }
    out[o] = data[src]!;
  }
  return out;
}
/** The permutation that takes `from` layout letters to `to` (e.g. 'hwio' → 'oihw'). */
const layoutPerm = (from: string, to: string) => [...to].map((l) => from.indexOf(l));

const run = (build: GraphOf, inputs: Record<string, Feed>) => runGraph(ctx, build, inputs);

function assertClose(actual: number[], expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      assert.ok(Object.is(a, e), `${what}: element ${i} is ${a}, expected ${e}`);
      return;
    }
    assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${what}: element ${i} is ${a}, expected ${e}`);
  });
}

// ---- references (NCHW; filters OIHW for conv2d, IOHW for convTranspose2d) -------------------------------------

interface Win { padding: number[]; strides: number[]; dilations: number[] }

function conv2dRef(x: number[], xs: number[], w: number[], ws: number[], o: Win & { groups: number; bias?: number[] }) {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [O, Cg, KH, KW] = ws as [number, number, number, number];
  const OH = Math.floor((H - (KH - 1) * o.dilations[0]! - 1 + o.padding[0]! + o.padding[1]!) / o.strides[0]!) + 1;
  const OW = Math.floor((W - (KW - 1) * o.dilations[1]! - 1 + o.padding[2]! + o.padding[3]!) / o.strides[1]!) + 1;
  const Og = O / o.groups;
  const out: number[] = [];
  for (let n = 0; n < N; n++) for (let oc = 0; oc < O; oc++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    const g = Math.floor(oc / Og);
    let acc = o.bias?.[oc] ?? 0;
    for (let ci = 0; ci < Cg; ci++) for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
      const ih = oh * o.strides[0]! - o.padding[0]! + kh * o.dilations[0]!;
      const iw = ow * o.strides[1]! - o.padding[2]! + kw * o.dilations[1]!;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      acc += x[((n * C + g * Cg + ci) * H + ih) * W + iw]! * w[((oc * Cg + ci) * KH + kh) * KW + kw]!;
    }
    out.push(acc);
  }
  return { shape: [N, O, OH, OW], data: out };
}

function convTranspose2dRef(x: number[], xs: number[], w: number[], ws: number[], o: Win & { groups: number; outputSizes: number[]; bias?: number[] }) {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [, Og, KH, KW] = ws as [number, number, number, number];
  const O = Og * o.groups;
  const Cg = C / o.groups;
  const [OH, OW] = o.outputSizes as [number, number];
  const out = new Array<number>(N * O * OH * OW).fill(0);
  for (let n = 0; n < N; n++) for (let oc = 0; oc < O; oc++) for (let i = 0; i < OH * OW; i++) out[(n * O + oc) * OH * OW + i] = o.bias?.[oc] ?? 0;
  for (let n = 0; n < N; n++) for (let ci = 0; ci < C; ci++) for (let ih = 0; ih < H; ih++) for (let iw = 0; iw < W; iw++) {
    const g = Math.floor(ci / Cg);
    for (let oc = 0; oc < Og; oc++) for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
      const oh = ih * o.strides[0]! - o.padding[0]! + kh * o.dilations[0]!;
      const ow = iw * o.strides[1]! - o.padding[2]! + kw * o.dilations[1]!;
      if (oh < 0 || oh >= OH || ow < 0 || ow >= OW) continue;
      out[((n * O + g * Og + oc) * OH + oh) * OW + ow]! += x[((n * C + ci) * H + ih) * W + iw]! * w[((ci * Og + oc) * KH + kh) * KW + kw]!;
    }
  }
  return { shape: [N, O, OH, OW], data: out };
}

type PoolKind = 'averagePool2d' | 'l2Pool2d' | 'maxPool2d';
/** Pooling over the window elements inside the input (padding contributes nothing, not even to the average). */
function poolRef(kind: PoolKind, x: number[], xs: number[], outHW: number[], o: Win & { window: number[] }) {
  const [N, C, H, W] = xs as [number, number, number, number];
  const out: number[] = [];
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let oh = 0; oh < outHW[0]!; oh++) for (let ow = 0; ow < outHW[1]!; ow++) {
    const inside: number[] = [];
    for (let kh = 0; kh < o.window[0]!; kh++) for (let kw = 0; kw < o.window[1]!; kw++) {
      const ih = oh * o.strides[0]! - o.padding[0]! + kh * o.dilations[0]!;
      const iw = ow * o.strides[1]! - o.padding[2]! + kw * o.dilations[1]!;
      if (ih >= 0 && ih < H && iw >= 0 && iw < W) inside.push(x[((n * C + c) * H + ih) * W + iw]!);
    }
    if (kind === 'maxPool2d') out.push(Math.max(...inside));
    else if (kind === 'averagePool2d') out.push(inside.reduce((a, b) => a + b, 0) / inside.length);
    else out.push(Math.sqrt(inside.reduce((a, b) => a + b * b, 0)));
  }
  return out;
}

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
  const f32 = (shape: number[]) => ({ dataType: 'float32' as const, shape });
  const setup = () => new MLGraphBuilder(ctx);

  test('conv2d', () => {
    const b = setup();
    const x = b.input('x', f32([1, 4, 5, 5]));
    const w = b.input('w', f32([6, 2, 3, 3]));
    const label = 'lbl';
    assert.throws(() => b.conv2d(b.input('r3', f32([4, 5, 5])), w, { label }), typeError('conv2d', /'input' has rank 3/));
    assert.throws(() => b.conv2d(x, b.input('w3', f32([6, 2, 3])), { label }), typeError('conv2d', /'filter' has rank 3/));
    assert.throws(() => b.conv2d(b.input('xi', { dataType: 'int32', shape: [1, 4, 5, 5] }), w, { label }), typeError('conv2d', /'input' has data type int32/));
    assert.throws(() => b.conv2d(x, b.input('wh', { dataType: 'float16', shape: [6, 2, 3, 3] }), { label }), typeError('conv2d', /filter has data type float16/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, padding: [1, 1, 1] }), typeError('conv2d', /padding must have 4 values/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, strides: [1, 0] }), typeError('conv2d', /strides \[1, 0\] must not contain 0/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, strides: [1] }), typeError('conv2d', /strides must have 2 values/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, dilations: [0, 1] }), typeError('conv2d', /dilations/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 0 }), typeError('conv2d', /groups must not be 0/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 3 }), typeError('conv2d', /input channels \(4\) are not divisible by groups \(3\)/));
    assert.throws(() => b.conv2d(x, w, { label }), typeError('conv2d', /filter input channels \(2.*must be input channels \/ groups = 4/));
    assert.throws(() => b.conv2d(x, b.input('w4', f32([5, 1, 3, 3])), { label, groups: 4 }), typeError('conv2d', /filter output channels \(5\) are not divisible by groups \(4\)/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, bias: b.input('b', f32([5])) }), typeError('conv2d', /bias shape \[5\] must be \[6\]/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, bias: b.input('bh', { dataType: 'float16', shape: [6] }) }), typeError('conv2d', /bias has data type float16/));
    assert.throws(() => b.conv2d(x, b.input('big', f32([6, 2, 6, 6])), { label, groups: 2 }), typeError('conv2d', /output size \[0, 0\] is not valid/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, dilations: [3, 3] }), typeError('conv2d', /output size/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, inputLayout: 'chwn' as never }), typeError('conv2d', /inputLayout 'chwn' is not one of nchw, nhwc/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, filterLayout: 'iohw' as never }), typeError('conv2d', /filterLayout 'iohw' is not one of oihw, hwio, ohwi, ihwo/));
    // nhwc reads channels from the last dimension: 5 channels do not split into 2 groups.
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, inputLayout: 'nhwc' }), typeError('conv2d', /input channels \(5\)/));
    assert.deepEqual(b.conv2d(x, w, { groups: 2, padding: [1, 1, 0, 2], strides: [2, 1] }).shape, [1, 6, 3, 5]);
  });

  test('convTranspose2d', () => {
    const b = setup();
    const x = b.input('x', f32([1, 4, 3, 3]));
    const w = b.input('w', f32([4, 2, 3, 3]));
    const label = 'lbl';
    assert.throws(() => b.convTranspose2d(b.input('r5', f32([1, 4, 3, 3, 1])), w, { label }), typeError('convTranspose2d', /'input' has rank 5/));
    assert.throws(() => b.convTranspose2d(x, b.input('wi', { dataType: 'float16', shape: [4, 2, 3, 3] }), { label }), typeError('convTranspose2d', /filter has data type float16/));
    assert.throws(() => b.convTranspose2d(x, w, { label, padding: [0, 0] }), typeError('convTranspose2d', /padding must have 4 values/));
    assert.throws(() => b.convTranspose2d(x, w, { label, outputPadding: [1] }), typeError('convTranspose2d', /outputPadding must have 2 values/));
    assert.throws(() => b.convTranspose2d(x, w, { label, outputPadding: [1, 0] }), typeError('convTranspose2d', /outputPadding \[1, 0\] must be smaller than strides \[1, 1\]/));
    assert.throws(() => b.convTranspose2d(x, w, { label, outputSizes: [5, 5, 5] }), typeError('convTranspose2d', /outputSizes must have 2 values/));
    assert.throws(() => b.convTranspose2d(x, w, { label, strides: [2, 2], outputSizes: [9, 7] }), typeError('convTranspose2d', /outputSizes \[9, 7\] must be at least \[7, 7\]/));
    assert.throws(() => b.convTranspose2d(x, w, { label, strides: [2, 2], outputSizes: [6, 7] }), typeError('convTranspose2d', /outputSizes/));
    assert.throws(() => b.convTranspose2d(x, w, { label, groups: 0 }), typeError('convTranspose2d', /groups must not be 0/));
    assert.throws(() => b.convTranspose2d(x, b.input('w3', f32([3, 2, 3, 3])), { label }), typeError('convTranspose2d', /filter input channels \(3.*must equal the input channels \(4\)/));
    // groups that do not divide the input channels validate (spec, WPT); build() refuses them (validation-wpt-style).
    assert.equal(b.convTranspose2d(x, w, { label, groups: 3 }).shape[1], 6);
    assert.throws(() => b.convTranspose2d(x, w, { label, groups: 2, bias: b.input('b', f32([2])) }), typeError('convTranspose2d', /bias shape \[2\] must be \[4\]/));
    assert.throws(() => b.convTranspose2d(x, w, { label, padding: [3, 3, 0, 0] }), typeError('convTranspose2d', /output size \[-1, 5\] is not valid/));
    assert.throws(() => b.convTranspose2d(x, w, { label, filterLayout: 'oihw' as never }), typeError('convTranspose2d', /filterLayout 'oihw' is not one of iohw, hwoi, ohwi/));
    // Output padding is ignored (not checked against strides) when outputSizes is given.
    assert.deepEqual(b.convTranspose2d(x, w, { strides: [2, 2], outputPadding: [5, 5], outputSizes: [8, 7] }).shape, [1, 2, 8, 7]);
    assert.deepEqual(b.convTranspose2d(x, w, { strides: [2, 2], outputPadding: [1, 0], groups: 2 }).shape, [1, 4, 8, 7]);
  });

  for (const op of ['averagePool2d', 'l2Pool2d', 'maxPool2d'] as const) {
    test(op, () => {
      const b = setup();
      const x = b.input('x', f32([1, 2, 5, 5]));
      const label = 'lbl';
      const pool = (o: object, input = x) => b[op](input, { label, ...o });
      assert.throws(() => pool({}, b.input('r3', f32([2, 5, 5]))), typeError(op, /'input' has rank 3/));
      if (op !== 'maxPool2d') assert.throws(() => pool({}, b.input('i', { dataType: 'int8', shape: [1, 2, 5, 5] })), typeError(op, /'input' has data type int8/));
      assert.throws(() => pool({ windowDimensions: [2] }), typeError(op, /windowDimensions must have 2 values/));
      assert.throws(() => pool({ windowDimensions: [0, 2] }), typeError(op, /windowDimensions \[0, 2\] must not contain 0/));
      assert.throws(() => pool({ padding: [1, 1] }), typeError(op, /padding must have 4 values/));
      assert.throws(() => pool({ strides: [0, 1] }), typeError(op, /strides/));
      assert.throws(() => pool({ dilations: [1, 1, 1] }), typeError(op, /dilations must have 2 values/));
      assert.throws(() => pool({ outputSizes: [2] }), typeError(op, /outputSizes must have 2 values/));
      assert.throws(() => pool({ windowDimensions: [3, 3], strides: [2, 2], padding: [1, 0, 0, 1], outputSizes: [4, 4] }),
        typeError(op, /outputSizes \[4, 4\] must be the floor \[2, 2\] or the ceiling \[3, 3\]/));
      assert.throws(() => pool({ windowDimensions: [6, 6] }), typeError(op, /output size \[0, 0\] is not valid/));
      assert.throws(() => pool({ windowDimensions: [3, 3], dilations: [3, 1] }), typeError(op, /output size \[-1, 3\]/));
      assert.throws(() => pool({ layout: 'NCHW' }), typeError(op, /layout 'NCHW' is not one of nchw, nhwc/));
      assert.throws(() => pool({ outputShapeRounding: 'round' }), typeError(op, /outputShapeRounding 'round' is not one of floor, ceil/));
      // Global pooling by default; layouts and rounding choose the output shape.
      assert.deepEqual(pool({}).shape, [1, 2, 1, 1]);
      assert.deepEqual(pool({ layout: 'nhwc' }).shape, [1, 1, 1, 5]);
      assert.deepEqual(pool({ windowDimensions: [2, 2], strides: [2, 2] }).shape, [1, 2, 2, 2]);
      assert.deepEqual(pool({ windowDimensions: [2, 2], strides: [2, 2], outputShapeRounding: 'ceil' }).shape, [1, 2, 3, 3]);
      assert.deepEqual(pool({ windowDimensions: [2, 2], strides: [2, 2], roundingType: 'ceil' }).shape, [1, 2, 3, 3]);
      assert.deepEqual(pool({ windowDimensions: [2, 2], strides: [2, 2], outputShapeRounding: 'ceil', outputSizes: [2, 2] }).shape, [1, 2, 2, 2]);
    });
  }

  test('resample2d', () => {
    const b = setup();
    const x = b.input('x', f32([1, 2, 3, 4]));
    const label = 'lbl';
    const rs = (o: object, input = x) => b.resample2d(input, { label, ...o });
    assert.throws(() => rs({}, b.input('r2', f32([3, 4]))), typeError('resample2d', /'input' has rank 2/));
    assert.throws(() => rs({}, b.input('i', { dataType: 'int32', shape: [1, 2, 3, 4] })), typeError('resample2d', /'input' has data type int32/));
    assert.throws(() => rs({ mode: 'cubic' }), typeError('resample2d', /mode 'cubic' is not one of nearest-neighbor, linear/));
    assert.throws(() => rs({ scales: [2] }), typeError('resample2d', /scales must have 2 values/));
    assert.throws(() => rs({ scales: [2, 0] }), typeError('resample2d', /scales \[2, 0\] must be greater than 0/));
    assert.throws(() => rs({ scales: [2, -1] }), typeError('resample2d', /must be greater than 0/));
    assert.throws(() => rs({ scales: [2, NaN] }), typeError('resample2d', /scales\[1\] must be a finite float/));
    assert.throws(() => rs({ sizes: [2, 2, 2] }), typeError('resample2d', /sizes must have 2 values/));
    assert.throws(() => rs({ sizes: [2, 0] }), typeError('resample2d', /sizes \[2, 0\] must not contain 0/));
    assert.throws(() => rs({ axes: [2, 2] }), typeError('resample2d', /axes \[2, 2\] must not repeat an axis/));
    assert.throws(() => rs({ axes: [3, 4] }), typeError('resample2d', /axes \[3, 4\] must be less than the input rank 4/));
    assert.throws(() => rs({ axes: [1] }), typeError('resample2d', /axes must have 2 values/));
    assert.throws(() => rs({ scales: [0.1, 1] }), typeError('resample2d', /output size 0 for axis 2/));
    // Scales floor to the output size; sizes win over scales; axes pick the dimensions.
    assert.deepEqual(rs({ scales: [1.5, 0.5] }).shape, [1, 2, 4, 2]);
    assert.deepEqual(rs({ scales: [9, 9], sizes: [5, 7] }).shape, [1, 2, 5, 7]);
    assert.deepEqual(rs({ sizes: [5, 7], axes: [3, 0] }).shape, [7, 2, 3, 5]);
  });
});

// ---- opSupportLimits -------------------------------------------------------------------------------------------

test('opSupportLimits reports the spec tables as far as they run', () => {
  const limits = ctx.opSupportLimits() as unknown as Record<string, Limits>;
  const rank4 = { min: 4, max: 4 };
  const float = ['float32', 'float16'];
  for (const op of ['conv2d', 'convTranspose2d']) {
    assert.deepEqual(limits[op], {
      input: { dataTypes: float, rankRange: rank4 }, filter: { dataTypes: float, rankRange: rank4 },
      bias: { dataTypes: float, rankRange: { min: 1, max: 1 } }, output: { dataTypes: float, rankRange: rank4 },
    });
  }
  for (const op of ['averagePool2d', 'l2Pool2d']) {
    assert.deepEqual(limits[op], { input: { dataTypes: float, rankRange: rank4 }, output: { dataTypes: float, rankRange: rank4 } });
  }
  const maxTypes = ['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64', 'int8', 'uint8'];
  assert.deepEqual(limits.maxPool2d, { input: { dataTypes: maxTypes, rankRange: rank4 }, output: { dataTypes: maxTypes, rankRange: rank4 } });
  const rsTypes = ['float32', 'float16', 'uint8', 'int8'];
  assert.deepEqual(limits.resample2d, { input: { dataTypes: rsTypes, rankRange: rank4 }, output: { dataTypes: rsTypes, rankRange: rank4 } });
});

test('every advertised type of the single-input operators runs and computes', async (t) => {
  // Inputs of shape [2, 3, 1, 2]: pool over pairs along the last axis, resample that axis to 4.
  const pairs = (f: (a: number, b: number) => number) => (xs: number[][]) => {
    const out: number[] = [];
    for (let i = 0; i < xs[0]!.length; i += 2) out.push(f(xs[0]![i]!, xs[0]![i + 1]!));
    return out;
  };
  const window = { windowDimensions: [1, 2] };
  await checkAdvertised(t, {
    maxPool2d: { inputs: 1, values: (i) => (i * 5) % 7, call: (b, [x]) => b.maxPool2d(x!, window), ref: pairs(Math.max) },
    averagePool2d: { inputs: 1, values: (i) => (i * 5) % 7, call: (b, [x]) => b.averagePool2d(x!, window), ref: pairs((a, c) => (a + c) / 2) },
    l2Pool2d: { inputs: 1, values: (i) => (i * 5) % 7, call: (b, [x]) => b.l2Pool2d(x!, window), ref: pairs((a, c) => Math.hypot(a, c)) },
    resample2d: {
      inputs: 1, values: (i) => (i * 5) % 7, call: (b, [x]) => b.resample2d(x!, { sizes: [1, 4] }),
      ref: (xs) => xs[0]!.flatMap((v, i) => (i % 2 === 0 ? [v, v] : [v, v])),
    },
  });
});

// ---- values ----------------------------------------------------------------------------------------------------

describe('conv2d values', () => {
  const CONV_FILTER_LAYOUTS = ['oihw', 'hwio', 'ohwi', 'ihwo'] as const;
  for (const inputLayout of ['nchw', 'nhwc'] as const) {
    for (const filterLayout of CONV_FILTER_LAYOUTS) {
      test(`${inputLayout} input, ${filterLayout} filter, groups 2, strides, dilations, asymmetric padding, bias`, async () => {
        const xNchw = [2, 4, 5, 6];
        const wOihw = [6, 2, 2, 3];
        const x = values(count(xNchw), 1);
        const w = values(count(wOihw), 2);
        const bias = [0.5, -1, 0.25, 2, -0.75, 1];
        const opts = { padding: [1, 0, 2, 1], strides: [2, 1], dilations: [1, 2], groups: 2 };
        const ref = conv2dRef(x, xNchw, w, wOihw, { ...opts, bias });
        const xIn = inputLayout === 'nchw' ? x : permute(x, xNchw, [0, 2, 3, 1]);
        const wIn = permute(w, wOihw, layoutPerm('oihw', filterLayout));
        const out = await run((b, o) => b.conv2d(o.x!, o.w!, { ...opts, inputLayout, filterLayout, bias: o.bias! }), {
          x: { type: 'float32', shape: layoutPerm('nchw', inputLayout).map((p) => xNchw[p]!), data: xIn },
          w: { type: 'float32', shape: layoutPerm('oihw', filterLayout).map((p) => wOihw[p]!), data: wIn },
          bias: { type: 'float32', shape: [6], data: bias },
        });
        const expected = inputLayout === 'nchw' ? ref.data : permute(ref.data, ref.shape, [0, 2, 3, 1]);
        assert.deepEqual(out.shape, layoutPerm('nchw', inputLayout).map((p) => ref.shape[p]!));
        assertClose(out.data, expected, 1e-5, `conv2d ${inputLayout}/${filterLayout}`);
      });
    }
  }

  test('float16 depthwise nhwc/ihwo is computed to float16 precision', async () => {
    const xNchw = [1, 3, 4, 4];
    const wOihw = [3, 1, 3, 3];
    const x = values(count(xNchw), 3);
    const w = values(count(wOihw), 4);
    const opts = { padding: [1, 1, 1, 1], strides: [1, 1], dilations: [1, 1], groups: 3 };
    const ref = conv2dRef(x, xNchw, w, wOihw, opts);
    const out = await run((b, o) => b.conv2d(o.x!, o.w!, { ...opts, inputLayout: 'nhwc', filterLayout: 'ihwo' }), {
      x: { type: 'float16', shape: [1, 4, 4, 3], data: permute(x, xNchw, [0, 2, 3, 1]) },
      w: { type: 'float16', shape: [1, 3, 3, 3], data: permute(w, wOihw, layoutPerm('oihw', 'ihwo')) },
    });
    assertClose(out.data, permute(ref.data, ref.shape, [0, 2, 3, 1]), 1e-3, 'float16 depthwise');
  });
});

describe('convTranspose2d values', () => {
  for (const inputLayout of ['nchw', 'nhwc'] as const) {
    for (const filterLayout of ['iohw', 'hwoi', 'ohwi'] as const) {
      test(`${inputLayout} input, ${filterLayout} filter, groups 2, strides, dilations, padding, outputSizes, bias`, async () => {
        const xNchw = [1, 4, 3, 2];
        const wIohw = [4, 3, 2, 3];
        const x = values(count(xNchw), 5);
        const w = values(count(wIohw), 6);
        const bias = [1, -1, 0.5, 0.25, -0.5, 2];
        const opts = { padding: [1, 0, 0, 2], strides: [2, 3], dilations: [2, 1], groups: 2 };
        // calculated: (3-1)*2 + 3 - 1 = 6 high, (2-1)*3 + 3 - 2 = 4 wide; outputSizes may add up to strides - 1.
        const outputSizes = [7, 6];
        const ref = convTranspose2dRef(x, xNchw, w, wIohw, { ...opts, outputSizes, bias });
        const out = await run((b, o) => b.convTranspose2d(o.x!, o.w!, { ...opts, outputSizes, inputLayout, filterLayout, bias: o.bias! }), {
          x: { type: 'float32', shape: layoutPerm('nchw', inputLayout).map((p) => xNchw[p]!), data: inputLayout === 'nchw' ? x : permute(x, xNchw, [0, 2, 3, 1]) },
          w: { type: 'float32', shape: layoutPerm('iohw', filterLayout).map((p) => wIohw[p]!), data: permute(w, wIohw, layoutPerm('iohw', filterLayout)) },
          bias: { type: 'float32', shape: [6], data: bias },
        });
        assert.deepEqual(out.shape, layoutPerm('nchw', inputLayout).map((p) => ref.shape[p]!));
        assertClose(out.data, inputLayout === 'nchw' ? ref.data : permute(ref.data, ref.shape, [0, 2, 3, 1]), 1e-5, `convTranspose2d ${inputLayout}/${filterLayout}`);
      });
    }
  }

  test('outputPadding gives the same result as the equivalent outputSizes', async () => {
    const x = values(8, 7);
    const w = values(18, 8);
    const inputs = { x: { type: 'float32' as const, shape: [1, 2, 2, 2], data: x }, w: { type: 'float32' as const, shape: [2, 1, 3, 3], data: w } };
    const a = await run((b, o) => b.convTranspose2d(o.x!, o.w!, { strides: [2, 2], outputPadding: [1, 0] }), inputs);
    const c = await run((b, o) => b.convTranspose2d(o.x!, o.w!, { strides: [2, 2], outputSizes: [6, 5] }), inputs);
    assert.deepEqual(a.shape, [1, 1, 6, 5]);
    assert.deepEqual(a, c);
    const ref = convTranspose2dRef(x, [1, 2, 2, 2], w, [2, 1, 3, 3], { padding: [0, 0, 0, 0], strides: [2, 2], dilations: [1, 1], groups: 1, outputSizes: [6, 5] });
    assertClose(a.data, ref.data, 1e-5, 'outputPadding');
  });
});

describe('pooling values', () => {
  const xNchw = [1, 2, 5, 6];
  const x = values(count(xNchw), 9);
  for (const op of ['averagePool2d', 'l2Pool2d', 'maxPool2d'] as const) {
    for (const [layout, dataType] of [['nchw', 'float32'], ['nhwc', 'float32'], ['nhwc', 'float16']] as const) {
      test(`${op} ${dataType} ${layout}, padding, dilations, strides and ceil rounding`, async () => {
        const opts = { windowDimensions: [2, 3], padding: [1, 0, 2, 1], strides: [2, 2], dilations: [2, 1] };
        // height (5 - 3 + 1) / 2 + 1 = 2.5 → 3 with ceil; width (6 - 3 + 3) / 2 + 1 = 4.
        const outHW = [3, 4];
        const ref = poolRef(op, x, xNchw, outHW, { ...opts, window: opts.windowDimensions });
        const out = await run((b, o) => b[op](o.x!, { ...opts, layout, outputShapeRounding: 'ceil' }), {
          x: { type: dataType, shape: layout === 'nchw' ? xNchw : [1, 5, 6, 2], data: layout === 'nchw' ? x : permute(x, xNchw, [0, 2, 3, 1]) },
        });
        assert.deepEqual(out.shape, layout === 'nchw' ? [1, 2, 3, 4] : [1, 3, 4, 2]);
        const expected = layout === 'nchw' ? ref : permute(ref, [1, 2, 3, 4], [0, 2, 3, 1]);
        assertClose(out.data, expected, dataType === 'float16' ? 2e-3 : 1e-6, `${op} ${layout}`);
      });
    }
  }

  // Padding as large as the window, and ceil-rounded windows that start past the input: onnxruntime's pooling
  // kernels take neither. Windows without any input element give -Infinity (max), NaN (average), 0 (L2).
  for (const op of ['averagePool2d', 'l2Pool2d', 'maxPool2d'] as const) {
    for (const dataType of ['float32', 'float16'] as const) {
      test(`${op} ${dataType} with padding beyond the window and ceil windows past the input`, async () => {
        const xs = [1, 2, 4, 3];
        const data = values(count(xs), 12);
        const opts = { windowDimensions: [2, 1], padding: [2, 3, 0, 1], strides: [2, 2], dilations: [1, 1] };
        // height (4 - 2 + 5) / 2 + 1 = 4.5 → 5; width (3 - 1 + 1) / 2 + 1 = 2.5 → 3 (the last starts past the input).
        const out = await run((b, o) => b[op](o.x!, { ...opts, outputShapeRounding: 'ceil', layout: 'nhwc' }), {
          x: { type: dataType, shape: [1, 4, 3, 2], data: permute(data, xs, [0, 2, 3, 1]) },
        });
        assert.deepEqual(out.shape, [1, 5, 3, 2]);
        const ref = poolRef(op, data, xs, [5, 3], { ...opts, window: opts.windowDimensions });
        assertClose(out.data, permute(ref, [1, 2, 5, 3], [0, 2, 3, 1]), dataType === 'float16' ? 2e-3 : 1e-6, op);
      });
    }
  }

  test('maxPool2d on integers with padding beyond the window', async () => {
    for (const dataType of ['int32', 'uint8'] as const) {
      const out = await run((b, o) => b.maxPool2d(o.x!, { windowDimensions: [1, 1], padding: [0, 0, 1, 1] }), {
        x: { type: dataType, shape: [1, 1, 1, 2], data: [7, 9] },
      });
      assert.deepEqual(out.data, [dataType === 'int32' ? -(2 ** 31) : 0, 7, 9, dataType === 'int32' ? -(2 ** 31) : 0]);
    }
  });

  test('averagePool2d divides by the elements inside the input, not the window size', async () => {
    const out = await run((b, o) => b.averagePool2d(o.x!, { windowDimensions: [3, 3], padding: [1, 1, 1, 1] }), {
      x: { type: 'float32', shape: [1, 1, 2, 2], data: [1, 2, 3, 4] },
    });
    assert.deepEqual(out.data, [2.5, 2.5, 2.5, 2.5]);
  });

  test('maxPool2d on 32-bit and 8-bit integers is exact', async () => {
    const cases: [MLOperandDataType, number[]][] = [
      ['int32', [2 ** 30 + 1, 2 ** 30, -(2 ** 31), 2 ** 31 - 1, -7, -8, 16777217, 16777216]],
      ['uint32', [2 ** 32 - 1, 2 ** 32 - 2, 0, 16777217, 3, 4, 5, 1]],
      ['int8', [-128, 127, -1, 0, 5, -5, 3, 3]],
      ['uint8', [255, 0, 254, 1, 9, 8, 7, 6]],
    ];
    for (const [dataType, data] of cases) {
      const out = await run((b, o) => b.maxPool2d(o.x!, { windowDimensions: [1, 2], strides: [1, 2], padding: [0, 0, 1, 1] }), {
        x: { type: dataType, shape: [1, 1, 2, 4], data },
      });
      assert.deepEqual(out.shape, [1, 1, 2, 3]);
      const expected = [data[0]!, Math.max(data[1]!, data[2]!), data[3]!, data[4]!, Math.max(data[5]!, data[6]!), data[7]!];
      assert.deepEqual(out.data, expected, dataType);
    }
  });
});

describe('resample2d values', () => {
  const shape = [2, 3, 4, 5];
  const x = values(count(shape), 11);
  const pairs = [[2, 3], [3, 2], [1, 2], [0, 1], [0, 3], [3, 1], [2, 0]];
  for (const mode of ['linear', 'nearest-neighbor'] as const) {
    for (const axes of pairs) {
      test(`${mode} on axes [${axes.join(', ')}] with non-integer scales`, async () => {
        const scales = [1.7, 0.6];
        const out = await run((b, o) => b.resample2d(o.x!, { mode, axes, scales }), { x: { type: 'float32', shape, data: x } });
        const outShape = [...shape];
        axes.forEach((a, i) => { outShape[a] = Math.floor(shape[a]! * scales[i]!); });
        assert.deepEqual(out.shape, outShape);
        assertClose(out.data, resampleRef(x, shape, outShape, axes, mode), 1e-6, `${mode} ${axes.join(',')}`);
      });
    }
  }

  test('int8 and uint8 linear results are rounded to nearest', async () => {
    const u = await run((b, o) => b.resample2d(o.x!, { mode: 'linear', sizes: [1, 8] }), { x: { type: 'uint8', shape: [1, 1, 1, 2], data: [0, 255] } });
    assert.deepEqual(u.data, resampleRef([0, 255], [1, 1, 1, 2], [1, 1, 1, 8], [2, 3], 'linear').map((v) => Math.round(v)));
    const s = await run((b, o) => b.resample2d(o.x!, { mode: 'linear', sizes: [1, 4] }), { x: { type: 'int8', shape: [1, 1, 1, 2], data: [-100, 100] } });
    assert.deepEqual(s.data, [-100, -50, 50, 100]);
  });
});
