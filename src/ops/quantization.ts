// Linear (de)quantization (spec §quantizeLinear, §dequantizeLinear): scale and zeroPoint have the input's rank and
// are blockwise broadcast to it, each of their elements covering a block of input dims / scale dims elements.
import { FLOAT_TYPES, type MLOperandDataType } from '../graph/dtypes.js';
import { shapeToString } from '../graph/shape.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperatorOptions } from '../api/types.js';
import type { OpContext, OperandRef } from './context.js';
import { defineOp, limits } from './registry.js';

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    quantizeLinear(input: MLOperand, scale: MLOperand, zeroPoint: MLOperand, options?: MLOperatorOptions): MLOperand;
    dequantizeLinear(input: MLOperand, scale: MLOperand, zeroPoint: MLOperand, options?: MLOperatorOptions): MLOperand;
  }
}

/** The integer (quantized) types: the spec's allowed types plus int4/uint4, which the conformance cases use. */
export const QUANTIZED_TYPES: readonly MLOperandDataType[] = ['uint8', 'int8', 'uint32', 'int32', 'int4', 'uint4'];

/** The spec's "blockwise broadcasting" of shapeFrom to shapeTo: same rank, and every dimension divides. */
export function isBlockwiseBroadcastable(from: readonly number[], to: readonly number[]): boolean {
  return from.length === to.length && from.every((d, i) => to[i]! % d === 0);
}

/** The steps shared by both operators once the operands are resolved and their types checked. */
function checkShapes(c: OpContext, input: OperandRef, scale: OperandRef, zeroPoint: OperandRef): void {
  if (scale.rank !== input.rank || zeroPoint.rank !== input.rank) {
    c.fail(`scale (rank ${scale.rank}) and zeroPoint (rank ${zeroPoint.rank}) must have the input's rank ${input.rank}`);
  }
  if (shapeToString(scale.shape) !== shapeToString(zeroPoint.shape)) {
    c.fail(`scale shape ${shapeToString(scale.shape)} and zeroPoint shape ${shapeToString(zeroPoint.shape)} must be equal`);
  }
  if (!isBlockwiseBroadcastable(scale.shape, input.shape)) {
    c.fail(`scale shape ${shapeToString(scale.shape)} is not blockwise broadcastable to the input shape ${shapeToString(input.shape)} (each dimension must divide the input's)`);
  }
}

defineOp({
  name: 'dequantizeLinear',
  params: { input: 'operand', scale: 'operand', zeroPoint: 'operand' },
  limits: {
    input: limits(QUANTIZED_TYPES), scale: limits(FLOAT_TYPES), zeroPoint: limits(QUANTIZED_TYPES), output: limits(FLOAT_TYPES),
  },
  create(c, { input, scale, zeroPoint }) {
    if (zeroPoint.dataType !== input.dataType) {
      c.fail(`zeroPoint has data type ${zeroPoint.dataType}, it must match the input's ${input.dataType}`);
    }
    checkShapes(c, input, scale, zeroPoint);
    return { inputs: [input, scale, zeroPoint], attrs: {}, outputs: [c.output(scale.dataType, input.shape)] };
  },
});

defineOp({
  name: 'quantizeLinear',
  params: { input: 'operand', scale: 'operand', zeroPoint: 'operand' },
  limits: {
    input: limits(FLOAT_TYPES), scale: limits(FLOAT_TYPES), zeroPoint: limits(QUANTIZED_TYPES), output: limits(QUANTIZED_TYPES),
  },
  create(c, { input, scale, zeroPoint }) {
    if (scale.dataType !== input.dataType) c.fail(`scale has data type ${scale.dataType}, it must match the input's ${input.dataType}`);
    checkShapes(c, input, scale, zeroPoint);
    return { inputs: [input, scale, zeroPoint], attrs: {}, outputs: [c.output(zeroPoint.dataType, input.shape)] };
  },
});
