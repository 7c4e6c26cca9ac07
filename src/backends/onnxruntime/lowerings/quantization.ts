// quantizeLinear / dequantizeLinear → ONNX element-wise arithmetic. ONNX's QuantizeLinear/DequantizeLinear take a
// per-axis or single-axis block scale and no int32/uint32 outputs, while WebNN blocks along every axis at once, so
// scale and zeroPoint are blockwise expanded to the input's shape and the formula is computed directly:
//   dequantize: (input - zeroPoint) * scale      quantize: clamp(roundEven(input / scale) + zeroPoint, type range)
// Sub-byte values are unpacked (int8/uint8) inside the graph, so int4/uint4 are their unpacked type with a narrower
// range here.
import { DTYPES, intRange, type MLOperandDataType } from '../../../graph/dtypes.js';
import { encodeScalar } from '../../../graph/cast.js';
import { defineLowering, int, type Emitter } from '../emitter.js';

const ONNX_DOUBLE = 11;
type ComputeType = 'float32' | 'float64';

/**
 * Where the arithmetic runs: float32 holds every value of the narrow integer types exactly; 32-bit integers (and
 * their zero-point differences and clamp bounds) need float64.
 */
function computeType(integerType: MLOperandDataType): ComputeType {
  return DTYPES[integerType].bits <= 16 ? 'float32' : 'float64';
}

function castTo(e: Emitter, value: string, to: ComputeType | MLOperandDataType): string {
  return to === 'float64' ? e.op('Cast', [value], { to: int(ONNX_DOUBLE) }) : e.cast(value, to);
}

/**
 * `value` of shape `from` repeated blockwise up to `to` (each element becomes a block of to[i] / from[i] along axis
 * i): reshaped to [from0, 1, from1, 1, ...], expanded to [from0, block0, from1, block1, ...], reshaped to `to`.
 * Axes where plain broadcasting does the job (from[i] is 1 or to[i]) are left to the consuming element-wise node.
 */
function blockwiseExpand(e: Emitter, value: string, from: readonly number[], to: readonly number[]): string {
  const needs = from.some((d, i) => d !== 1 && d !== to[i]);
  if (!needs) return value;
  const interleaved = from.flatMap((d) => [d, 1]);
  const expanded = from.flatMap((d, i) => [d, to[i]! / d]);
  const grid = e.op('Expand', [e.op('Reshape', [value, e.int64s(interleaved)]), e.int64s(expanded)]);
  return e.op('Reshape', [grid, e.int64s(to)]);
}

defineLowering('dequantizeLinear', (n, e) => {
  const [input, scale, zeroPoint] = n.inputs as [string, string, string];
  const [inputShape, scaleShape] = n.inputShapes as [number[], number[]];
  const ct = computeType(n.inputTypes[0]!);
  const expand = (v: string) => blockwiseExpand(e, castTo(e, v, ct), scaleShape, inputShape);
  const centered = e.op('Sub', [castTo(e, input, ct), expand(zeroPoint)]);
  const result = e.op('Mul', [centered, expand(scale)]);
  e.cast(result, n.outputTypes[0]!, n.outputs[0]);
});

defineLowering('quantizeLinear', (n, e) => {
  const [input, scale, zeroPoint] = n.inputs as [string, string, string];
  const [inputShape, scaleShape] = n.inputShapes as [number[], number[]];
  const out = n.outputTypes[0]!;
  const ct = computeType(out);
  const expand = (v: string) => blockwiseExpand(e, castTo(e, v, ct), scaleShape, inputShape);
  const rounded = e.op('Round', [e.op('Div', [castTo(e, input, ct), expand(scale)])]); // ONNX Round: half to even
  const shifted = e.op('Add', [rounded, expand(zeroPoint)]);
  // Saturate to the output type's range; the bounds are exact in the compute type.
  const { min, max } = intRange(out);
  const carrier = DTYPES[out].unpacked;
  const bound = (v: bigint) => castTo(e, e.initializer(carrier, [], encodeScalar(carrier, v)), ct);
  const clamped = e.op('Clip', [shifted, bound(min), bound(max)]);
  // NaN stays NaN through Clip, and its cast to an integer is unspecified; the spec's cast makes it 0.
  const finite = e.op('Where', [e.op('IsNaN', [clamped]), bound(0n), clamped]);
  e.cast(finite, carrier, n.outputs[0]);
});
