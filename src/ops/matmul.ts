// matmul (spec §matmul): stacks of matrices with broadcast batch dimensions.
import { FLOAT_TYPES } from '../graph/dtypes.js';
import { broadcastDims, broadcastHint, dimsToString, dimToString, sameDim } from '../graph/dims.js';
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
  dynamic: true,
  create(c, [a, b]) {
    const A = c.operand(a, 'a');
    const B = c.operand(b, 'b');
    if (A.dataType !== B.dataType) c.fail(`a (${A.dataType}) and b (${B.dataType}) must have the same data type`);
    const colsA = A.dims[A.rank - 1]!;
    const rowsA = A.dims[A.rank - 2]!;
    const colsB = B.dims[B.rank - 1]!;
    const rowsB = B.dims[B.rank - 2]!;
    if (!sameDim(colsA, rowsB)) {
      c.fail(`a's columns (${dimToString(colsA)}, of ${dimsToString(A.dims)}) must equal b's rows (${dimToString(rowsB)}, of ${dimsToString(B.dims)})`);
    }
    const batchA = A.dims.slice(0, -2);
    const batchB = B.dims.slice(0, -2);
    const batch = broadcastDims(batchA, batchB);
    if (!batch) return c.fail(`batch dimensions of ${dimsToString(A.dims)} and ${dimsToString(B.dims)} are not broadcastable${broadcastHint(batchA, batchB)}`);
    return { inputs: [A, B], outputs: [c.outputDims(A.dataType, [...batch, rowsA, colsB])] };
  },
});
