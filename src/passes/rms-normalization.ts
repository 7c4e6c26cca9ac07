// Recognises RMS normalization written out in WebNN operators, as models and importers spell it:
//   y = x / sqrt(reduceMean(x·x, trailing axes, keepDimensions) + ε)      (x·x may be pow(x, 2); x / s may be
//   out = y · scale                                                        x · reciprocal(s) or x · (1 / s); the
//                                                                          scale is optional)
// and replaces it by one internal rmsNormalization node, which backends lower to a fused kernel (onnxruntime's
// SimplifiedLayerNormalization). Only exact matches fuse: float32, every intermediate read only by the pattern,
// the reduction over trailing axes with its dimensions kept, ε a one-element constant, and the scale (if any)
// exactly the normalized dimensions (a broadcast that would change the meaning does not fuse).
import { dimsOf, type IrNode } from '../graph/ir.js';
import { sameDims } from '../graph/dims.js';
import { attrsOf, type GraphEditor } from './editor.js';
import type { GraphPass } from './pass.js';

const isOp = (node: IrNode | undefined, op: string): node is IrNode => node?.op === op;

/** The operand that is squared by `node` (mul(x, x) or pow(x, 2)), if it is a square. */
function squared(g: GraphEditor, node: IrNode | undefined): number | undefined {
  if (isOp(node, 'mul') && node.inputs[0] === node.inputs[1]) return node.inputs[0] ?? undefined;
  if (isOp(node, 'pow') && node.inputs[1] != null && g.scalarConstant(node.inputs[1]) === 2) return node.inputs[0] ?? undefined;
  return undefined;
}

/** The other input of binary `node` when one of its inputs is `id`. */
function other(node: IrNode, id: number): number | undefined {
  const [a, b] = node.inputs;
  if (a === id && b != null) return b;
  if (b === id && a != null) return a;
  return undefined;
}

function fuseAt(g: GraphEditor, mean: IrNode): boolean {
  const attrs = attrsOf(mean, 'reduceMean');
  const squareOut = mean.inputs[0];
  if (squareOut == null || attrs.keepDimensions !== true) return false;
  const x = squared(g, g.producer(squareOut));
  if (x === undefined || g.soleConsumer(squareOut) !== mean) return false;
  const xDesc = g.operand(x).desc;
  if (xDesc.dataType !== 'float32') return false;
  const rank = xDesc.shape.length;
  const axes = [...attrs.axes].sort((a, b) => a - b);
  if (axes.length === 0 || axes.some((a, i) => a !== rank - axes.length + i)) return false;

  const add = g.soleConsumer(mean.outputs[0]!);
  if (!isOp(add, 'add')) return false;
  const epsId = other(add, mean.outputs[0]!);
  const epsilon = epsId === undefined ? undefined : g.scalarConstant(epsId);
  if (epsilon === undefined || !(epsilon >= 0)) return false;
  const sqrt = g.soleConsumer(add.outputs[0]!);
  if (!isOp(sqrt, 'sqrt')) return false;

  // x / sqrt(...), or x · reciprocal(sqrt(...)), or x · (1 / sqrt(...)) (PyTorch's rsqrt as exported)
  let normalized: IrNode | undefined;
  const afterSqrt = g.soleConsumer(sqrt.outputs[0]!);
  const one = afterSqrt?.op === 'div' && afterSqrt.inputs[1] === sqrt.outputs[0] ? afterSqrt.inputs[0] : null;
  const inverse = afterSqrt?.op === 'reciprocal' || (one != null && g.scalarConstant(one) === 1);
  if (isOp(afterSqrt, 'div') && afterSqrt.inputs[0] === x && afterSqrt.inputs[1] === sqrt.outputs[0]) {
    normalized = afterSqrt;
  } else if (inverse && afterSqrt) {
    const mul = g.soleConsumer(afterSqrt.outputs[0]!);
    if (isOp(mul, 'mul') && other(mul, afterSqrt.outputs[0]!) === x) normalized = mul;
  }
  if (!normalized) return false;
  // The normalized value has x's shape only when nothing broadcast it further.
  if (!sameDims(dimsOf(g.operand(normalized.outputs[0]!).desc), dimsOf(xDesc))) return false;

  let last = normalized;
  let scale: number | null = null;
  const scaling = g.soleConsumer(normalized.outputs[0]!);
  if (isOp(scaling, 'mul')) {
    const s = other(scaling, normalized.outputs[0]!);
    const sDesc = s === undefined ? undefined : g.operand(s).desc;
    if (s !== undefined && s !== x && sDesc?.dataType === 'float32' && sameDims(dimsOf(sDesc), dimsOf(xDesc).slice(rank - axes.length))) {
      scale = s;
      last = scaling;
    }
  }
  // Without a scale the lowering makes one of ones, which needs the normalized dimensions to be static.
  if (scale === null && xDesc.dims?.slice(rank - axes.length).some((d) => typeof d !== 'number')) return false;
  g.replace(last, { op: 'rmsNormalization', inputs: [x, scale], attrs: { axes, epsilon }, label: last.label });
  return true;
}

export const fuseRmsNormalization: GraphPass = {
  name: 'rmsNormalization',
  run(g) {
    let count = 0;
    for (const node of [...g.nodes]) if (node.op === 'reduceMean' && fuseAt(g, node)) count++;
    return count;
  },
};
