// QuantizeLinear, DequantizeLinear (per tensor, per axis and blocked) and DynamicQuantizeLinear. WebNN's
// (de)quantize take scale and zero point at the input's rank, blockwise broadcast: ONNX's scalar, per-axis and
// blocked forms are reshaped to that.
import type { MLOperand } from '../../api/operand.js';
import { isDynamic } from '../../graph/dims.js';
import type { MLOperandDataType } from '../../graph/dtypes.js';
import { OnnxDataType as T, onnxTypeName } from '../../onnx/schema.js';
import type { NodeContext } from '../context.js';
import { family } from '../table.js';
import { ConstTensor, constVal, onnxTypeOf, type Val } from '../values.js';
import { like } from './common.js';

/** scale (or zero point) of an ONNX (de)quantizer at the input's rank. */
export function atRank(c: NodeContext, t: MLOperand, input: MLOperand, axis: number, blockSize: number): MLOperand {
  const rank = input.dimensions.length;
  const td = t.dimensions as number[];
  if (td.length === rank && rank > 1) return t;
  if (td.length === 0 || (td.length === 1 && td[0] === 1)) return c.b.reshape(t, new Array<number>(rank).fill(1));
  if (td.length === 1 && blockSize === 0) {
    const shape = new Array<number>(rank).fill(1);
    shape[axis] = td[0]!;
    return c.b.reshape(t, shape);
  }
  if (td.length === rank) return t;
  return c.fail(`a scale of shape [${td.join(', ')}] does not fit an input of rank ${rank}`);
}

function staticInput(c: NodeContext, x: MLOperand, what: string): void {
  const d = x.dimensions.find(isDynamic);
  if (d) c.fail(`${what} needs static shapes (WebNN's quantization operators do), but the input has dynamic dimension '${d.name}'`);
}

/** Zeros of `dataType` shaped like `like_`, for an absent zero point. */
function zeros(c: NodeContext, dataType: MLOperandDataType, shape: readonly number[]): MLOperand {
  const type = dataType === 'int4' ? T.INT4 : dataType === 'uint4' ? T.UINT4 : onnxTypeOf(dataType);
  const n = shape.reduce((a, b) => a * b, 1);
  return c.op(constVal(ConstTensor.fromValues(type, shape, new Array(n).fill(0))));
}

function dequantizeLinear(c: NodeContext): Val {
  const x = c.op(0);
  staticInput(c, x, 'DequantizeLinear');
  const rank = x.dimensions.length;
  const axis = rank ? c.axis(c.int('axis', 1), rank) : 0;
  const blockSize = c.opset >= 21 ? c.int('block_size', 0) : 0;
  const scaleVal = c.in(1);
  const input = rank === 0 ? c.b.reshape(x, [1]) : x;
  const scale = atRank(c, c.op(scaleVal), input, axis, blockSize);
  const zp = c.has(2) ? atRank(c, c.op(2), input, axis, blockSize) : zeros(c, x.dataType, scale.dimensions as number[]);
  let y = c.b.dequantizeLinear(input, scale, zp);
  if (rank === 0) y = c.b.reshape(y, []);
  return c.out(y, scaleVal.type);
}

function outputType(c: NodeContext): MLOperandDataType {
  if (c.has(2)) return c.op(2).dataType;
  const t = c.opset >= 21 ? c.int('output_dtype', 0) : 0;
  if (t === 0) return 'uint8';
  return c.webnnType(t);
}

function quantizeLinear(c: NodeContext): Val {
  const x = c.op(0);
  staticInput(c, x, 'QuantizeLinear');
  if (c.opset >= 19 && c.int('saturate', 1) !== 1) c.fail('saturate = 0 is not supported');
  const rank = x.dimensions.length;
  const axis = rank ? c.axis(c.int('axis', 1), rank) : 0;
  const blockSize = c.opset >= 21 ? c.int('block_size', 0) : 0;
  const input = rank === 0 ? c.b.reshape(x, [1]) : x;
  let scale = atRank(c, c.op(1), input, axis, blockSize);
  if (scale.dataType !== input.dataType) scale = c.b.cast(scale, input.dataType);
  const dataType = outputType(c);
  const zp = c.has(2) ? atRank(c, c.op(2), input, axis, blockSize) : zeros(c, dataType, scale.dimensions as number[]);
  let y = c.b.quantizeLinear(input, scale, zp);
  if (rank === 0) y = c.b.reshape(y, []);
  const onnx = dataType === 'int4' ? T.INT4 : dataType === 'uint4' ? T.UINT4 : onnxTypeOf(dataType);
  return c.out(y, onnx);
}

function dynamicQuantizeLinear(c: NodeContext): Val[] {
  const v = c.in(0);
  if (v.type !== T.FLOAT) c.fail(`input of ${onnxTypeName(v.type)} is not supported (float)`);
  const x = c.op(v);
  staticInput(c, x, 'DynamicQuantizeLinear');
  const b = c.b;
  const rank = x.dimensions.length;
  const zero = like(c, x, 0);
  const lo = b.min(b.reduceMin(x), zero);
  const hi = b.max(b.reduceMax(x), zero);
  const scale = b.div(b.sub(hi, lo), like(c, x, 255));
  const zpFloat = b.clamp(b.roundEven(b.div(b.neg(lo), scale)), { minValue: 0, maxValue: 255 });
  const zp = b.cast(zpFloat, 'uint8');
  const ones = new Array<number>(rank).fill(1);
  const y = b.quantizeLinear(x, b.reshape(scale, ones), b.reshape(zp, ones));
  return [c.out(y, T.UINT8), c.out(scale, T.FLOAT), c.out(zp, T.UINT8)];
}

export const quantizationOps = family('quantization', [
  { op: 'DequantizeLinear', since: 10, note: 'dequantizeLinear (per tensor, per axis, blocked; static shapes)', handler: dequantizeLinear },
  { op: 'QuantizeLinear', since: 10, note: 'quantizeLinear (per tensor, per axis, blocked; static shapes)', handler: quantizeLinear },
  { op: 'DynamicQuantizeLinear', since: 11, note: 'scale and zero point from reduceMin/reduceMax, then quantizeLinear', handler: dynamicQuantizeLinear },
]);
