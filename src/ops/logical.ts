// Element-wise logical operations (spec §"Element-wise logical operations"): comparisons, the logical connectives
// and the NaN/infinity tests. Every one returns a "uint8" tensor of 0 (false) and 1 (true).
import { DATA_TYPES, FLOAT_TYPES, type MLOperandDataType } from '../graph/dtypes.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperatorOptions } from '../api/types.js';
import { defineOp, limits } from './registry.js';
import { defineBinary } from './elementwise.js';

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

/** op(a) element-wise on a's shape; the output is uint8. */
function defineLogicalUnary(name: string, types: readonly MLOperandDataType[]): void {
  defineOp({
    name,
    params: { a: 'operand' },
    limits: { a: limits(types), output: limits(BOOLEAN) },
    dynamic: true,
    create(c, { a: A }) {
      return { inputs: [A], attrs: {}, outputs: [c.outputDims('uint8', A.dims)] };
    },
  });
}

for (const name of ['equal', 'notEqual', 'greater', 'greaterOrEqual', 'lesser', 'lesserOrEqual']) defineBinary(name, DATA_TYPES, 'uint8');
for (const name of ['logicalAnd', 'logicalOr', 'logicalXor']) defineBinary(name, BOOLEAN, 'uint8');
defineLogicalUnary('logicalNot', BOOLEAN);
for (const name of ['isNaN', 'isInfinite']) defineLogicalUnary(name, FLOAT_TYPES);
