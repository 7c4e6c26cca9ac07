// matmul → ONNX MatMul (same numpy batch-broadcast semantics for rank ≥ 2); gemm → ONNX Gemm (same options, and
// C broadcasts unidirectionally to [M, N] as WebNN's c does).
import { defineLowering, float, int } from '../emitter.js';

defineLowering('matmul', (n, e) => void e.node('MatMul', n.inputs, n.outputs));

defineLowering('gemm', (n, e) => {
  const { alpha, beta, aTranspose, bTranspose } = n.attrs as { alpha: number; beta: number; aTranspose: boolean; bTranspose: boolean };
  const inputs = n.inputs[2] === null ? n.inputs.slice(0, 2) : n.inputs;
  e.node('Gemm', inputs, n.outputs, { alpha: float(alpha), beta: float(beta), transA: int(aTranspose), transB: int(bTranspose) });
});
