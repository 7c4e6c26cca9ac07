// Reductions (spec §"Reduction operations"), argMin/argMax and cumulativeSum.
import { DATA_TYPES, FLOAT_TYPES, intRange, type MLOperandDataType } from '../graph/dtypes.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperatorOptions } from '../api/types.js';
import { reduceDims } from '../graph/dims.js';
import { axesOption } from './axes.js';
import { defineOp, limits } from './registry.js';

export interface MLReduceOptions extends MLOperatorOptions {
  axes?: readonly number[];
  keepDimensions?: boolean;
}
export interface MLArgMinMaxOptions extends MLOperatorOptions {
  keepDimensions?: boolean;
  outputDataType?: MLOperandDataType;
}
export interface MLCumulativeSumOptions extends MLOperatorOptions {
  exclusive?: boolean;
  reversed?: boolean;
}

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    reduceL1(input: MLOperand, options?: MLReduceOptions): MLOperand;
    reduceL2(input: MLOperand, options?: MLReduceOptions): MLOperand;
    reduceLogSum(input: MLOperand, options?: MLReduceOptions): MLOperand;
    reduceLogSumExp(input: MLOperand, options?: MLReduceOptions): MLOperand;
    reduceMax(input: MLOperand, options?: MLReduceOptions): MLOperand;
    reduceMean(input: MLOperand, options?: MLReduceOptions): MLOperand;
    reduceMin(input: MLOperand, options?: MLReduceOptions): MLOperand;
    reduceProduct(input: MLOperand, options?: MLReduceOptions): MLOperand;
    reduceSum(input: MLOperand, options?: MLReduceOptions): MLOperand;
    reduceSumSquare(input: MLOperand, options?: MLReduceOptions): MLOperand;
    argMin(input: MLOperand, axis: number, options?: MLArgMinMaxOptions): MLOperand;
    argMax(input: MLOperand, axis: number, options?: MLArgMinMaxOptions): MLOperand;
    cumulativeSum(input: MLOperand, axis: number, options?: MLCumulativeSumOptions): MLOperand;
  }
}

export type ReduceAttrs = { axes: number[]; keepDimensions: boolean };
export type ArgMinMaxAttrs = { axis: number; keepDimensions: boolean };
export type CumulativeSumAttrs = { axis: number; exclusive: boolean; reversed: boolean };
export type ReductionOp = (typeof REDUCTIONS)[number][0];
type ReductionAttrTable = { [K in ReductionOp]: ReduceAttrs };

declare module './registry.js' {
  interface OpAttrs extends ReductionAttrTable {
    argMin: ArgMinMaxAttrs;
    argMax: ArgMinMaxAttrs;
    cumulativeSum: CumulativeSumAttrs;
  }
}

/** The numeric types (no 8-bit integers) of the sum-like reductions and cumulativeSum. */
const NUMERIC_TYPES: readonly MLOperandDataType[] = ['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64'];

const REDUCTIONS = [
  ['reduceL1', NUMERIC_TYPES],
  ['reduceL2', FLOAT_TYPES],
  ['reduceLogSum', FLOAT_TYPES],
  ['reduceLogSumExp', FLOAT_TYPES],
  ['reduceMax', DATA_TYPES],
  ['reduceMean', FLOAT_TYPES],
  ['reduceMin', DATA_TYPES],
  ['reduceProduct', NUMERIC_TYPES],
  ['reduceSum', NUMERIC_TYPES],
  ['reduceSumSquare', NUMERIC_TYPES],
] as const satisfies readonly (readonly [string, readonly MLOperandDataType[]])[];

for (const [name, types] of REDUCTIONS) {
  defineOp({
    name,
    params: { input: 'operand' },
    limits: { input: limits(types), output: limits(types) },
    dynamic: true,
    create(c, { input: x }, options) {
      const axes = axesOption(c, options.axes, x.rank);
      const keepDimensions = c.bool(options.keepDimensions, false);
      return { inputs: [x], attrs: { axes, keepDimensions }, outputs: [c.outputDims(x.dataType, reduceDims(x.dims, axes, keepDimensions))] };
    },
  });
}

const ARG_OUTPUT_TYPES: readonly MLOperandDataType[] = ['int32', 'int64'];

for (const name of ['argMin', 'argMax'] as const) {
  defineOp({
    name,
    params: { input: 'operand', axis: 'uint' },
    limits: { input: limits(DATA_TYPES, 1), output: limits(ARG_OUTPUT_TYPES) },
    dynamic: true,
    create(c, { input: x, axis: axisArg }, options) {
      const axis = c.uint(axisArg, 'axis');
      const keepDimensions = c.bool(options.keepDimensions, false);
      const outputDataType = c.dataType(options.outputDataType ?? 'int32', 'outputDataType');
      if (axis >= x.rank) c.fail(`axis ${axis} must be less than the input rank ${x.rank}`);
      if (!ARG_OUTPUT_TYPES.includes(outputDataType)) c.fail(`outputDataType ${outputDataType} is not one of ${ARG_OUTPUT_TYPES.join(', ')}`);
      // x.shape holds a dynamic dimension's maxSize: every size it can take must fit.
      if (BigInt(x.shape[axis]!) > intRange(outputDataType).max) {
        c.fail(`input dimension ${x.shape[axis]} along axis ${axis} does not fit outputDataType ${outputDataType}`);
      }
      return { inputs: [x], attrs: { axis, keepDimensions }, outputs: [c.outputDims(outputDataType, reduceDims(x.dims, [axis], keepDimensions))] };
    },
  });
}

defineOp({
  name: 'cumulativeSum',
  params: { input: 'operand', axis: 'uint' },
  limits: { input: limits(NUMERIC_TYPES, 1), output: limits(NUMERIC_TYPES, 1) },
  dynamic: true,
  create(c, { input: x, axis: axisArg }, options) {
    const axis = c.uint(axisArg, 'axis');
    if (axis >= x.rank) c.fail(`axis ${axis} must be less than the input rank ${x.rank}`);
    const exclusive = c.bool(options.exclusive, false);
    const reversed = c.bool(options.reversed, false);
    return { inputs: [x], attrs: { axis, exclusive, reversed }, outputs: [c.outputDims(x.dataType, x.dims)] };
  },
});
