// where (spec §where): picks trueValue or falseValue element-wise by a uint8 condition, with the three shapes
// broadcast together.
import { DATA_TYPES } from '../graph/dtypes.js';
import { broadcastShapes, shapeToString } from '../graph/shape.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperatorOptions } from '../api/types.js';
import { defineOp, limits } from './registry.js';

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    where(condition: MLOperand, trueValue: MLOperand, falseValue: MLOperand, options?: MLOperatorOptions): MLOperand;
  }
}

defineOp({
  name: 'where',
  optionsAt: 3,
  limits: {
    condition: limits(['uint8']), trueValue: limits(DATA_TYPES), falseValue: limits(DATA_TYPES), output: limits(DATA_TYPES),
  },
  create(c, [conditionArg, trueArg, falseArg]) {
    const condition = c.operand(conditionArg, 'condition');
    const t = c.operand(trueArg, 'trueValue');
    const f = c.operand(falseArg, 'falseValue');
    if (t.dataType !== f.dataType) c.fail(`trueValue (${t.dataType}) and falseValue (${f.dataType}) must have the same data type`);
    const values = broadcastShapes(t.shape, f.shape);
    if (!values) return c.fail(`trueValue shape ${shapeToString(t.shape)} and falseValue shape ${shapeToString(f.shape)} are not broadcastable`);
    const shape = broadcastShapes(condition.shape, values);
    if (!shape) return c.fail(`condition shape ${shapeToString(condition.shape)} is not broadcastable with the values' shape ${shapeToString(values)}`);
    return { inputs: [condition, t, f], outputs: [c.output(t.dataType, shape)] };
  },
});
