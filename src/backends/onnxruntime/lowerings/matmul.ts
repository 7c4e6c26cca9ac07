// matmul → ONNX MatMul (same numpy batch-broadcast semantics for rank ≥ 2); gemm → ONNX Gemm (same options, and
// C broadcasts unidirectionally to [M, N] as WebNN's c does).
import { encodeScalar } from '../../../graph/cast.js';
import { isDynamic, sameDim, type Dim } from '../../../graph/dims.js';
import { defineLowering, float, int } from '../emitter.js';

// onnxruntime's MatMul mishandles a run-time 0 in a batch dimension that the other operand broadcasts with a 1 (given
// or implied by a lower rank): it makes the output's dimension 1, or refuses to broadcast. So where an output batch
// dimension is dynamic, an operand whose batch dimensions are not the output's is first expanded to them (Expand
// broadcasts 1 against 0 correctly). A 2-D b is the exception: onnxruntime folds a's batch into its rows then, which
// works at 0, and it is the common case of activations times a weight matrix, not worth copying.
defineLowering('matmul', (n, e) => {
  const batch = n.outputDims[0]!.slice(0, -2);
  const operands = n.inputs.map((x, i) => {
    const dims = n.inputDims[i]!;
    const own = [...new Array<Dim>(batch.length - (dims.length - 2)).fill(1), ...dims.slice(0, -2)];
    const expand = !(i === 1 && dims.length === 2) && batch.some((d, j) => isDynamic(d) && !sameDim(d, own[j]!));
    return expand ? e.op('Expand', [x!, e.shapeOf([...batch, ...dims.slice(-2)])]) : x!;
  });
  e.node('MatMul', operands, n.outputs);
});

defineLowering('gemm', (n, e) => {
  const { alpha, beta, aTranspose, bTranspose } = n.attrs;
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
