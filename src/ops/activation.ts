// Activations (spec §relu, §sigmoid, §tanh, §softmax).
import { FLOAT_TYPES, SIGNED_TYPES } from '../graph/dtypes.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperatorOptions } from '../api/types.js';
import { defineUnary } from './elementwise.js';
import { defineOp, limits } from './registry.js';

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    relu(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    sigmoid(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    tanh(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    softmax(input: MLOperand, axis: number, options?: MLOperatorOptions): MLOperand;
  }
}

defineUnary('relu', SIGNED_TYPES);
defineUnary('sigmoid', FLOAT_TYPES);
defineUnary('tanh', FLOAT_TYPES);

defineOp({
  name: 'softmax',
  optionsAt: 2,
  limits: { input: limits(FLOAT_TYPES, 1), output: limits(FLOAT_TYPES, 1) },
  dynamic: true,
  create(c, [input, axisArg]) {
    const x = c.operand(input, 'input');
    const axis = c.uint(axisArg, 'axis');
    if (axis >= x.rank) c.fail(`axis ${axis} must be less than the input rank ${x.rank}`);
    return { inputs: [x], attrs: { axis }, outputs: [c.outputDims(x.dataType, x.dims)] };
  },
});
