// Internal operators: graph passes (src/passes) create them where a backend has a fused kernel for a pattern of
// WebNN operators. They are not builder methods, not in opSupportLimits() and never in a saved graph file; each has
// an attribute type like any operator, so its lowering is typed.
import { FLOAT_TYPES } from '../graph/dtypes.js';
import { defineOp, limits } from './registry.js';

/**
 * RMS normalization over the trailing `axes`: input / sqrt(mean(input², axes) + epsilon) · scale, scale shaped like
 * the normalized dimensions (absent: 1).
 */
export type RmsNormalizationAttrs = { axes: number[]; epsilon: number };

declare module './registry.js' {
  interface OpAttrs { rmsNormalization: RmsNormalizationAttrs }
}

defineOp({
  name: 'rmsNormalization',
  internal: true,
  params: { input: 'operand' },
  operandOptions: ['scale'],
  limits: { input: limits(FLOAT_TYPES, 1), scale: limits(FLOAT_TYPES), output: limits(FLOAT_TYPES, 1) },
  dynamic: true,
  create(c, { input }, options) {
    const axes = c.uintList(options.axes, 'axes');
    const epsilon = c.double(options.epsilon, 'epsilon', 1e-5);
    return { inputs: [input, options.scale], attrs: { axes, epsilon }, outputs: [c.outputDims(input.dataType, input.dims)] };
  },
});
