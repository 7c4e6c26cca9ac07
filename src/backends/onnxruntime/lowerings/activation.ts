// Activations → ONNX.
import type { MLOperandDataType } from '../../../graph/dtypes.js';
import { encodeScalar } from '../../../graph/cast.js';
import { defineLowering, int } from '../emitter.js';

const RELU_TYPES: MLOperandDataType[] = ['float32', 'float16', 'int32', 'int8'];

defineLowering('relu', (n, e) => {
  const t = n.outputTypes[0]!;
  if (RELU_TYPES.includes(t)) {
    e.node('Relu', n.inputs, n.outputs);
  } else {
    // No Relu kernel for this type: max(x, 0) is exact for every integer type.
    e.node('Max', [n.inputs[0]!, e.initializer(t, [], encodeScalar(t, 0))], n.outputs);
  }
});
defineLowering('sigmoid', (n, e) => void e.node('Sigmoid', n.inputs, n.outputs));
defineLowering('tanh', (n, e) => void e.node('Tanh', n.inputs, n.outputs));
defineLowering('softmax', (n, e) => void e.node('Softmax', n.inputs, n.outputs, { axis: int(n.attrs.axis as number) }));
