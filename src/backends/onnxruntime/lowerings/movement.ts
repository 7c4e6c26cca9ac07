// Data movement and conversion → ONNX.
import { DTYPES, type MLOperandDataType } from '../../../graph/dtypes.js';
import { defineLowering, int, ints } from '../emitter.js';
import { saturatingCast } from './saturating-cast.js';

defineLowering('cast', (n, e) => {
  const to = n.attrs.to as MLOperandDataType;
  if (DTYPES[n.inputTypes[0]!].kind === 'float' && DTYPES[to].kind === 'int') saturatingCast(e, n.inputs[0]!, to, n.outputs[0]!);
  else e.node('Cast', n.inputs, n.outputs, { to: int(DTYPES[to].onnx) });
});
defineLowering('concat', (n, e) => void e.node('Concat', n.inputs, n.outputs, { axis: int(n.attrs.axis as number) }));
defineLowering('reshape', (n, e) => {
  e.node('Reshape', [n.inputs[0]!, e.int64s(n.attrs.newShape as number[])], n.outputs);
});
defineLowering('transpose', (n, e) => {
  e.node('Transpose', n.inputs, n.outputs, { perm: ints(n.attrs.permutation as number[]) });
});
