// Element-wise binary and unary operators → ONNX.
import type { MLOperandDataType } from '../../../graph/dtypes.js';
import { encodeScalar } from '../../../graph/cast.js';
import { defineLowering, type LoweringNode, type Emitter } from '../emitter.js';

// onnxruntime CPU kernel types, as found by scripts/probe-ort-kernels.ts.
const POW_TYPES: MLOperandDataType[] = ['float32', 'float16', 'int32', 'int64'];

const direct = (onnxOp: string) => (n: LoweringNode, e: Emitter) => {
  e.node(onnxOp, n.inputs, n.outputs);
};

for (const [op, onnxOp] of [['add', 'Add'], ['sub', 'Sub'], ['mul', 'Mul'], ['max', 'Max'], ['min', 'Min']] as const) {
  defineLowering(op, direct(onnxOp));
}

defineLowering('div', (n, e) => {
  const t = n.outputTypes[0]!;
  if (t === 'float32' || t === 'float16') {
    e.node('Div', n.inputs, n.outputs);
    return;
  }
  // Integer division by zero traps in native code; divide by 1 there and give 0 (the spec leaves it undefined).
  const [a, b] = n.inputs as [string, string];
  const zero = e.initializer(t, [], encodeScalar(t, 0));
  const one = e.initializer(t, [], encodeScalar(t, 1));
  const isZero = e.op('Equal', [b, zero]);
  const safeB = e.op('Where', [isZero, one, b]);
  const q = e.op('Div', [a, safeB]);
  e.op('Where', [isZero, zero, q], {}, n.outputs[0]);
});

defineLowering('pow', (n, e) => {
  e.castAround(n.outputTypes[0]!, POW_TYPES, 'int64', n.inputs as string[], n.outputs, (i, o) => e.node('Pow', i, o));
});

for (const [op, onnxOp] of [['abs', 'Abs'], ['neg', 'Neg'], ['exp', 'Exp'], ['log', 'Log'], ['sqrt', 'Sqrt'], ['identity', 'Identity']] as const) {
  defineLowering(op, direct(onnxOp));
}
