// matmul → ONNX MatMul (same numpy batch-broadcast semantics for rank ≥ 2); gemm → ONNX Gemm (same options, and
// C broadcasts unidirectionally to [M, N] as WebNN's c does).
import { encodeScalar } from '../../../graph/cast.js';
import { defineLowering, float, int } from '../emitter.js';

defineLowering('matmul', (n, e) => void e.node('MatMul', n.inputs, n.outputs));

defineLowering('gemm', (n, e) => {
  const { alpha, beta, aTranspose, bTranspose } = n.attrs as { alpha: number; beta: number; aTranspose: boolean; bTranspose: boolean };
  const attrs = { alpha: float(alpha), transA: int(aTranspose), transB: int(bTranspose) };
  const c = n.inputs[2];
  if (c === null || c === undefined) {
    e.node('Gemm', n.inputs.slice(0, 2), n.outputs, attrs);
    return;
  }
  if (beta !== 0) {
    e.node('Gemm', n.inputs, n.outputs, { ...attrs, beta: float(beta) });
    return;
  }
  // onnxruntime skips C when beta is 0, but the spec adds beta · c, which is NaN where c is infinite or NaN.
  const t = n.outputTypes[0]!;
  const product = e.op('Gemm', n.inputs.slice(0, 2), attrs);
  e.node('Add', [product, e.op('Mul', [c, e.initializer(t, [], encodeScalar(t, 0))])], n.outputs);
});
