// Normalization → ONNX, decomposed into element-wise ops and ReduceMean. ONNX's BatchNormalization,
// InstanceNormalization and LayerNormalization each fix something WebNN leaves free (the feature axis, nchw only,
// required scale/bias, trailing sorted axes), so one decomposition serves every option combination. float16 runs in
// float32 and is rounded once at the end: the mean/variance sums would lose too much in half precision.
import { encodeScalar } from '../../../graph/cast.js';
import { defineLowering, int, ints, type Emitter, type LoweringNode } from '../emitter.js';

/**
 * (x - mean) / sqrt(variance + epsilon) · scale + bias, with mean/variance broadcast against x and scale/bias
 * (optional) already shaped to broadcast.
 */
function normalize(e: Emitter, x: string, mean: string, variance: string, epsilon: number,
  scale: string | null, bias: string | null, output: string): void {
  const eps = e.initializer('float32', [], encodeScalar('float32', epsilon));
  // Each step writes `output` when it is the last one.
  const y = e.op('Div', [e.op('Sub', [x, mean]), e.op('Sqrt', [e.op('Add', [variance, eps])])], {}, scale || bias ? undefined : output);
  const scaled = scale ? e.op('Mul', [y, scale], {}, bias ? undefined : output) : y;
  if (bias) e.op('Add', [scaled, bias], {}, output);
}

/** Mean and (biased) variance of x over `axes`, kept as size-1 dimensions; with no axes, x itself and 0. */
function moments(e: Emitter, x: string, axes: readonly number[]): { mean: string; variance: string } {
  const reduce = (v: string) => (axes.length ? e.op('ReduceMean', [v, e.int64s(axes)], { keepdims: int(1) }) : v);
  const mean = reduce(x);
  const d = e.op('Sub', [x, mean]);
  return { mean, variance: reduce(e.op('Mul', [d, d])) };
}

/** Runs `body` on the node's inputs (null where absent) in float32 and writes its output in the node's type. */
function inFloat32(n: LoweringNode<unknown>, e: Emitter, body: (inputs: (string | null)[], output: string) => void): void {
  const type = n.outputTypes[0]!;
  if (type === 'float32') {
    body([...n.inputs], n.outputs[0]!);
    return;
  }
  const out = e.fresh();
  body(n.inputs.map((v) => (v === null ? null : e.cast(v, 'float32'))), out);
  e.cast(out, type, n.outputs[0]!);
}

/**
 * Gives a per-feature operand size-1 dimensions everywhere but `featureAxes` so it broadcasts against a rank-`rank`
 * tensor. Unsqueeze rather than Reshape: no size is baked into the model, so a dynamic feature axis works.
 */
function alongAxes(e: Emitter, v: string | null, rank: number, featureAxes: readonly number[]): string | null {
  if (v === null) return null;
  const ones = Array.from({ length: rank }, (_, i) => i).filter((i) => !featureAxes.includes(i));
  return ones.length ? e.op('Unsqueeze', [v, e.int64s(ones)]) : v;
}

defineLowering('batchNormalization', (n, e) => {
  const axis = n.attrs.axis;
  const rank = n.inputShapes[0]!.length;
  inFloat32(n, e, ([x, mean, variance, scale, bias], out) => {
    const feature = (v: string | null | undefined) => alongAxes(e, v ?? null, rank, [axis]);
    normalize(e, x!, feature(mean)!, feature(variance)!, n.attrs.epsilon, feature(scale), feature(bias), out);
  });
});

defineLowering('instanceNormalization', (n, e) => {
  const nchw = n.attrs.layout === 'nchw';
  const channel = nchw ? 1 : 3;
  inFloat32(n, e, ([x, scale, bias], out) => {
    const { mean, variance } = moments(e, x!, nchw ? [2, 3] : [1, 2]);
    const feature = (v: string | null | undefined) => alongAxes(e, v ?? null, 4, [channel]);
    normalize(e, x!, mean, variance, n.attrs.epsilon, feature(scale), feature(bias), out);
  });
});

defineLowering('layerNormalization', (n, e) => {
  const axes = n.attrs.axes;
  const rank = n.inputShapes[0]!.length;
  const sorted = [...axes].sort((a, b) => a - b);
  // scale/bias dimensions follow `axes`; put them in input order, then insert the size-1 dimensions.
  const perm = sorted.map((a) => axes.indexOf(a));
  const affine = (v: string | null | undefined) => {
    if (!v) return null;
    const inOrder = perm.some((p, i) => p !== i) ? e.op('Transpose', [v], { perm: ints(perm) }) : v;
    return alongAxes(e, inOrder, rank, sorted);
  };
  inFloat32(n, e, ([x, scale, bias], out) => {
    const { mean, variance } = moments(e, x!, sorted);
    normalize(e, x!, mean, variance, n.attrs.epsilon, affine(scale), affine(bias), out);
  });
});
