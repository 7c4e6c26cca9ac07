// Internal operators (created by graph passes) → onnxruntime's fused kernels.
import { encodeScalar } from '../../../graph/cast.js';
import { defineLowering, float, int } from '../emitter.js';

// SimplifiedLayerNormalization (onnxruntime, default domain since version 1) normalizes from `axis` to the last axis;
// stash_type 1 keeps the mean of squares in float32.
defineLowering('rmsNormalization', (n, e) => {
  const { axes, epsilon } = n.attrs;
  const shape = n.inputShapes[0]!;
  const first = shape.length - axes.length;
  let scale = n.inputs[1] ?? null;
  if (scale === null) {
    const normalized = shape.slice(first);
    const count = normalized.reduce((a, b) => a * b, 1);
    const ones = new Uint8Array(count * 4);
    for (let i = 0; i < count; i++) ones.set(encodeScalar('float32', 1), i * 4);
    scale = e.initializer('float32', normalized, ones);
  }
  e.node('SimplifiedLayerNormalization', [n.inputs[0]!, scale], n.outputs,
    { axis: int(first), epsilon: float(epsilon), stash_type: int(1) });
});
