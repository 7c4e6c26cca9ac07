// Element-wise logical operations → ONNX. ONNX predicates produce bool tensors; WebNN wants uint8 0/1, so each
// result is cast to uint8. uint8 inputs of the connectives are cast to bool first, which maps any nonzero to true.
import { defineLowering, type Emitter } from '../emitter.js';

const toUint8 = (e: Emitter, value: string, output: string) => void e.cast(value, 'uint8', output);

const COMPARISONS = [
  ['equal', 'Equal'], ['greater', 'Greater'], ['greaterOrEqual', 'GreaterOrEqual'],
  ['lesser', 'Less'], ['lesserOrEqual', 'LessOrEqual'],
] as const;
for (const [op, onnxOp] of COMPARISONS) {
  defineLowering(op, (n, e) => toUint8(e, e.op(onnxOp, n.inputs), n.outputs[0]!));
}
// Not(Equal) rather than a dedicated kernel: NaN != NaN must be true, which it is since Equal(NaN, NaN) is false.
defineLowering('notEqual', (n, e) => toUint8(e, e.op('Not', [e.op('Equal', n.inputs)]), n.outputs[0]!));

for (const [op, onnxOp] of [['logicalAnd', 'And'], ['logicalOr', 'Or'], ['logicalXor', 'Xor']] as const) {
  defineLowering(op, (n, e) => {
    const [a, b] = n.inputs.map((v) => e.cast(v!, 'bool'));
    toUint8(e, e.op(onnxOp, [a!, b!]), n.outputs[0]!);
  });
}
defineLowering('logicalNot', (n, e) => toUint8(e, e.op('Not', [e.cast(n.inputs[0]!, 'bool')]), n.outputs[0]!));

defineLowering('isNaN', (n, e) => toUint8(e, e.op('IsNaN', n.inputs), n.outputs[0]!));
defineLowering('isInfinite', (n, e) => toUint8(e, e.op('IsInf', n.inputs), n.outputs[0]!));
