// conv2d and convTranspose2d: the spec's validation (TypeError naming the operator and label), WPT-style tables,
// what opSupportLimits() reports, and values against plain-JS references for every input and filter layout with
// groups, strides, dilations, asymmetric padding and bias (and float16 depthwise).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder, MLContext } from '../../src/index.js';
import { f32, f16, i32, count, sampleValues, permute, layoutPerm, assertClose, opTypeError, context, runGraph } from '../support/index.js';
import type { Limits } from '../support/limits.js';
import { validationTable, ok, bad, MAX_ULONG, type WptCase } from '../support/wpt.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

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

describe('validation', () => {
  test('conv2d', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(1, 4, 5, 5));
    const w = b.input('w', f32(6, 2, 3, 3));
    const label = 'lbl';
    assert.throws(() => b.conv2d(b.input('r3', f32(4, 5, 5)), w, { label }), opTypeError('conv2d', 'lbl', /'input' has rank 3/));
    assert.throws(() => b.conv2d(x, b.input('w3', f32(6, 2, 3)), { label }), opTypeError('conv2d', 'lbl', /'filter' has rank 3/));
    assert.throws(() => b.conv2d(b.input('xi', { dataType: 'int32', shape: [1, 4, 5, 5] }), w, { label }), opTypeError('conv2d', 'lbl', /'input' has data type int32/));
    assert.throws(() => b.conv2d(x, b.input('wh', { dataType: 'float16', shape: [6, 2, 3, 3] }), { label }), opTypeError('conv2d', 'lbl', /filter has data type float16/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, padding: [1, 1, 1] }), opTypeError('conv2d', 'lbl', /padding must have 4 values/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, strides: [1, 0] }), opTypeError('conv2d', 'lbl', /strides \[1, 0\] must not contain 0/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, strides: [1] }), opTypeError('conv2d', 'lbl', /strides must have 2 values/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, dilations: [0, 1] }), opTypeError('conv2d', 'lbl', /dilations/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 0 }), opTypeError('conv2d', 'lbl', /groups must not be 0/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 3 }), opTypeError('conv2d', 'lbl', /input channels \(4\) are not divisible by groups \(3\)/));
    assert.throws(() => b.conv2d(x, w, { label }), opTypeError('conv2d', 'lbl', /filter input channels \(2.*must be input channels \/ groups = 4/));
    assert.throws(() => b.conv2d(x, b.input('w4', f32(5, 1, 3, 3)), { label, groups: 4 }), opTypeError('conv2d', 'lbl', /filter output channels \(5\) are not divisible by groups \(4\)/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, bias: b.input('b', f32(5)) }), opTypeError('conv2d', 'lbl', /bias shape \[5\] must be \[6\]/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, bias: b.input('bh', { dataType: 'float16', shape: [6] }) }), opTypeError('conv2d', 'lbl', /bias has data type float16/));
    assert.throws(() => b.conv2d(x, b.input('big', f32(6, 2, 6, 6)), { label, groups: 2 }), opTypeError('conv2d', 'lbl', /output size \[0, 0\] is not valid/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, dilations: [3, 3] }), opTypeError('conv2d', 'lbl', /output size/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, inputLayout: 'chwn' as never }), opTypeError('conv2d', 'lbl', /inputLayout 'chwn' is not one of nchw, nhwc/));
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, filterLayout: 'iohw' as never }), opTypeError('conv2d', 'lbl', /filterLayout 'iohw' is not one of oihw, hwio, ohwi, ihwo/));
    // nhwc reads channels from the last dimension: 5 channels do not split into 2 groups.
    assert.throws(() => b.conv2d(x, w, { label, groups: 2, inputLayout: 'nhwc' }), opTypeError('conv2d', 'lbl', /input channels \(5\)/));
    assert.deepEqual(b.conv2d(x, w, { groups: 2, padding: [1, 1, 0, 2], strides: [2, 1] }).shape, [1, 6, 3, 5]);
  });

  test('convTranspose2d', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(1, 4, 3, 3));
    const w = b.input('w', f32(4, 2, 3, 3));
    const label = 'lbl';
    assert.throws(() => b.convTranspose2d(b.input('r5', f32(1, 4, 3, 3, 1)), w, { label }), opTypeError('convTranspose2d', 'lbl', /'input' has rank 5/));
    assert.throws(() => b.convTranspose2d(x, b.input('wi', { dataType: 'float16', shape: [4, 2, 3, 3] }), { label }), opTypeError('convTranspose2d', 'lbl', /filter has data type float16/));
    assert.throws(() => b.convTranspose2d(x, w, { label, padding: [0, 0] }), opTypeError('convTranspose2d', 'lbl', /padding must have 4 values/));
    assert.throws(() => b.convTranspose2d(x, w, { label, outputPadding: [1] }), opTypeError('convTranspose2d', 'lbl', /outputPadding must have 2 values/));
    assert.throws(() => b.convTranspose2d(x, w, { label, outputPadding: [1, 0] }), opTypeError('convTranspose2d', 'lbl', /outputPadding \[1, 0\] must be smaller than strides \[1, 1\]/));
    assert.throws(() => b.convTranspose2d(x, w, { label, outputSizes: [5, 5, 5] }), opTypeError('convTranspose2d', 'lbl', /outputSizes must have 2 values/));
    assert.throws(() => b.convTranspose2d(x, w, { label, strides: [2, 2], outputSizes: [9, 7] }), opTypeError('convTranspose2d', 'lbl', /outputSizes \[9, 7\] must be at least \[7, 7\]/));
    assert.throws(() => b.convTranspose2d(x, w, { label, strides: [2, 2], outputSizes: [6, 7] }), opTypeError('convTranspose2d', 'lbl', /outputSizes/));
    assert.throws(() => b.convTranspose2d(x, w, { label, groups: 0 }), opTypeError('convTranspose2d', 'lbl', /groups must not be 0/));
    assert.throws(() => b.convTranspose2d(x, b.input('w3', f32(3, 2, 3, 3)), { label }), opTypeError('convTranspose2d', 'lbl', /filter input channels \(3.*must equal the input channels \(4\)/));
    // groups that do not divide the input channels validate (spec, WPT); build() refuses them (validation-wpt-style).
    assert.equal(b.convTranspose2d(x, w, { label, groups: 3 }).shape[1], 6);
    assert.throws(() => b.convTranspose2d(x, w, { label, groups: 2, bias: b.input('b', f32(2)) }), opTypeError('convTranspose2d', 'lbl', /bias shape \[2\] must be \[4\]/));
    assert.throws(() => b.convTranspose2d(x, w, { label, padding: [3, 3, 0, 0] }), opTypeError('convTranspose2d', 'lbl', /output size \[-1, 5\] is not valid/));
    assert.throws(() => b.convTranspose2d(x, w, { label, filterLayout: 'oihw' as never }), opTypeError('convTranspose2d', 'lbl', /filterLayout 'oihw' is not one of iohw, hwoi, ohwi/));
    // Output padding is ignored (not checked against strides) when outputSizes is given.
    assert.deepEqual(b.convTranspose2d(x, w, { strides: [2, 2], outputPadding: [5, 5], outputSizes: [8, 7] }).shape, [1, 2, 8, 7]);
    assert.deepEqual(b.convTranspose2d(x, w, { strides: [2, 2], outputPadding: [1, 0], groups: 2 }).shape, [1, 4, 8, 7]);
  });

  test('sequence options given as any iterable, and undefined members take their defaults', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [1, 2, 5, 5] });
    const w = b.input('w', { dataType: 'float32', shape: [2, 1, 3, 3] });
    function* two() { yield 2; yield 2; }
    const y = b.conv2d(x, w, { padding: new Set([1]).size ? [1, 1, 1, 1].values() as unknown as number[] : [], strides: two() as unknown as number[], dilations: undefined, groups: 2, bias: undefined });
    assert.deepEqual([...y.shape], [1, 2, 3, 3]);
    const p = b.maxPool2d(x, { windowDimensions: new Set([2, 3]) as unknown as number[], outputSizes: undefined, padding: undefined });
    assert.deepEqual([...p.shape], [1, 2, 4, 3]);
    const t = b.convTranspose2d(x, b.input('wt', { dataType: 'float32', shape: [2, 1, 3, 3] }),
      { strides: [2, 2], outputSizes: [12, 11], outputPadding: [5, 5], groups: 2 });
    // outputPadding is ignored (not validated against strides) when outputSizes is given.
    assert.deepEqual([...t.shape], [1, 2, 12, 11]);
  });
});

const table: WptCase[] = [
  ok('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 3, 3)], 'float32', [1, 1, 3, 3]),
  ok('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 3, 3), { padding: [1, 1, 1, 1] }], 'float32', [1, 1, 5, 5]),
  ok('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 3, 3), { padding: [1, 1, 1, 1], strides: [2, 2] }], 'float32', [1, 1, 3, 3]),
  ok('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 4, 2), { padding: [1, 2, 0, 1], strides: [2, 2] }], 'float32', [1, 1, 3, 3]),
  ok('conv2d', [f32(1, 4, 2, 2), f32(4, 1, 2, 2), { groups: 4 }], 'float32', [1, 4, 1, 1]),
  ok('conv2d', [f32(1, 2, 2, 4), f32(1, 2, 2, 4), { groups: 4, inputLayout: 'nhwc', filterLayout: 'ihwo' }], 'float32', [1, 1, 1, 4]),
  ok('conv2d', [f32(1, 65, 65, 1), f32(1, 3, 3, 1), { inputLayout: 'nhwc', filterLayout: 'ihwo', dilations: [4, 4] }], 'float32', [1, 57, 57, 1]),
  ok('conv2d', [f32(1, 2, 5, 5), f32(1, 2, 3, 3), { inputLayout: 'nchw', filterLayout: 'oihw' }], 'float32', [1, 1, 3, 3]),
  ok('conv2d', [f32(1, 2, 5, 5), f32(3, 3, 2, 1), { inputLayout: 'nchw', filterLayout: 'hwio' }], 'float32', [1, 1, 3, 3]),
  ok('conv2d', [f32(1, 2, 5, 5), f32(1, 3, 3, 2), { inputLayout: 'nchw', filterLayout: 'ohwi' }], 'float32', [1, 1, 3, 3]),
  ok('conv2d', [f32(1, 2, 5, 5), f32(2, 3, 3, 1), { inputLayout: 'nchw', filterLayout: 'ihwo' }], 'float32', [1, 1, 3, 3]),
  ok('conv2d', [f32(1, 5, 5, 2), f32(1, 2, 3, 3), { inputLayout: 'nhwc', filterLayout: 'oihw' }], 'float32', [1, 3, 3, 1]),
  ok('conv2d', [f32(1, 5, 5, 2), f32(3, 3, 2, 1), { inputLayout: 'nhwc', filterLayout: 'hwio' }], 'float32', [1, 3, 3, 1]),
  ok('conv2d', [f32(1, 5, 5, 2), f32(1, 3, 3, 2), { inputLayout: 'nhwc', filterLayout: 'ohwi' }], 'float32', [1, 3, 3, 1]),
  ok('conv2d', [f32(1, 5, 5, 2), f32(2, 3, 3, 1), { inputLayout: 'nhwc', filterLayout: 'ihwo' }], 'float32', [1, 3, 3, 1]),
  ok('conv2d', [f16(1, 1, 5, 5), f16(1, 1, 3, 3), { bias: f16(1) }], 'float16', [1, 1, 3, 3]),
  bad('conv2d', [f32(1, 5, 5), f32(1, 2, 2, 1)]),
  bad('conv2d', [i32(1, 1, 5, 5), i32(1, 1, 2, 2)]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(2, 2)]),
  bad('conv2d', [f32(1, 1, 5, 5), i32(1, 1, 2, 2)]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { padding: [2, 2] }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { strides: [2] }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { strides: [0, 1] }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { strides: [1, 0] }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { dilations: [1] }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { dilations: [0, 1] }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { dilations: [1, 0] }]),
  bad('conv2d', [f32(1, 4, 5, 5), f32(1, 1, 2, 2), { groups: 3 }], 'inputChannels % groups != 0'),
  bad('conv2d', [f32(1, 4, 5, 5), f32(1, 1, 2, 2), { groups: 2 }], 'inputChannels / groups != filterInputChannels'),
  bad('conv2d', [f32(1, 4, 5, 5), f32(1, 1, 2, 2), { groups: 0 }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 434983, 2), { dilations: [328442, 1] }], 'effective filter height overflows'),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 234545), { dilations: [2, 843452] }], 'effective filter width overflows'),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 3, 3), { dilations: [MAX_ULONG, 1] }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 3, 3), { dilations: [1, MAX_ULONG] }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 4, 2), { dilations: [4, 1], padding: [1, 1, 1, 1], strides: [2, 2] }], 'output height underflows'),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 8), { dilations: [1, 4], padding: [1, 1, 1, 1], strides: [2, 2] }], 'output width underflows'),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { bias: f32(1, 2) }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { bias: f32(2) }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(2, 2, 1, 1), { filterLayout: 'hwio', bias: f32(2) }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 2, 2, 1), { filterLayout: 'ohwi', bias: f32(2) }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 2, 2, 1), { filterLayout: 'ihwo', bias: f32(2) }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { bias: i32(1) }]),
  bad('conv2d', [f32(1, 2, 5, 5), f32(1, 2, 3, 3), { filterLayout: 'oihw', groups: 2 }]),
  bad('conv2d', [f32(1, 2, 5, 5), f32(3, 3, 2, 1), { filterLayout: 'hwio', groups: 2 }]),
  bad('conv2d', [f32(1, 2, 5, 5), f32(1, 3, 3, 2), { filterLayout: 'ohwi', groups: 2 }]),
  bad('conv2d', [f32(1, 2, 5, 5), f32(2, 3, 3, 1), { filterLayout: 'ihwo', groups: 2 }]),
  bad('conv2d', [f32(1, 5, 5, 2), f32(1, 2, 3, 3), { inputLayout: 'nhwc', filterLayout: 'oihw', groups: 2 }]),
  bad('conv2d', [f32(1, 5, 5, 2), f32(3, 3, 2, 1), { inputLayout: 'nhwc', filterLayout: 'hwio', groups: 2 }]),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 3, 3), { inputLayout: 'NCHW' }], 'enum values are case-sensitive'),
  bad('conv2d', [f32(1, 1, 5, 5), f32(1, 1, 3, 3), { padding: [1, 1, 1, -1] }], '[EnforceRange] unsigned long'),
  ok('convTranspose2d', [f32(1, 1, 3, 3), f32(1, 1, 3, 3)], 'float32', [1, 1, 5, 5]),
  ok('convTranspose2d', [f32(1, 1, 3, 3), f32(3, 3, 2, 1), { filterLayout: 'hwoi', inputLayout: 'nchw' }], 'float32', [1, 2, 5, 5]),
  ok('convTranspose2d', [f32(1, 1, 3, 3), f32(2, 3, 3, 1), { filterLayout: 'ohwi', inputLayout: 'nchw' }], 'float32', [1, 2, 5, 5]),
  ok('convTranspose2d', [f32(1, 3, 3, 1), f32(1, 2, 3, 3), { filterLayout: 'iohw', inputLayout: 'nhwc' }], 'float32', [1, 5, 5, 2]),
  ok('convTranspose2d', [f32(1, 3, 3, 1), f32(3, 3, 2, 1), { filterLayout: 'hwoi', inputLayout: 'nhwc' }], 'float32', [1, 5, 5, 2]),
  ok('convTranspose2d', [f32(1, 3, 3, 1), f32(2, 3, 3, 1), { filterLayout: 'ohwi', inputLayout: 'nhwc' }], 'float32', [1, 5, 5, 2]),
  ok('convTranspose2d', [f32(1, 1, 3, 3), f32(1, 2, 3, 3), { strides: [3, 2], outputSizes: [10, 8] }], 'float32', [1, 2, 10, 8]),
  ok('convTranspose2d', [f32(1, 1, 3, 3), f32(1, 2, 3, 3), { strides: [3, 2], outputPadding: [1, 1] }], 'float32', [1, 2, 10, 8]),
  ok('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 1, 3, 3), { padding: [1, 1, 1, 1] }], 'float32', [1, 1, 5, 5]),
  ok('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 1, 3, 3), { padding: [1, 1, 1, 1], groups: 3 }], 'float32', [1, 3, 5, 5]),
  ok('convTranspose2d', [f32(1, 1, 3, 3), f32(1, 2, 3, 3), { strides: [2, 2] }], 'float32', [1, 2, 7, 7]),
  ok('convTranspose2d', [f32(1, 1, 3, 3), f32(1, 1, 3, 3), { padding: [1, 1, 1, 1], strides: [2, 2] }], 'float32', [1, 1, 5, 5]),
  // With outputSizes the outputPadding is ignored, even where it is not smaller than the stride.
  ok('convTranspose2d', [f32(1, 1, 3, 3), f32(1, 2, 3, 3), { outputPadding: [3, 3], strides: [3, 2], outputSizes: [10, 8] }], 'float32', [1, 2, 10, 8]),
  bad('convTranspose2d', [f32(1, 5, 5), f32(1, 1, 2, 2)]),
  bad('convTranspose2d', [i32(1, 1, 5, 5), i32(1, 1, 2, 2)]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(2, 2)]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), i32(1, 1, 2, 2)]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { padding: [2, 2] }]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { strides: [2] }]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { strides: [1, 0] }]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { dilations: [1] }]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { dilations: [1, 0] }]),
  bad('convTranspose2d', [f32(1, 3, 3, 3), f32(1, 1, 3, 3), { filterLayout: 'iohw', groups: 1 }]),
  bad('convTranspose2d', [f32(1, 3, 3, 3), f32(3, 1, 2, 1), { filterLayout: 'hwoi' }]),
  bad('convTranspose2d', [f32(1, 2, 3, 3), f32(2, 3, 3, 1), { filterLayout: 'ohwi' }]),
  bad('convTranspose2d', [f32(1, 3, 3, 2), f32(1, 2, 3, 3), { filterLayout: 'iohw', inputLayout: 'nhwc' }]),
  bad('convTranspose2d', [f32(1, 3, 3, 2), f32(3, 3, 2, 1), { filterLayout: 'hwoi', inputLayout: 'nhwc' }]),
  bad('convTranspose2d', [f32(1, 3, 3, 2), f32(2, 3, 3, 1), { filterLayout: 'ohwi', inputLayout: 'nhwc' }]),
  bad('convTranspose2d', [f32(1, 4, 5, 5), f32(4, 2, 2, 2), { groups: MAX_ULONG }], 'output channels overflow'),
  bad('convTranspose2d', [f32(1, 4, 5, 5), f32(1, 1, 2, 2), { groups: 0 }]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 1, 434983, 2), { dilations: [328443, 1] }]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 234545), { dilations: [2, 843452] }]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 1, 3, 2), { dilations: [MAX_ULONG, 1] }]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 1, 3, 2), { dilations: [1, MAX_ULONG] }]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { bias: f32(1, 2) }]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { filterLayout: 'iohw', bias: f32(2) }]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(2, 2, 1, 1), { filterLayout: 'hwoi', bias: f32(2) }]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 2, 2, 1), { filterLayout: 'ohwi', bias: f32(2) }]),
  bad('convTranspose2d', [f32(1, 1, 5, 5), f32(1, 1, 2, 2), { bias: i32(1) }]),
  bad('convTranspose2d', [f32(1, 1, 3, 3), f32(1, 2, 3, 3), { strides: [3, 2], outputPadding: [1, 1, 1, 1] }]),
  bad('convTranspose2d', [f32(1, 1, 2, 2), f32(1, 1, 3, 3), { padding: [0, 0, 3, 3], strides: [2, 2], outputPadding: [0, 2] }]),
  bad('convTranspose2d', [f32(1, 1, 2, 2), f32(1, 1, 3, 3), { padding: [0, 0, 3, 3], strides: [2, 2], outputPadding: [2, 0] }]),
  bad('convTranspose2d', [f32(1, 1, 3, 3), f32(1, 2, 3, 3), { strides: [3, 2], outputSizes: [1, 2, 10, 8] }]),
  bad('convTranspose2d', [f32(1, 1, 2, 2), f32(1, 1, 3, 3), { padding: [4, 4, 0, 0], strides: [2, 2], outputPadding: [1, 0] }], 'padding height too large'),
  bad('convTranspose2d', [f32(1, 1, 2, 2), f32(1, 1, 3, 3), { padding: [0, 0, 4, 4], strides: [2, 2], outputPadding: [0, 1] }], 'padding width too large'),
  bad('convTranspose2d', [f32(1, 1, 3, 3), f32(1, 2, 3, 3), { strides: [3, 2], outputSizes: [0, 7] }]),
  bad('convTranspose2d', [f32(1, 1, 3, 3), f32(1, 2, 3, 3), { strides: [3, 2], outputSizes: [9, 0] }]),
  bad('convTranspose2d', [f32(1, 1, 3, 3), f32(1, 1, 3, 3), { padding: [1, 1, 1, 1], strides: [2, 2], outputSizes: [4, 4], outputPadding: [1, 1] }], 'outputSizes below the computed size'),
  bad('convTranspose2d', [f32(1, 1, 3, 3), f32(1, 1, 3, 3), { padding: [1, 1, 1, 1], strides: [2, 2], outputSizes: [6, 8], outputPadding: [1, 1] }], 'outputSizes at least a stride above it'),
  ok('convTranspose2d', [f32(1, 1, 3, 3), f32(1, 1, 3, 3), { padding: [1, 1, 1, 1], strides: [2, 2], outputSizes: [6, 6] }], 'float32', [1, 1, 6, 6]),
];
validationTable('convolution', table);

describe('what validates but cannot run', () => {
  test('convTranspose2d with groups that do not divide the input channels: build() is an OperationError', async () => {
    const b = new MLGraphBuilder(ctx);
    const y = b.convTranspose2d(b.input('x', { dataType: 'float32', shape: [1, 1, 5, 5] }), b.input('w', { dataType: 'float32', shape: [1, 1, 3, 3] }), { groups: 3, label: 'ct' });
    assert.deepEqual(y.shape, [1, 3, 7, 7]);
    await assert.rejects(b.build({ y }), (e: unknown) => e instanceof DOMException && e.name === 'OperationError' && /convTranspose2d \[ct\]: input channels \(1\) are not divisible by groups \(3\)/.test(e.message));
  });
});

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
});

describe('conv2d values', () => {
  const CONV_FILTER_LAYOUTS = ['oihw', 'hwio', 'ohwi', 'ihwo'] as const;
  for (const inputLayout of ['nchw', 'nhwc'] as const) {
    for (const filterLayout of CONV_FILTER_LAYOUTS) {
      test(`${inputLayout} input, ${filterLayout} filter, groups 2, strides, dilations, asymmetric padding, bias`, async () => {
        const xNchw = [2, 4, 5, 6];
        const wOihw = [6, 2, 2, 3];
        const x = sampleValues(count(xNchw), 1);
        const w = sampleValues(count(wOihw), 2);
        const bias = [0.5, -1, 0.25, 2, -0.75, 1];
        const opts = { padding: [1, 0, 2, 1], strides: [2, 1], dilations: [1, 2], groups: 2 };
        const ref = conv2dRef(x, xNchw, w, wOihw, { ...opts, bias });
        const xIn = inputLayout === 'nchw' ? x : permute(x, xNchw, [0, 2, 3, 1]);
        const wIn = permute(w, wOihw, layoutPerm('oihw', filterLayout));
        const out = await runGraph((b, o) => b.conv2d(o.x!, o.w!, { ...opts, inputLayout, filterLayout, bias: o.bias! }), {
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
    const x = sampleValues(count(xNchw), 3);
    const w = sampleValues(count(wOihw), 4);
    const opts = { padding: [1, 1, 1, 1], strides: [1, 1], dilations: [1, 1], groups: 3 };
    const ref = conv2dRef(x, xNchw, w, wOihw, opts);
    const out = await runGraph((b, o) => b.conv2d(o.x!, o.w!, { ...opts, inputLayout: 'nhwc', filterLayout: 'ihwo' }), {
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
        const x = sampleValues(count(xNchw), 5);
        const w = sampleValues(count(wIohw), 6);
        const bias = [1, -1, 0.5, 0.25, -0.5, 2];
        const opts = { padding: [1, 0, 0, 2], strides: [2, 3], dilations: [2, 1], groups: 2 };
        // calculated: (3-1)*2 + 3 - 1 = 6 high, (2-1)*3 + 3 - 2 = 4 wide; outputSizes may add up to strides - 1.
        const outputSizes = [7, 6];
        const ref = convTranspose2dRef(x, xNchw, w, wIohw, { ...opts, outputSizes, bias });
        const out = await runGraph((b, o) => b.convTranspose2d(o.x!, o.w!, { ...opts, outputSizes, inputLayout, filterLayout, bias: o.bias! }), {
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
    const x = sampleValues(8, 7);
    const w = sampleValues(18, 8);
    const inputs = { x: { type: 'float32' as const, shape: [1, 2, 2, 2], data: x }, w: { type: 'float32' as const, shape: [2, 1, 3, 3], data: w } };
    const a = await runGraph((b, o) => b.convTranspose2d(o.x!, o.w!, { strides: [2, 2], outputPadding: [1, 0] }), inputs);
    const c = await runGraph((b, o) => b.convTranspose2d(o.x!, o.w!, { strides: [2, 2], outputSizes: [6, 5] }), inputs);
    assert.deepEqual(a.shape, [1, 1, 6, 5]);
    assert.deepEqual(a, c);
    const ref = convTranspose2dRef(x, [1, 2, 2, 2], w, [2, 1, 3, 3], { padding: [0, 0, 0, 0], strides: [2, 2], dilations: [1, 1], groups: 1, outputSizes: [6, 5] });
    assertClose(a.data, ref.data, 1e-5, 'outputPadding');
  });
});
