// matmul (spec §matmul): stacks of matrices with broadcast batch dimensions.
import { FLOAT_TYPES } from '../graph/dtypes.js';
import { broadcastShapes, shapeToString } from '../graph/shape.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperatorOptions } from '../api/types.js';
import { defineOp, limits } from './registry.js';

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    matmul(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  }
}

defineOp({
  name: 'matmul',
  optionsAt: 2,
  limits: { a: limits(FLOAT_TYPES, 2), b: limits(FLOAT_TYPES, 2), output: limits(FLOAT_TYPES, 2) },
  create(c, [a, b]) {
    const A = c.operand(a, 'a');
    const B = c.operand(b, 'b');
    if (A.dataType !== B.dataType) c.fail(`a (${A.dataType}) and b (${B.dataType}) must have the same data type`);
    const colsA = A.shape[A.rank - 1]!;
    const rowsA = A.shape[A.rank - 2]!;
    const colsB = B.shape[B.rank - 1]!;
    const rowsB = B.shape[B.rank - 2]!;
    if (colsA !== rowsB) {
      c.fail(`a's columns (${colsA}, of ${shapeToString(A.shape)}) must equal b's rows (${rowsB}, of ${shapeToString(B.shape)})`);
    }
    const batch = broadcastShapes(A.shape.slice(0, -2), B.shape.slice(0, -2));
    if (!batch) return c.fail(`batch dimensions of ${shapeToString(A.shape)} and ${shapeToString(B.shape)} are not broadcastable`);
    return { inputs: [A, B], outputs: [c.output(A.dataType, [...batch, rowsA, colsB])] };
  },
});
