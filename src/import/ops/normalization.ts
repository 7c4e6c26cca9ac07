// Normalizations: WebNN batchNormalization, instanceNormalization and layerNormalization where the ONNX form fits
// them; GroupNormalization, LpNormalization, MeanVarianceNormalization and RMS forms from reductions.
import type { MLOperand } from '../../api/operand.js';
import { productDims, sameDims, type Dim } from '../../graph/dims.js';
import type { NodeContext } from '../context.js';
import { family } from '../table.js';
import type { Val } from '../values.js';
import { like } from './common.js';
import { reshapeTo } from './shape.js';

function batchNormalization(c: NodeContext): Val {
  if (c.opset >= 14 && c.int('training_mode', 0) !== 0) c.fail('training_mode is not supported');
  if (c.node.output.slice(1).some((o) => o)) c.fail('the running mean/variance outputs (training) are not supported');
  const v = c.in(0);
  const x = c.op(v);
  const y = c.b.batchNormalization(x, c.op(3), c.op(4), { scale: c.op(1), bias: c.op(2), epsilon: c.float('epsilon', 1e-5), axis: 1 });
  return c.out(y, v.type);
}

function instanceNormalization(c: NodeContext): Val {
  const v = c.in(0);
  const x = c.op(v);
  const rank = x.dimensions.length;
  const epsilon = c.float('epsilon', 1e-5);
  if (rank === 4) return c.out(c.b.instanceNormalization(x, { scale: c.op(1), bias: c.op(2), epsilon }), v.type);
  // Other ranks: normalize over the spatial axes by hand, then scale and shift per channel.
  const axes = Array.from({ length: rank - 2 }, (_, i) => i + 2);
  const y = c.b.layerNormalization(x, { axes, epsilon });
  const shape: Dim[] = x.dimensions.map((d, i) => (i === 1 ? d : 1));
  const scale = c.b.reshape(c.op(1), shape as number[]);
  const bias = c.b.reshape(c.op(2), shape as number[]);
  return c.out(c.b.add(c.b.mul(y, scale), bias), v.type);
}

/** scale/bias of an ONNX normalization as operands of shape `dims`, or applied after it when they only broadcast. */
function affine(c: NodeContext, i: number, dims: readonly Dim[]): { fits?: MLOperand; after?: MLOperand } {
  if (!c.has(i)) return {};
  const v = c.in(i);
  if (sameDims(v.dims, dims)) return { fits: c.op(v) };
  if (sameDims([productDims(v.dims)], [productDims(dims)]) && v.konst) return { fits: c.op(reshapeTo(c, v, dims)) };
  return { after: c.op(v) };
}

function layerNormalization(c: NodeContext): Val {
  if (c.node.output.slice(1).some((o) => o)) c.fail('the Mean and InvStdDev outputs are not supported');
  const v = c.in(0);
  const x = c.op(v);
  const rank = x.dimensions.length;
  const axis = c.axis(c.int('axis', -1), rank);
  const axes = Array.from({ length: rank - axis }, (_, i) => axis + i);
  const dims = axes.map((a) => x.dimensions[a]!);
  const scale = affine(c, 1, dims);
  const bias = affine(c, 2, dims);
  let y = c.b.layerNormalization(x, { axes, epsilon: c.float('epsilon', 1e-5), ...(scale.fits ? { scale: scale.fits } : {}), ...(bias.fits && scale.fits ? { bias: bias.fits } : {}) });
  if (scale.after) y = c.b.mul(y, scale.after);
  if (bias.after) y = c.b.add(y, bias.after);
  else if (bias.fits && !scale.fits) y = c.b.add(y, bias.fits);
  return c.out(y, v.type);
}

/** x / sqrt(mean(x², axes) + eps) · scale: RMS normalization (SimplifiedLayerNormalization, RMSNormalization). */
export function rmsNorm(c: NodeContext, input: MLOperand, axes: number[], epsilon: number, scale?: MLOperand): MLOperand {
  const b = c.b;
  // float16 is normalized in float32 (as onnxruntime's kernels do), then rounded once.
  const x = input.dataType === 'float16' ? b.cast(input, 'float32') : input;
  const ms = b.reduceMean(b.mul(x, x), { axes, keepDimensions: true });
  let y = b.div(x, b.sqrt(b.add(ms, like(c, x, epsilon))));
  if (x !== input) y = b.cast(y, 'float16');
  return scale ? b.mul(y, scale) : y;
}

function groupNormalization(c: NodeContext): Val {
  const v = c.in(0);
  const x = c.op(v);
  const dims = x.dimensions;
  const groups = c.int('num_groups') ?? c.fail('num_groups is required');
  const channels = dims[1]!;
  if (typeof channels !== 'number' || channels % groups !== 0) c.fail(`the channels (${channels}) must be static and divisible by num_groups ${groups}`);
  const b = c.b;
  // [N, G, C/G · spatial] normalized over its last axis, then back to the input shape and scaled per channel.
  const grouped = b.reshape(x, [dims[0]!, groups, productDims([channels / groups, ...dims.slice(2)])] as number[]);
  const y = b.reshape(b.layerNormalization(grouped, { axes: [2], epsilon: c.float('epsilon', 1e-5) }), dims as number[]);
  const perChannel: Dim[] = dims.map((d, i) => (i === 1 ? d : 1));
  let scale = c.op(1);
  let bias = c.op(2);
  if (c.opset < 21 && scale.dimensions[0] === groups && groups !== channels) {
    // Opset 18 gives scale and bias per group: repeat each for the group's channels.
    const rep = (t: MLOperand) => b.reshape(b.expand(b.reshape(t, [groups, 1]), [groups, channels / groups]), [channels]);
    scale = rep(scale);
    bias = rep(bias);
  }
  return c.out(b.add(b.mul(y, b.reshape(scale, perChannel as number[])), b.reshape(bias, perChannel as number[])), v.type);
}

function lpNormalization(c: NodeContext): Val {
  const v = c.in(0);
  const x = c.op(v);
  const axis = c.axis(c.int('axis', -1), x.dimensions.length);
  const p = c.int('p', 2);
  const b = c.b;
  const norm = p === 2 ? b.reduceL2(x, { axes: [axis], keepDimensions: true }) : p === 1 ? b.reduceL1(x, { axes: [axis], keepDimensions: true }) : c.fail('p must be 1 or 2');
  return c.out(b.div(x, norm), v.type);
}

function meanVarianceNormalization(c: NodeContext): Val {
  const v = c.in(0);
  const x = c.op(v);
  const axes = c.intList('axes', [0, 2, 3]).map((a) => c.axis(a, x.dimensions.length));
  const b = c.b;
  const centered = b.sub(x, b.reduceMean(x, { axes, keepDimensions: true }));
  const std = b.sqrt(b.reduceMean(b.mul(centered, centered), { axes, keepDimensions: true }));
  return c.out(b.div(centered, b.add(std, like(c, x, 1e-9))), v.type);
}

function simplifiedLayerNormalization(c: NodeContext): Val {
  if (c.node.output.slice(1).some((o) => o)) c.fail('the InvStdDev output is not supported');
  const v = c.in(0);
  const x = c.op(v);
  const rank = x.dimensions.length;
  const axis = c.axis(c.int('axis', -1), rank);
  const axes = Array.from({ length: rank - axis }, (_, i) => axis + i);
  return c.out(rmsNorm(c, x, axes, c.float('epsilon', 1e-5), c.has(1) ? c.op(1) : undefined), v.type);
}

export const normalizationOps = family('normalization', [
  { op: 'BatchNormalization', note: 'batchNormalization (inference)', handler: batchNormalization },
  { op: 'InstanceNormalization', note: 'instanceNormalization (rank 4), else layerNormalization per channel', handler: instanceNormalization },
  { op: 'LayerNormalization', since: 17, note: 'layerNormalization over axis..rank-1', handler: layerNormalization },
  { op: 'GroupNormalization', since: 18, note: 'layerNormalization of the [N, groups, -1] view, then scale and bias per channel', handler: groupNormalization },
  { op: 'LpNormalization', note: 'x / reduceL1 or reduceL2', handler: lpNormalization },
  { op: 'MeanVarianceNormalization', since: 9, note: '(x - mean) / (std + 1e-9) from reductions', handler: meanVarianceNormalization },
  { op: 'SimplifiedLayerNormalization', note: 'RMS normalization: x / sqrt(reduceMean(x²) + epsilon) · scale', handler: simplifiedLayerNormalization },
]);
