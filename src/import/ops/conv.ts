// Convolutions, pooling and resizing: WebNN conv2d/convTranspose2d/*Pool2d/resample2d in NCHW (1-D forms as 2-D
// with a height of 1). auto_pad is resolved to explicit padding from the static spatial sizes.
import type { MLOperand } from '../../api/operand.js';
import { isDynamic } from '../../graph/dims.js';
import type { NodeContext } from '../context.js';
import { family } from '../table.js';
import type { Val } from '../values.js';
import { like } from './common.js';
import { OnnxDataType as T } from '../../onnx/schema.js';

interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** WebNN order: [beginH, endH, beginW, endW]. */
  padding: number[];
}

/** Spatial sizes of an NCHW input, which must be static. */
function spatial(c: NodeContext, x: MLOperand, what: string): number[] {
  const dims = x.dimensions.slice(2);
  const d = dims.find(isDynamic);
  if (d) c.fail(`${what} needs static spatial sizes, but the input has dynamic dimension '${d.name}'; fix it with --dim`);
  return dims as number[];
}

/** Kernel, strides, dilations and padding from the ONNX attributes (auto_pad resolved). */
function window(c: NodeContext, sizes: number[], kernel: number[], transposed = false): Window {
  const n = kernel.length;
  const strides = c.intList('strides') ?? new Array<number>(n).fill(1);
  const dilations = c.intList('dilations') ?? new Array<number>(n).fill(1);
  const autoPad = c.string('auto_pad', 'NOTSET');
  let pads = c.intList('pads') ?? new Array<number>(2 * n).fill(0);
  if (autoPad === 'VALID') pads = new Array<number>(2 * n).fill(0);
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    if (transposed) {
      const outPad = c.intList('output_padding') ?? new Array<number>(n).fill(0);
      pads = new Array<number>(2 * n).fill(0);
      for (let i = 0; i < n; i++) {
        const total = Math.max(0, strides[i]! * (sizes[i]! - 1) + outPad[i]! + ((kernel[i]! - 1) * dilations[i]! + 1) - sizes[i]! * strides[i]!);
        const small = Math.floor(total / 2);
        [pads[i], pads[i + n]] = autoPad === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
      }
    } else {
      pads = new Array<number>(2 * n).fill(0);
      for (let i = 0; i < n; i++) {
        const out = Math.ceil(sizes[i]! / strides[i]!);
        const total = Math.max(0, (out - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - sizes[i]!);
        const small = Math.floor(total / 2);
        [pads[i], pads[i + n]] = autoPad === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
      }
    }
  } else if (autoPad !== 'NOTSET') c.fail(`auto_pad '${autoPad}' is not supported`);
  const padding = n === 1 ? [0, 0, pads[0]!, pads[1]!] : [pads[0]!, pads[2]!, pads[1]!, pads[3]!];
  return n === 1
    ? { kernel: [1, kernel[0]!], strides: [1, strides[0]!], dilations: [1, dilations[0]!], padding }
    : { kernel, strides, dilations, padding };
}

/** A 3-D (1-D spatial) NCL operand as NC1L, so that the 2-D operators apply. */
function as2d(c: NodeContext, x: MLOperand): MLOperand {
  const d = x.dimensions;
  return c.b.reshape(x, [d[0]!, d[1]!, 1, d[2]!] as number[]);
}

function from2d(c: NodeContext, y: MLOperand): MLOperand {
  const d = y.dimensions;
  return c.b.reshape(y, [d[0]!, d[1]!, d[3]!] as number[]);
}

function rankCheck(c: NodeContext, x: MLOperand, what: string): boolean {
  const r = x.dimensions.length;
  if (r !== 3 && r !== 4) c.fail(`${what} supports 1-D and 2-D inputs (rank 3 or 4), not rank ${r}`);
  return r === 3;
}

function conv(c: NodeContext): Val {
  return c.out(convOf(c, c.op(0), c.op(1), c.has(2) ? c.op(2) : undefined), c.in(0).type);
}

function convOf(c: NodeContext, input: MLOperand, filter: MLOperand, bias: MLOperand | undefined): MLOperand {
  let x = input;
  const oneD = rankCheck(c, x, 'Conv');
  let w = filter;
  const wDims = w.dimensions as number[];
  const kernel = c.intList('kernel_shape') ?? wDims.slice(2);
  const win = window(c, spatial(c, x, 'Conv'), kernel);
  if (oneD) {
    x = as2d(c, x);
    w = c.b.reshape(w, [wDims[0]!, wDims[1]!, 1, wDims[2]!]);
  }
  const options = { padding: win.padding, strides: win.strides, dilations: win.dilations, groups: c.int('group', 1), ...(bias ? { bias } : {}) };
  const y = c.b.conv2d(x, w, options);
  return oneD ? from2d(c, y) : y;
}

function convTranspose(c: NodeContext): Val {
  const v = c.in(0);
  let x = c.op(v);
  const oneD = rankCheck(c, x, 'ConvTranspose');
  let w = c.op(1);
  const wDims = w.dimensions as number[];
  const kernel = c.intList('kernel_shape') ?? wDims.slice(2);
  const sizes = spatial(c, x, 'ConvTranspose');
  const outputShape = c.intList('output_shape');
  const win = window(c, sizes, kernel, true);
  let outPad = c.intList('output_padding') ?? kernel.map(() => 0);
  if (oneD) {
    x = as2d(c, x);
    w = c.b.reshape(w, [wDims[0]!, wDims[1]!, 1, wDims[2]!]);
    outPad = [0, outPad[0]!];
  }
  const options: Record<string, unknown> = {
    padding: win.padding, strides: win.strides, dilations: win.dilations, groups: c.int('group', 1),
    ...(c.has(2) ? { bias: c.op(2) } : {}),
  };
  if (outputShape) {
    const os = outputShape.slice(-kernel.length);
    options.outputSizes = oneD ? [1, os[0]!] : os;
    if (c.string('auto_pad', 'NOTSET') === 'NOTSET' && !c.hasAttr('pads')) {
      // output_shape without pads: the padding is derived, SAME_UPPER style (ONNX's rule).
      const pad: number[] = [];
      const ins = oneD ? [1, sizes[0]!] : sizes;
      const ks = win.kernel;
      const want = options.outputSizes as number[];
      for (let i = 0; i < 2; i++) {
        const total = Math.max(0, win.strides[i]! * (ins[i]! - 1) + outPad[i]! + (ks[i]! - 1) * win.dilations[i]! + 1 - want[i]!);
        pad.push(Math.floor(total / 2), total - Math.floor(total / 2));
      }
      options.padding = pad;
    }
  } else if (outPad.some((p) => p !== 0)) options.outputPadding = outPad;
  const y = c.b.convTranspose2d(x, w, options);
  return c.out(oneD ? from2d(c, y) : y, v.type);
}

function convInteger(c: NodeContext): Val {
  // int8/uint8 convolution accumulated in float32 (exact while sums stay below 2^24), cast back to int32.
  const b = c.b;
  const sub = (i: number, zp: number) => {
    const f = b.cast(c.op(i), 'float32');
    return c.has(zp) ? b.sub(f, zpShape(c, b.cast(c.op(zp), 'float32'), f, i === 1)) : f;
  };
  const y = convOf(c, sub(0, 2), sub(1, 3), undefined);
  return c.out(b.cast(b.roundEven(y), 'int32'), T.INT32);
}

/** A per-channel zero point (1-D) shaped to broadcast against NCHW data or an OIHW filter. */
function zpShape(c: NodeContext, zp: MLOperand, x: MLOperand, filter: boolean): MLOperand {
  if (zp.dimensions.length !== 1 || zp.dimensions[0] === 1) return zp;
  const shape = x.dimensions.map((_, i) => (i === (filter ? 0 : 1) ? zp.dimensions[0]! : 1));
  return c.b.reshape(zp, shape as number[]);
}

type PoolKind = 'averagePool2d' | 'maxPool2d' | 'l2Pool2d';

function pool(kind: PoolKind) {
  return (c: NodeContext): Val => {
    const v = c.in(0);
    if (c.node.output.length > 1 && c.node.output[1]) c.fail('the Indices output is not supported');
    let x = c.op(v);
    const oneD = rankCheck(c, x, 'pooling');
    const kernel = c.intList('kernel_shape') ?? c.fail('kernel_shape is required');
    const win = window(c, spatial(c, x, 'pooling'), kernel);
    if (oneD) x = as2d(c, x);
    const b = c.b;
    const rounding = c.int('ceil_mode', 0) === 1 ? 'ceil' : 'floor';
    let y: MLOperand;
    const opts = { windowDimensions: win.kernel, padding: win.padding, strides: win.strides, dilations: win.dilations, outputShapeRounding: rounding } as const;
    if (kind === 'averagePool2d' && c.int('count_include_pad', 0) === 1 && win.padding.some((p) => p > 0)) {
      // WebNN averages over the window's input elements only: pad with zeros explicitly so they count.
      const [t, bt, l, r] = win.padding;
      const padded = b.pad(x, [0, 0, t!, l!], [0, 0, bt!, r!]);
      y = b.averagePool2d(padded, { ...opts, padding: [0, 0, 0, 0] });
    } else if (kind === 'l2Pool2d') {
      const p = c.int('p', 2);
      if (p === 2) y = b.l2Pool2d(x, opts);
      else if (p === 1) y = b.mul(b.averagePool2d(b.abs(x), { ...opts, padding: [0, 0, 0, 0] }), like(c, x, kernel.reduce((a, k) => a * k, 1)));
      else c.fail(`LpPool with p = ${p} is not supported (p = 1 or 2)`);
    } else y = b[kind](x, opts);
    return c.out(oneD ? from2d(c, y) : y, v.type);
  };
}

function globalPool(kind: 'reduceMean' | 'reduceMax' | 'reduceL2') {
  return (c: NodeContext): Val => {
    const v = c.in(0);
    const rank = v.dims.length;
    if (kind === 'reduceL2' && c.int('p', 2) !== 2) c.fail('GlobalLpPool supports p = 2');
    const axes = Array.from({ length: rank - 2 }, (_, i) => i + 2);
    return c.out(c.b[kind](c.op(v), { axes, keepDimensions: true }), v.type);
  };
}

// ---- Resize / Upsample ----

function resizeTo(c: NodeContext, v: Val, outSizes: number[], mode: string, coord: string, nearestMode: string): Val {
  const x = c.op(v);
  const rank = x.dimensions.length;
  const axes = outSizes.flatMap((s, i) => (s !== x.dimensions[i] ? [i] : []));
  if (axes.length === 0) return v;
  if (axes.length > 2) c.fail('resizing more than two axes is not supported');
  const pair = axes.length === 2 ? axes : axes[0]! === rank - 1 ? [rank - 2, rank - 1] : [axes[0]!, axes[0]! + 1];
  if (pair[1] !== pair[0]! + 1 || pair[1]! >= rank) c.fail(`resizing axes ${axes.join(', ')} is not supported (two consecutive axes)`);
  for (const a of pair) if (isDynamic(x.dimensions[a]!)) c.fail(`axis ${a} is dynamic; resizing needs its size (fix it with --dim)`);
  const inSizes = pair.map((a) => x.dimensions[a] as number);
  const sizes = pair.map((a) => outSizes[a]!);
  const integerUp = sizes.every((s, i) => s % inSizes[i]! === 0);
  if (mode === 'nearest') {
    // WebNN samples at half-pixel centres and rounds halves down. ONNX modes that agree with that: half-pixel centres
    // rounded to nearest; and, for whole-number upscaling, every mode that maps output i to input floor(i / scale).
    const halfPixel = (coord === 'half_pixel' || coord === 'pytorch_half_pixel') && nearestMode === 'round_prefer_floor';
    const floorLike = integerUp && ((coord === 'asymmetric' && nearestMode === 'floor') || ((coord === 'half_pixel' || coord === 'pytorch_half_pixel') && nearestMode.startsWith('round')));
    if (!halfPixel && !floorLike) c.fail(`nearest resizing with coordinate_transformation_mode '${coord}' and nearest_mode '${nearestMode}' is not supported at these sizes`);
  } else if (mode === 'linear') {
    if (!(coord === 'half_pixel' || (coord === 'pytorch_half_pixel' && sizes.every((s) => s > 1)))) c.fail(`linear resizing with coordinate_transformation_mode '${coord}' is not supported (half_pixel)`);
    if (c.int('antialias', 0) === 1 && sizes.some((s, i) => s < inSizes[i]!)) c.fail('antialiased downscaling is not supported');
  } else c.fail(`mode '${mode}' is not supported (nearest, linear)`);
  const y = c.b.resample2d(x, { mode: mode === 'linear' ? 'linear' : 'nearest-neighbor', sizes, axes: pair });
  return c.out(y, v.type);
}

function resize(c: NodeContext): Val {
  const v = c.in(0);
  const rank = v.dims.length;
  const mode = c.string('mode', 'nearest');
  const coord = c.opset >= 11 ? c.string('coordinate_transformation_mode', 'half_pixel') : 'asymmetric';
  const nearestMode = c.opset >= 11 ? c.string('nearest_mode', 'round_prefer_floor') : 'floor';
  if (c.opset >= 18 && c.hasAttr('axes')) c.fail('the axes attribute is not supported');
  if (c.opset >= 18 && c.string('keep_aspect_ratio_policy', 'stretch') !== 'stretch') c.fail('keep_aspect_ratio_policy other than stretch is not supported');
  const scalesAt = c.opset >= 11 ? 2 : 1;
  const sizesAt = c.opset >= 11 ? 3 : -1;
  let out: number[];
  if (sizesAt > 0 && c.has(sizesAt) && (c.konst(sizesAt)?.count ?? 1) > 0) {
    out = c.ints(sizesAt, 'sizes');
  } else {
    const scales = c.floats(scalesAt, 'scales');
    if (scales.length !== rank) c.fail(`scales has ${scales.length} entries for rank ${rank}`);
    out = v.dims.map((d, i) => {
      if (scales[i] === 1) return d as number;
      if (isDynamic(d)) c.fail(`axis ${i} is dynamic; resizing it needs its size (fix it with --dim)`);
      // ONNX maps coordinates with the given scale, WebNN with output/input size: they agree when the size scales
      // exactly.
      if (!Number.isInteger(d * scales[i]!)) c.fail(`scale ${scales[i]} on axis ${i} of size ${d} does not give a whole size; WebNN would map coordinates with ${Math.floor(d * scales[i]!)}/${d} instead (give sizes)`);
      return d * scales[i]!;
    });
  }
  if (out.length !== rank) c.fail(`the output size has ${out.length} entries for rank ${rank}`);
  return resizeTo(c, v, out.map((s, i) => (isDynamic(v.dims[i]!) ? (v.dims[i] as unknown as number) : s)), mode, coord, nearestMode);
}

function upsample(c: NodeContext): Val {
  const v = c.in(0);
  const mode = c.string('mode', 'nearest');
  if (mode !== 'nearest') c.fail('Upsample supports mode nearest (its linear mode uses asymmetric coordinates, which WebNN does not)');
  const scales = c.opset >= 9 ? c.floats(1, 'scales') : (c.floatList('scales') ?? c.fail('scales is required'));
  const out = v.dims.map((d, i) => (scales[i] === 1 ? (d as number) : isDynamic(d) ? c.fail(`axis ${i} is dynamic`) : Math.floor(d * scales[i]!)));
  return resizeTo(c, v, out, 'nearest', 'asymmetric', 'floor');
}

export const convOps = family('conv', [
  { op: 'Conv', note: 'conv2d (1-D as 2-D; auto_pad resolved)', handler: conv },
  { op: 'ConvTranspose', note: 'convTranspose2d (output_shape → outputSizes)', handler: convTranspose },
  { op: 'ConvInteger', since: 10, note: 'conv2d in float32 on the zero-point-shifted inputs, cast to int32', handler: convInteger },
  { op: 'MaxPool', note: 'maxPool2d (no Indices output)', handler: pool('maxPool2d') },
  { op: 'AveragePool', note: 'averagePool2d (count_include_pad: explicit zero padding)', handler: pool('averagePool2d') },
  { op: 'LpPool', note: 'l2Pool2d (p = 2); p = 1 through averagePool2d', handler: pool('l2Pool2d') },
  { op: 'GlobalAveragePool', note: 'reduceMean over the spatial axes', handler: globalPool('reduceMean') },
  { op: 'GlobalMaxPool', note: 'reduceMax over the spatial axes', handler: globalPool('reduceMax') },
  { op: 'GlobalLpPool', note: 'reduceL2 over the spatial axes (p = 2)', handler: globalPool('reduceL2') },
  { op: 'Resize', since: 10, note: 'resample2d on two consecutive axes (nearest/linear where the coordinate modes agree)', handler: resize },
  { op: 'Upsample', since: 9, until: 9, note: 'resample2d, nearest', handler: upsample },
]);
