// Indexed reads and writes → ONNX Gather, GatherElements, GatherND, ScatterElements, ScatterND.
// ONNX rejects out-of-range indices at run time (onnxruntime fails the whole run) and has no uint32 indices, so every
// index goes through one step first: cast to int64, count negatives from the end (i + N), then clamp into [0, N-1].
// That is the clamping behaviour the spec's note describes, and it makes every read and write land in bounds.
import { DTYPES, type MLOperandDataType } from '../../../graph/dtypes.js';
import { defineLowering, int, type Emitter, type LoweringNode } from '../emitter.js';
import type { Dim } from '../../../graph/dims.js';

/**
 * int64 indices with every value i in [-N, N) mapped to its position and any other value clamped into [0, N-1].
 * `sizes` is N: a scalar (one axis), or one size per coordinate along the indices' last dimension (ND variants).
 */
function safeIndices(e: Emitter, indices: string, type: MLOperandDataType, sizes: readonly Dim[], scalar: boolean): string {
  const n = scalar ? e.sizeOf(sizes[0]!) : e.shapeOf(sizes);
  // Clamped with Less/Greater + Where: onnxruntime's int64 Min, Max and Clip mis-compare values outside the int32
  // range (Min(2^32 - 1, 4) gives 2^32 - 1), which would let a large uint32 or int64 index through.
  const zero = e.int64s([0], []);
  const last = e.op('Sub', [n, e.int64s([1], [])]);
  let idx = type === 'int64' ? indices : e.cast(indices, 'int64');
  if (DTYPES[type].signed) {
    idx = e.op('Where', [e.op('Less', [idx, zero]), e.op('Add', [idx, n]), idx]);
    idx = e.op('Where', [e.op('Less', [idx, zero]), zero, idx]);
  }
  return e.op('Where', [e.op('Greater', [idx, last]), last, idx]);
}

function alongAxis(n: LoweringNode<{ axis: number }>, e: Emitter): string {
  const axis = n.attrs.axis;
  return safeIndices(e, n.inputs[1]!, n.inputTypes[1]!, [n.inputDims[0]![axis]!], true);
}

/** ND variants: indices' last dimension holds k coordinates into the input's first k dimensions. */
function coordinates(n: LoweringNode<unknown>, e: Emitter): string {
  const indicesShape = n.inputShapes[1]!;
  const k = indicesShape[indicesShape.length - 1]!; // static: the op requires it
  return safeIndices(e, n.inputs[1]!, n.inputTypes[1]!, n.inputDims[0]!.slice(0, k), false);
}

defineLowering('gather', (n, e) => {
  e.node('Gather', [n.inputs[0]!, alongAxis(n, e)], n.outputs, { axis: int(n.attrs.axis) });
});

defineLowering('gatherElements', (n, e) => {
  e.node('GatherElements', [n.inputs[0]!, alongAxis(n, e)], n.outputs, { axis: int(n.attrs.axis) });
});

defineLowering('gatherND', (n, e) => {
  e.node('GatherND', [n.inputs[0]!, coordinates(n, e)], n.outputs);
});

defineLowering('scatterElements', (n, e) => {
  e.node('ScatterElements', [n.inputs[0]!, alongAxis(n, e), n.inputs[2]!], n.outputs, { axis: int(n.attrs.axis) });
});

defineLowering('scatterND', (n, e) => {
  e.node('ScatterND', [n.inputs[0]!, coordinates(n, e), n.inputs[2]!], n.outputs);
});
