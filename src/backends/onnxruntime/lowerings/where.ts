// where → ONNX Where on a bool condition (a uint8 → bool cast maps any nonzero to true).
import { defineLowering } from '../emitter.js';

// onnxruntime CPU kernel types, as found by scripts/probe-ort-kernels.ts; the others go through int64, which holds
// int8 and uint32 exactly and carries uint64 bit patterns unchanged (the casts wrap both ways).

defineLowering('where', (n, e) => {
  const condition = e.cast(n.inputs[0]!, 'bool');
  e.castAround(n.outputTypes[0]!, e.kernel('Where'), 'int64', [n.inputs[1]!, n.inputs[2]!], n.outputs,
    ([t, f], [out]) => void e.node('Where', [condition, t!, f!], [out!]));
});
