// Activations (spec §clamp, §elu, §gelu, §hardSigmoid, §hardSwish, §leakyRelu, §linear, §prelu, §relu, §sigmoid,
// §softmax, §softplus, §softsign, §tanh).
import { DATA_TYPES, FLOAT_TYPES, SIGNED_TYPES, type MLOperandDataType } from '../graph/dtypes.js';
import { castNumber, type MLNumber } from '../graph/cast.js';
import { broadcastDims, broadcastHint, dimsToString } from '../graph/dims.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperatorOptions } from '../api/types.js';
import { defineUnary } from './elementwise.js';
import { defineOp, limits, type AttrsOf, type OpAttrs } from './registry.js';

export interface MLClampOptions extends MLOperatorOptions {
  minValue?: MLNumber;
  maxValue?: MLNumber;
}
export interface MLEluOptions extends MLOperatorOptions { alpha?: number }
export interface MLLeakyReluOptions extends MLOperatorOptions { alpha?: number }
export interface MLHardSigmoidOptions extends MLOperatorOptions { alpha?: number; beta?: number }
export interface MLLinearOptions extends MLOperatorOptions { alpha?: number; beta?: number }

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    relu(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    sigmoid(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    tanh(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    softmax(input: MLOperand, axis: number, options?: MLOperatorOptions): MLOperand;
    clamp(input: MLOperand, options?: MLClampOptions): MLOperand;
    elu(input: MLOperand, options?: MLEluOptions): MLOperand;
    gelu(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    hardSigmoid(input: MLOperand, options?: MLHardSigmoidOptions): MLOperand;
    hardSwish(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    leakyRelu(input: MLOperand, options?: MLLeakyReluOptions): MLOperand;
    linear(input: MLOperand, options?: MLLinearOptions): MLOperand;
    prelu(input: MLOperand, slope: MLOperand, options?: MLOperatorOptions): MLOperand;
    softplus(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    softsign(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  }
}

export type SoftmaxAttrs = { axis: number };
export type EluAttrs = { alpha: number };
export type LeakyReluAttrs = { alpha: number };
export type HardSigmoidAttrs = { alpha: number; beta: number };
export type LinearAttrs = { alpha: number; beta: number };
/** Bounds cast to the input's type; null where absent (or a float NaN, which bounds nothing). */
export type ClampAttrs = { minValue: MLNumber | null; maxValue: MLNumber | null };

declare module './registry.js' {
  interface OpAttrs {
    softmax: SoftmaxAttrs;
    elu: EluAttrs;
    leakyRelu: LeakyReluAttrs;
    hardSigmoid: HardSigmoidAttrs;
    linear: LinearAttrs;
    clamp: ClampAttrs;
  }
}

defineUnary('relu', SIGNED_TYPES);
for (const name of ['sigmoid', 'tanh', 'gelu', 'hardSwish', 'softplus', 'softsign']) defineUnary(name, FLOAT_TYPES);

defineOp({
  name: 'softmax',
  params: { input: 'operand', axis: 'uint' },
  limits: { input: limits(FLOAT_TYPES, 1), output: limits(FLOAT_TYPES, 1) },
  dynamic: true,
  create(c, { input: x, axis: axisArg }) {
    const axis = c.uint(axisArg, 'axis');
    if (axis >= x.rank) c.fail(`axis ${axis} must be less than the input rank ${x.rank}`);
    return { inputs: [x], attrs: { axis }, outputs: [c.outputDims(x.dataType, x.dims)] };
  },
});

/**
 * A float activation whose `double` options (name → default) are cast to the input's type, as the spec's steps
 * say; the lowering reads the cast values from the attributes.
 */
function defineParametric<N extends 'elu' | 'hardSigmoid' | 'leakyRelu' | 'linear'>(name: N, defaults: OpAttrs[N]): void {
  defineOp({
    name,
    params: { input: 'operand' },
    limits: { input: limits(FLOAT_TYPES), output: limits(FLOAT_TYPES) },
    dynamic: true,
    create(c, { input: x }, options) {
      const attrs = { ...defaults };
      for (const [key, fallback] of Object.entries(defaults) as [keyof OpAttrs[N], number][]) {
        attrs[key] = Number(castNumber(c.double(options[key as string], key as string, fallback), x.dataType)) as OpAttrs[N][keyof OpAttrs[N]];
      }
      return { inputs: [x], attrs: attrs as AttrsOf<N>, outputs: [c.outputDims(x.dataType, x.dims)] };
    },
  });
}

defineParametric('elu', { alpha: 1 });
defineParametric('hardSigmoid', { alpha: 0.2, beta: 0.5 });
defineParametric('leakyRelu', { alpha: 0.01 });
defineParametric('linear', { alpha: 1, beta: 0 });

defineOp({
  name: 'clamp',
  params: { input: 'operand' },
  limits: { input: limits(DATA_TYPES), output: limits(DATA_TYPES) },
  dynamic: true,
  create(c, { input: x }, options) {
    // A bound is null when absent. A float bound that casts to NaN is dropped too: no value compares below or
    // above NaN, so it bounds nothing (an integer bound of NaN casts to 0, per the spec's cast).
    const bound = (key: string): number | bigint | null => {
      if (options[key] === undefined) return null;
      const v = castNumber(c.number(options[key], key), x.dataType);
      return typeof v === 'number' && Number.isNaN(v) ? null : v;
    };
    const minValue = bound('minValue');
    const maxValue = bound('maxValue');
    if (minValue !== null && maxValue !== null && minValue > maxValue) {
      c.fail(`minValue ${minValue} is greater than maxValue ${maxValue} (after casting to ${x.dataType})`);
    }
    return { inputs: [x], attrs: { minValue, maxValue }, outputs: [c.outputDims(x.dataType, x.dims)] };
  },
});

const PRELU_TYPES: readonly MLOperandDataType[] = ['float32', 'float16', 'int64', 'int32', 'int8'];

defineOp({
  name: 'prelu',
  params: { input: 'operand', slope: 'operand' },
  limits: { input: limits(PRELU_TYPES), slope: limits(PRELU_TYPES), output: limits(PRELU_TYPES) },
  dynamic: true,
  create(c, { input: x, slope }) {
    if (slope.dataType !== x.dataType) c.fail(`slope (${slope.dataType}) must have the input's data type (${x.dataType})`);
    // The spec broadcasts bidirectionally here (the output may be larger than the input).
    const dims = broadcastDims(slope.dims, x.dims);
    if (!dims) {
      return c.fail(`slope shape ${dimsToString(slope.dims)} is not broadcastable with input shape ${dimsToString(x.dims)}${broadcastHint(slope.dims, x.dims)}`);
    }
    return { inputs: [x, slope], attrs: {}, outputs: [c.outputDims(x.dataType, dims)] };
  },
});
