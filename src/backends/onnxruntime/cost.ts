// A rough size of the work a graph does per run, for choosing where it runs (execution 'auto', backend.ts): the
// multiply-accumulates of the operators that have them (matrix products, convolutions, recurrent networks) plus the
// elements every operator reads and writes. Dynamic dimensions count at their maxSize. It only has to tell a step
// of a few hundred microseconds from one of many milliseconds, not to predict times.
import type { GraphIR, IrNode } from '../../graph/ir.js';
import { elementCount } from '../../graph/shape.js';

export function workOf(ir: GraphIR): number {
  let total = 0;
  for (const node of ir.nodes) total += nodeWork(ir, node);
  return total;
}

function nodeWork(ir: GraphIR, node: IrNode): number {
  const shape = (id: number | null | undefined) => (id === null || id === undefined ? [] : ir.operands[id]!.desc.shape);
  const size = (id: number | null | undefined) => (id === null || id === undefined ? 0 : elementCount(shape(id)));
  const out = shape(node.outputs[0]);
  const outSize = elementCount(out);
  let traffic = node.outputs.reduce((a, o) => a + size(o), 0);
  for (const i of node.inputs) traffic += size(i);
  const channelsLast = node.attrs.inputLayout === 'nhwc';
  const channels = (s: readonly number[]) => s[channelsLast ? s.length - 1 : 1] ?? 1;
  switch (node.op) {
    case 'matmul': // out × K
      return traffic + outSize * (shape(node.inputs[0]).at(-1) ?? 1);
    case 'gemm': // [M, N] × K, K = a's elements / M
      return traffic + outSize * (size(node.inputs[0]) / Math.max(1, out[0] ?? 1));
    case 'conv2d': // every output element: one filter window of (in channels / groups) × kh × kw
      return traffic + (outSize / Math.max(1, channels(out))) * size(node.inputs[1]);
    case 'convTranspose2d': // every input element spreads over (out channels / groups) × kh × kw
      return traffic + (size(node.inputs[0]) / Math.max(1, channels(shape(node.inputs[0])))) * size(node.inputs[1]);
    case 'gru': case 'lstm': // steps × batch × (weight + recurrent weight)
      return traffic + (size(node.inputs[0]) / Math.max(1, shape(node.inputs[0]).at(-1) ?? 1)) * (size(node.inputs[1]) + size(node.inputs[2]));
    case 'gruCell': case 'lstmCell': // batch × (weight + recurrent weight)
      return traffic + (shape(node.inputs[0])[0] ?? 1) * (size(node.inputs[1]) + size(node.inputs[2]));
    default:
      return traffic;
  }
}
