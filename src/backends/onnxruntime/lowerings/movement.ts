// Data movement and conversion → ONNX.
import { DTYPES, type MLOperandDataType } from '../../../graph/dtypes.js';
import { defineLowering, int, ints } from '../emitter.js';

defineLowering('cast', (n, e) => {
  e.node('Cast', n.inputs, n.outputs, { to: int(DTYPES[n.attrs.to as MLOperandDataType].onnx) });
});
defineLowering('concat', (n, e) => void e.node('Concat', n.inputs, n.outputs, { axis: int(n.attrs.axis as number) }));
defineLowering('reshape', (n, e) => {
  e.node('Reshape', [n.inputs[0]!, e.int64s(n.attrs.newShape as number[])], n.outputs);
});
defineLowering('transpose', (n, e) => {
  e.node('Transpose', n.inputs, n.outputs, { perm: ints(n.attrs.permutation as number[]) });
});
