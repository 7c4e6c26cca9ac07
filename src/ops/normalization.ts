// Normalization (spec §batchNormalization, §instanceNormalization, §layerNormalization).
import { FLOAT_TYPES, type MLOperandDataType } from '../graph/dtypes.js';
import { castNumber } from '../graph/cast.js';
import { shapeToString } from '../graph/shape.js';
import { dimsToString, sameDims, type Dim } from '../graph/dims.js';
import type { MLOperand } from '../api/operand.js';
import type { MLInputOperandLayout, MLOperatorOptions } from '../api/types.js';
import type { OpContext, OperandRef } from './context.js';
import { defineOp, limits } from './registry.js';

export interface MLBatchNormalizationOptions extends MLOperatorOptions {
  scale?: MLOperand;
  bias?: MLOperand;
  axis?: number;
  epsilon?: number;
}

export interface MLInstanceNormalizationOptions extends MLOperatorOptions {
  scale?: MLOperand;
  bias?: MLOperand;
  epsilon?: number;
  layout?: MLInputOperandLayout;
}

export interface MLLayerNormalizationOptions extends MLOperatorOptions {
  scale?: MLOperand;
  bias?: MLOperand;
  axes?: number[];
  epsilon?: number;
}

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    batchNormalization(input: MLOperand, mean: MLOperand, variance: MLOperand, options?: MLBatchNormalizationOptions): MLOperand;
    instanceNormalization(input: MLOperand, options?: MLInstanceNormalizationOptions): MLOperand;
    layerNormalization(input: MLOperand, options?: MLLayerNormalizationOptions): MLOperand;
  }
}

export type BatchNormalizationAttrs = { axis: number; epsilon: number };
export type InstanceNormalizationAttrs = { epsilon: number; layout: MLInputOperandLayout };
export type LayerNormalizationAttrs = { axes: number[]; epsilon: number };

declare module './registry.js' {
  interface OpAttrs {
    batchNormalization: BatchNormalizationAttrs;
    instanceNormalization: InstanceNormalizationAttrs;
    layerNormalization: LayerNormalizationAttrs;
  }
}

/**
 * An operand whose allowed data type is "same as input" and whose shape must be exactly `dims` (the input's
 * dimensions it applies to: a dynamic one must be the same dynamic dimension).
 */
function perFeature<R extends OperandRef | null>(c: OpContext, x: OperandRef, ref: R, param: string, dims: readonly Dim[]): R {
  if (!ref) return ref;
  if (ref.dataType !== x.dataType) c.fail(`${param} has data type ${ref.dataType}, the input has ${x.dataType}`);
  if (!sameDims(ref.dims, dims)) c.fail(`${param} has shape ${dimsToString(ref.dims)}, expected ${dimsToString(dims)}`);
  return ref;
}

/** The spec casts epsilon to the input's data type before use. */
function epsilonFor(c: OpContext, value: unknown, t: MLOperandDataType): number {
  return Number(castNumber(c.double(value, 'epsilon', 1e-5), t));
}

defineOp({
  name: 'batchNormalization',
  params: { input: 'operand', mean: 'operand', variance: 'operand' },
  operandOptions: ['scale', 'bias'],
  limits: {
    input: limits(FLOAT_TYPES, 1), mean: limits(FLOAT_TYPES, 1, 1), variance: limits(FLOAT_TYPES, 1, 1),
    scale: limits(FLOAT_TYPES, 1, 1), bias: limits(FLOAT_TYPES, 1, 1), output: limits(FLOAT_TYPES, 1),
  },
  dynamic: true,
  create(c, { input: x, mean, variance }, options) {
    const axis = c.optionalUint(options.axis, 'axis', 1);
    if (axis >= x.rank) c.fail(`axis ${axis} must be less than the input rank ${x.rank}`);
    const features = [x.dims[axis]!];
    const m = perFeature(c, x, mean, 'mean', features);
    const v = perFeature(c, x, variance, 'variance', features);
    const epsilon = epsilonFor(c, options.epsilon, x.dataType);
    const scale = perFeature(c, x, options.scale, 'scale', features);
    const bias = perFeature(c, x, options.bias, 'bias', features);
    return { inputs: [x, m, v, scale, bias], attrs: { axis, epsilon }, outputs: [c.outputDims(x.dataType, x.dims)] };
  },
});

defineOp({
  name: 'instanceNormalization',
  params: { input: 'operand' },
  operandOptions: ['scale', 'bias'],
  limits: {
    input: limits(FLOAT_TYPES, 4, 4), scale: limits(FLOAT_TYPES, 1, 1), bias: limits(FLOAT_TYPES, 1, 1),
    output: limits(FLOAT_TYPES, 4, 4),
  },
  dynamic: true,
  create(c, { input: x }, options) {
    const epsilon = epsilonFor(c, options.epsilon, x.dataType);
    const layout = c.enumValue(options.layout, ['nchw', 'nhwc'] as const, 'layout', 'nchw');
    const features = [x.dims[layout === 'nchw' ? 1 : 3]!];
    const scale = perFeature(c, x, options.scale, 'scale', features);
    const bias = perFeature(c, x, options.bias, 'bias', features);
    return { inputs: [x, scale, bias], attrs: { epsilon, layout }, outputs: [c.outputDims(x.dataType, x.dims)] };
  },
});

defineOp({
  name: 'layerNormalization',
  params: { input: 'operand' },
  operandOptions: ['scale', 'bias'],
  limits: { input: limits(FLOAT_TYPES), scale: limits(FLOAT_TYPES), bias: limits(FLOAT_TYPES), output: limits(FLOAT_TYPES) },
  dynamic: true,
  create(c, { input: x }, options) {
    let axes: number[];
    if (options.axes === undefined) {
      axes = x.shape.map((_, i) => i).slice(1);
    } else {
      axes = c.uintList(options.axes, 'axes');
      if (new Set(axes).size !== axes.length) c.fail(`axes ${shapeToString(axes)} has duplicate values`);
      for (const a of axes) if (a >= x.rank) c.fail(`axes ${shapeToString(axes)} has ${a}, not less than the input rank ${x.rank}`);
    }
    const epsilon = epsilonFor(c, options.epsilon, x.dataType);
    // scale and bias follow the order of `axes`, which need not be sorted.
    const expected = axes.map((a) => x.dims[a]!);
    const scale = perFeature(c, x, options.scale, 'scale', expected);
    const bias = perFeature(c, x, options.bias, 'bias', expected);
    return { inputs: [x, scale, bias], attrs: { axes, epsilon }, outputs: [c.outputDims(x.dataType, x.dims)] };
  },
});
