// where → ONNX Where on a bool condition (a uint8 → bool cast maps any nonzero to true).
import type { MLOperandDataType } from '../../../graph/dtypes.js';
import { defineLowering } from '../emitter.js';

// onnxruntime CPU kernel types, as found by scripts/probe-ort-kernels.ts; the others go through int64, which holds
// int8 and uint32 exactly and carries uint64 bit patterns unchanged (the casts wrap both ways).
export const WHERE_TYPES: readonly MLOperandDataType[] = ['float32', 'float16', 'int32', 'int64', 'uint8'];

defineLowering('where', (n, e) => {
  const condition = e.cast(n.inputs[0]!, 'bool');
  e.castAround(n.outputTypes[0]!, WHERE_TYPES, 'int64', [n.inputs[1]!, n.inputs[2]!], n.outputs,
    ([t, f], [out]) => void e.node('Where', [condition, t!, f!], [out!]));
});
