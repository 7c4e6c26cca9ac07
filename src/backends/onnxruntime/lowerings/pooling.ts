// Pooling → ONNX AveragePool / LpPool (p = 2) / MaxPool on NCHW. averagePool2d excludes padding from the
// divisor (ONNX's count_include_pad = 0), as the spec's average is over the window's input elements only.
// float16 averages and L2 norms are computed in float32; int32/uint32 max pooling goes through float64, which
// holds them exactly (onnxruntime's MaxPool has no 32-bit integer kernels), as do 8-bit ones that need explicit
// padding (below).
//
// onnxruntime's pooling kernels refuse padding as large as the window and, in ceil mode, drop a last window that
// starts past the input and its beginning padding; the spec has neither rule. Such pools pad explicitly instead
// (the lowest value for max, zeros for L2) and pool the padded tensor in floor mode; averages divide window sums
// by input-element counts, both from convolutions with a window of ones. A window holding no input element gives
// -Infinity (max; the lowest value for integers), 0 (L2) or NaN (average: 0 / 0).
import type { Pool2dAttrs } from '../../../ops/pooling.js';
import { encodeScalar } from '../../../graph/cast.js';
import { DTYPES, intRange, type MLOperandDataType } from '../../../graph/dtypes.js';
import { defineLowering, int, ints, INT64_MIN, type AttrSpec, type Emitter, type LoweringNode } from '../emitter.js';
import { fromNchw, toNchw } from './layout.js';

const ONNX_DOUBLE = 11;

type PoolKind = 'max' | 'l2' | 'average';

/** The pool's spatial geometry in NCHW terms, and whether onnxruntime's own padding handles it. */
function geometry(n: LoweringNode<Pool2dAttrs>) {
  const a = n.attrs;
  const layout = a.layout;
  const spatial = (shape: readonly number[]) => (layout === 'nchw' ? [shape[2]!, shape[3]!] : [shape[1]!, shape[2]!]);
  const input = spatial(n.inputShapes[0]!);
  const channels = n.inputShapes[0]![layout === 'nchw' ? 1 : 3]!;
  const output = spatial(n.outputShapes[0]!);
  const kernel = a.windowDimensions;
  const strides = a.strides;
  const dilations = a.dilations;
  const [top, bottom, left, right] = a.padding as [number, number, number, number];
  const begin = [top, left];
  const end = [bottom, right];
  const effective = [0, 1].map((d) => (kernel[d]! - 1) * dilations[d]! + 1);
  // ONNX ceil_mode when the output size is the ceiling rather than the floor of the spec's size calculation.
  const ceil = [0, 1].some((d) => output[d] !== Math.floor((input[d]! + begin[d]! + end[d]! - effective[d]!) / strides[d]!) + 1);
  const native = [0, 1].every((d) => begin[d]! < kernel[d]! && end[d]! < kernel[d]!
    && (output[d]! - 1) * strides[d]! < input[d]! + begin[d]!);
  // Explicit padding: enough at the end for every output window to fit, so floor mode yields the output size.
  const explicitEnd = [0, 1].map((d) => Math.max(end[d]!,
    (output[d]! - 1) * strides[d]! + effective[d]! - input[d]! - begin[d]!));
  return { layout, input, output, channels, kernel, strides, dilations, begin, end, ceil, native, explicitEnd };
}
type Geometry = ReturnType<typeof geometry>;

/** Pooling attributes, with the spec's padding and rounding (`native`) or for an explicitly padded input. */
function attrs(g: Geometry, native: boolean, extra: Record<string, AttrSpec>): Record<string, AttrSpec | undefined> {
  return {
    kernel_shape: ints(g.kernel),
    pads: native ? ints([...g.begin, ...g.end]) : undefined,
    strides: ints(g.strides),
    dilations: ints(g.dilations),
    ceil_mode: native ? int(g.ceil) : undefined,
    ...extra,
  };
}

/** A float scalar constant of `type` (float64 made by a cast: the emitter's tables stop at float32). */
function floatScalar(e: Emitter, type: MLOperandDataType | 'float64', value: number): string {
  if (type !== 'float64') return e.initializer(type, [], encodeScalar(type, value));
  return e.op('Cast', [e.initializer('float32', [], encodeScalar('float32', value))], { to: int(ONNX_DOUBLE) });
}

function padExplicitly(e: Emitter, g: Geometry, x: string, type: MLOperandDataType | 'float64', value: number): string {
  const pads = e.int64s([0, 0, g.begin[0]!, g.begin[1]!, 0, 0, g.explicitEnd[0]!, g.explicitEnd[1]!]);
  return e.op('Pad', [x, pads, floatScalar(e, type, value)]);
}

/** Pools NCHW `x` (of `type`) into NCHW `y`. */
function pool(e: Emitter, g: Geometry, kind: PoolKind, type: MLOperandDataType | 'float64', x: string, y: string): void {
  const opType = { max: 'MaxPool', l2: 'LpPool', average: 'AveragePool' }[kind];
  const extra: Record<string, AttrSpec> = kind === 'l2' ? { p: int(2) } : kind === 'average' ? { count_include_pad: int(0) } : {};
  if (g.native) {
    e.op(opType, [x], attrs(g, true, extra), y);
    return;
  }
  if (kind !== 'average') {
    e.op(opType, [padExplicitly(e, g, x, type, kind === 'max' ? -Infinity : 0)], attrs(g, false, extra), y);
    return;
  }
  // average = (window sum) / (input elements in the window): two depthwise convolutions with a window of ones,
  // which take any padding (and are not fused with a Pad into a kernel that refuses it).
  const channels = g.channels;
  const [kh, kw] = g.kernel as [number, number];
  const [h, w] = g.input as [number, number];
  const ones = (count: number) => new Uint8Array(new Float32Array(count).fill(1).buffer);
  const convAttrs = (group: number) => ({
    pads: ints([...g.begin, ...g.explicitEnd]), strides: ints(g.strides), dilations: ints(g.dilations), group: int(group),
  });
  const sum = e.op('Conv', [x, e.initializer('float32', [channels, 1, kh, kw], ones(channels * kh * kw))], convAttrs(channels));
  const inside = e.initializer('float32', [1, 1, h, w], ones(h * w));
  const count = e.op('Conv', [inside, e.initializer('float32', [1, 1, kh, kw], ones(kh * kw))], convAttrs(1));
  e.op('Div', [sum, count], {}, y);
}

/**
 * 64-bit integer max pooling of NCHW `x` into NCHW `y`: onnxruntime's MaxPool has no 64-bit kernel and float64 cannot
 * hold these values, so every window is gathered from the explicitly padded input into a last dimension
 * ([N, C, outH, outW, windowH * windowW]) that ReduceMax, exact on int64, reduces. uint64 is mapped onto int64 order
 * by flipping its top bit, and back afterwards. Windows without input elements give the type's lowest value.
 */
function gatherMaxPool(e: Emitter, g: Geometry, type: MLOperandDataType, x: string, y: string): void {
  const lowest = e.int64s([INT64_MIN], []);
  const ordered = type === 'uint64' ? e.op('BitwiseXor', [e.cast(x, 'int64'), lowest]) : x;
  const pads = e.int64s([0, 0, g.begin[0]!, g.begin[1]!, 0, 0, g.explicitEnd[0]!, g.explicitEnd[1]!]);
  const paddedWidth = g.input[1]! + g.begin[1]! + g.explicitEnd[1]!;
  const paddedHeight = g.input[0]! + g.begin[0]! + g.explicitEnd[0]!;
  const flat = e.op('Reshape', [e.op('Pad', [ordered, pads, lowest]), e.int64s([0, 0, paddedHeight * paddedWidth])]);
  const [outH, outW] = g.output as [number, number];
  const [kh, kw] = g.kernel as [number, number];
  const positions: number[] = [];
  for (let oh = 0; oh < outH; oh++) for (let ow = 0; ow < outW; ow++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    positions.push((oh * g.strides[0]! + i * g.dilations[0]!) * paddedWidth + ow * g.strides[1]! + j * g.dilations[1]!);
  }
  const windows = e.op('Gather', [flat, e.int64s(positions, [outH, outW, kh * kw])], { axis: int(2) });
  const max = e.op('ReduceMax', [windows, e.int64s([4])], { keepdims: int(0) });
  if (type === 'uint64') e.cast(e.op('BitwiseXor', [max, lowest]), type, y);
  else e.op('Identity', [max], {}, y);
}

function lowerPool(kind: PoolKind) {
  return (n: LoweringNode<Pool2dAttrs>, e: Emitter) => {
    const g = geometry(n);
    const type = n.outputTypes[0]!;
    const inNchw = (x: string, y: string, computeType: MLOperandDataType | 'float64') => {
      const input = toNchw(e, x, g.layout);
      fromNchw(e, y, g.layout, (out) => pool(e, g, kind, computeType, input, out));
    };
    if (kind === 'max' && (type === 'int64' || type === 'uint64')) {
      const input = toNchw(e, n.inputs[0]!, g.layout);
      fromNchw(e, n.outputs[0]!, g.layout, (out) => gatherMaxPool(e, g, type, input, out));
      return;
    }
    // Integer max pools run in float64 where onnxruntime lacks the kernel (32-bit) or where explicit padding
    // needs -Infinity (a fill of 0, uint8's lowest, would be folded back into the kernel's refused padding);
    // windows without input then clamp to the type's lowest value.
    if (kind === 'max' && DTYPES[type].kind === 'int' && (DTYPES[type].bits === 32 || !g.native)) {
      const pooled = e.fresh();
      inNchw(e.op('Cast', [n.inputs[0]!], { to: int(ONNX_DOUBLE) }), pooled, 'float64');
      const lowest = floatScalar(e, 'float64', Number(intRange(type).min));
      e.op('Cast', [e.op('Max', [pooled, lowest])], { to: int(DTYPES[type].onnx) }, n.outputs[0]);
      return;
    }
    const native = e.kernel(kind === 'max' ? 'MaxPool' : kind === 'l2' ? 'LpPool' : 'AveragePool');
    const computeType = native.includes(type) ? type : 'float32';
    e.castAround(type, native, 'float32', [n.inputs[0]!], n.outputs, ([x], [y]) => {
      if (kind !== 'max' || DTYPES[type].kind !== 'float') {
        inNchw(x!, y!, computeType);
        return;
      }
      // onnxruntime's MaxPool keeps or drops a NaN depending on where it sits in the window ([1, NaN, 3, 2] → 3,
      // [1, 2, 3, NaN] → NaN); WebNN's max propagates it. A window holding a NaN is found by max-pooling NaN flags
      // (as float32, padded like the data, so a window of padding alone gives -Infinity, not a flag).
      const pooled = e.fresh();
      inNchw(x!, pooled, computeType);
      const flags = e.fresh();
      inNchw(e.cast(e.op('IsNaN', [x!]), 'float32'), flags, 'float32');
      const hasNaN = e.op('Greater', [flags, e.initializer('float32', [], encodeScalar('float32', 0))]);
      e.op('Where', [hasNaN, e.initializer(computeType, [], encodeScalar(computeType, NaN)), pooled], {}, y!);
    });
  };
}

defineLowering('averagePool2d', lowerPool('average'));
defineLowering('l2Pool2d', lowerPool('l2'));
defineLowering('maxPool2d', lowerPool('max'));
