// Element-wise logical operations (spec §"Element-wise logical operations"): comparisons, the logical connectives
// and the NaN/infinity tests. Every one returns a "uint8" tensor of 0 (false) and 1 (true).
import { DATA_TYPES, FLOAT_TYPES, type MLOperandDataType } from '../graph/dtypes.js';
import { broadcastDims, broadcastHint, dimsToString } from '../graph/dims.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperatorOptions } from '../api/types.js';
import { defineOp, limits } from './registry.js';

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    equal(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    notEqual(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    greater(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    greaterOrEqual(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    lesser(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    lesserOrEqual(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    logicalAnd(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    logicalOr(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    logicalXor(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    logicalNot(a: MLOperand, options?: MLOperatorOptions): MLOperand;
    isNaN(a: MLOperand, options?: MLOperatorOptions): MLOperand;
    isInfinite(a: MLOperand, options?: MLOperatorOptions): MLOperand;
  }
}

const BOOLEAN: readonly MLOperandDataType[] = ['uint8'];

/** op(a, b) with bidirectional broadcasting; a and b share a type from `types`, the output is uint8. */
function defineLogicalBinary(name: string, types: readonly MLOperandDataType[]): void {
  defineOp({
    name,
    optionsAt: 2,
    limits: { a: limits(types), b: limits(types), output: limits(BOOLEAN) },
    dynamic: true,
    create(c, [a, b]) {
      const A = c.operand(a, 'a');
      const B = c.operand(b, 'b');
      if (A.dataType !== B.dataType) c.fail(`a (${A.dataType}) and b (${B.dataType}) must have the same data type`);
      const dims = broadcastDims(A.dims, B.dims);
      if (!dims) return c.fail(`shapes ${dimsToString(A.dims)} and ${dimsToString(B.dims)} are not broadcastable${broadcastHint(A.dims, B.dims)}`);
      return { inputs: [A, B], outputs: [c.outputDims('uint8', dims)] };
    },
  });
}

/** op(a) element-wise on a's shape; the output is uint8. */
function defineLogicalUnary(name: string, types: readonly MLOperandDataType[]): void {
  defineOp({
    name,
    optionsAt: 1,
    limits: { a: limits(types), output: limits(BOOLEAN) },
    dynamic: true,
    create(c, [a]) {
      const A = c.operand(a, 'a');
      return { inputs: [A], outputs: [c.outputDims('uint8', A.dims)] };
    },
  });
}

for (const name of ['equal', 'notEqual', 'greater', 'greaterOrEqual', 'lesser', 'lesserOrEqual']) defineLogicalBinary(name, DATA_TYPES);
for (const name of ['logicalAnd', 'logicalOr', 'logicalXor']) defineLogicalBinary(name, BOOLEAN);
defineLogicalUnary('logicalNot', BOOLEAN);
for (const name of ['isNaN', 'isInfinite']) defineLogicalUnary(name, FLOAT_TYPES);
