// where (spec §where): picks trueValue or falseValue element-wise by a uint8 condition, with the three shapes
// broadcast together.
import { DATA_TYPES } from '../graph/dtypes.js';
import { broadcastDims, broadcastHint, dimsToString } from '../graph/dims.js';
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
  params: { condition: 'operand', trueValue: 'operand', falseValue: 'operand' },
  limits: {
    condition: limits(['uint8']), trueValue: limits(DATA_TYPES), falseValue: limits(DATA_TYPES), output: limits(DATA_TYPES),
  },
  dynamic: true,
  create(c, { condition, trueValue: t, falseValue: f }) {
    if (t.dataType !== f.dataType) c.fail(`trueValue (${t.dataType}) and falseValue (${f.dataType}) must have the same data type`);
    const values = broadcastDims(t.dims, f.dims);
    if (!values) {
      return c.fail(`trueValue shape ${dimsToString(t.dims)} and falseValue shape ${dimsToString(f.dims)} are not broadcastable${broadcastHint(t.dims, f.dims)}`);
    }
    const dims = broadcastDims(condition.dims, values);
    if (!dims) {
      return c.fail(`condition shape ${dimsToString(condition.dims)} is not broadcastable with the values' shape ${dimsToString(values)}${broadcastHint(condition.dims, values)}`);
    }
    return { inputs: [condition, t, f], attrs: {}, outputs: [c.outputDims(t.dataType, dims)] };
  },
});
