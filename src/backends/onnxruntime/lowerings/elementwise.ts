// Element-wise binary and unary operators → ONNX.
import { DTYPES } from '../../../graph/dtypes.js';
import { encodeScalar } from '../../../graph/cast.js';
import { defineLowering, type LoweringNode, type Emitter } from '../emitter.js';
import { integerPow } from './integer-pow.js';

const direct = (onnxOp: string) => (n: LoweringNode, e: Emitter) => {
  e.node(onnxOp, n.inputs, n.outputs);
};

for (const [op, onnxOp] of [['add', 'Add'], ['sub', 'Sub'], ['mul', 'Mul']] as const) {
  defineLowering(op, direct(onnxOp));
}

for (const [op, onnxOp] of [['max', 'Max'], ['min', 'Min']] as const) {
  defineLowering(op, (n, e) => void e.extremum(onnxOp, n.inputs[0]!, n.inputs[1]!, n.outputTypes[0]!, n.outputs[0]));
}

defineLowering('div', (n, e) => {
  const t = n.outputTypes[0]!;
  const [a, b] = n.inputs as [string, string];
  if (DTYPES[t].kind === 'float') {
    e.node('Div', [a, b], n.outputs);
    return;
  }
  // Native integer division traps (SIGFPE) on a zero divisor and on MIN / -1, killing the process. The spec
  // leaves both undefined; here x / 0 gives x, and MIN / -1 wraps to MIN, with no branches in the graph:
  // zero divisors become 1, and -1 divisors become 1 with the quotient negated afterwards.
  const c = (v: number) => e.initializer(t, [], encodeScalar(t, v));
  const asType = (cond: string) => e.cast(cond, t);
  let divisor = e.op('Add', [b, asType(e.op('Equal', [b, c(0)]))]);
  if (!DTYPES[t].signed) {
    e.node('Div', [a, divisor], n.outputs);
    return;
  }
  const twiceMinusOne = e.op('Mul', [asType(e.op('Equal', [divisor, c(-1)])), c(2)]);
  divisor = e.op('Add', [divisor, twiceMinusOne]);
  const quotient = e.op('Div', [a, divisor]);
  e.node('Mul', [quotient, e.op('Sub', [c(1), twiceMinusOne])], n.outputs);
});

defineLowering('pow', (n, e) => {
  const t = n.outputTypes[0]!;
  const [a, b] = n.inputs as [string, string];
  if (DTYPES[t].kind === 'float') e.node('Pow', [a, b], n.outputs);
  else integerPow(e, t, a, b, n.outputs[0]!);
});

// ONNX Round rounds halves to even, which is exactly roundEven.
const UNARY: readonly (readonly [string, string])[] = [
  ['abs', 'Abs'], ['neg', 'Neg'], ['exp', 'Exp'], ['log', 'Log'], ['sqrt', 'Sqrt'],
  ['identity', 'Identity'], ['ceil', 'Ceil'], ['floor', 'Floor'], ['roundEven', 'Round'], ['cos', 'Cos'],
  ['sin', 'Sin'], ['tan', 'Tan'], ['erf', 'Erf'], ['reciprocal', 'Reciprocal'],
];
for (const [op, onnxOp] of UNARY) defineLowering(op, direct(onnxOp));

// The spec's sign is 1 above zero, -1 below and 0 otherwise, NaN included; onnxruntime's Sign returns NaN for NaN
// in float32 (and 0 in float16), so float results have NaN replaced by 0.
defineLowering('sign', (n, e) => {
  const t = n.outputTypes[0]!;
  if (DTYPES[t].kind !== 'float') {
    e.node('Sign', n.inputs, n.outputs);
    return;
  }
  const x = n.inputs[0]!;
  e.node('Where', [e.op('IsNaN', [x]), e.initializer(t, [], encodeScalar(t, 0)), e.op('Sign', [x])], n.outputs);
});
