// matmul (spec §matmul): stacks of matrices with broadcast batch dimensions; gemm (spec §gemm): one 2-D product
// with optional transposes, scaling and an added third operand.
import { FLOAT_TYPES } from '../graph/dtypes.js';
import { castNumber } from '../graph/cast.js';
import { broadcastDims, broadcastHint, dimsToString, dimToString, expandDims, sameDim } from '../graph/dims.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperatorOptions } from '../api/types.js';
import { defineOp, limits } from './registry.js';

export interface MLGemmOptions extends MLOperatorOptions {
  c?: MLOperand;
  alpha?: number;
  beta?: number;
  aTranspose?: boolean;
  bTranspose?: boolean;
}

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    matmul(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    gemm(a: MLOperand, b: MLOperand, options?: MLGemmOptions): MLOperand;
  }
}

export type GemmAttrs = { alpha: number; beta: number; aTranspose: boolean; bTranspose: boolean };

declare module './registry.js' {
  interface OpAttrs { gemm: GemmAttrs }
}

defineOp({
  name: 'matmul',
  params: { a: 'operand', b: 'operand' },
  limits: { a: limits(FLOAT_TYPES, 2), b: limits(FLOAT_TYPES, 2), output: limits(FLOAT_TYPES, 2) },
  dynamic: true,
  create(c, { a: A, b: B }) {
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
    return { inputs: [A, B], attrs: {}, outputs: [c.outputDims(A.dataType, [...batch, rowsA, colsB])] };
  },
});

defineOp({
  name: 'gemm',
  params: { a: 'operand', b: 'operand' },
  operandOptions: ['c'],
  limits: {
    a: limits(FLOAT_TYPES, 2, 2), b: limits(FLOAT_TYPES, 2, 2), c: limits(FLOAT_TYPES, 0, 2), output: limits(FLOAT_TYPES, 2, 2),
  },
  dynamic: true,
  create(c, { a: A, b: B }, options) {
    if (A.dataType !== B.dataType) c.fail(`a (${A.dataType}) and b (${B.dataType}) must have the same data type`);
    const alpha = Number(castNumber(c.double(options.alpha, 'alpha', 1), A.dataType));
    const beta = Number(castNumber(c.double(options.beta, 'beta', 1), A.dataType));
    const aTranspose = c.bool(options.aTranspose, false);
    const bTranspose = c.bool(options.bTranspose, false);
    const dimsA = aTranspose ? [...A.dims].reverse() : A.dims;
    const dimsB = bTranspose ? [...B.dims].reverse() : B.dims;
    if (!sameDim(dimsA[1]!, dimsB[0]!)) {
      c.fail(`a's columns (${dimToString(dimsA[1]!)}, of ${dimsToString(dimsA)}${aTranspose ? ' transposed' : ''}) must equal b's rows `
        + `(${dimToString(dimsB[0]!)}, of ${dimsToString(dimsB)}${bTranspose ? ' transposed' : ''})`);
    }
    const dims = [dimsA[0]!, dimsB[1]!];
    const C = options.c;
    if (C) {
      // The spec's "unidirectionally broadcastable": c right-aligned against [M, N], each dimension equal or 1.
      if (!expandDims(C.dims, dims)) c.fail(`c of shape ${dimsToString(C.dims)} is not broadcastable to ${dimsToString(dims)}`);
      if (C.dataType !== A.dataType) c.fail(`c (${C.dataType}) must have a's data type (${A.dataType})`);
    }
    return { inputs: [A, B, C], attrs: { alpha, beta, aTranspose, bTranspose }, outputs: [c.outputDims(A.dataType, dims)] };
  },
});
