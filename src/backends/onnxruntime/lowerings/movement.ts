// Data movement and conversion → ONNX.
import { DTYPES } from '../../../graph/dtypes.js';
import { hasDynamic } from '../../../graph/dims.js';
import { defineLowering, int, ints } from '../emitter.js';
import { saturatingCast } from './saturating-cast.js';

defineLowering('cast', (n, e) => {
  const to = n.attrs.to;
  if (DTYPES[n.inputTypes[0]!].kind === 'float' && DTYPES[to].kind === 'int') saturatingCast(e, n.inputs[0]!, to, n.outputs[0]!);
  else e.node('Cast', n.inputs, n.outputs, { to: int(DTYPES[to].onnx) });
});
defineLowering('concat', (n, e) => void e.node('Concat', n.inputs, n.outputs, { axis: int(n.attrs.axis) }));
defineLowering('reshape', (n, e) => {
  const dims = n.outputDims[0]!;
  if (!hasDynamic(dims)) {
    e.node('Reshape', [n.inputs[0]!, e.int64s(n.outputShapes[0]!)], n.outputs);
    return;
  }
  // The target shape is computed in the model from the inputs' sizes; allowzero because a dynamic size may be 0
  // (without it ONNX would read a 0 as "copy this axis from the input").
  e.node('Reshape', [n.inputs[0]!, e.shapeOf(dims)], n.outputs, { allowzero: int(1) });
});
defineLowering('transpose', (n, e) => {
  e.node('Transpose', n.inputs, n.outputs, { perm: ints(n.attrs.permutation) });
});
