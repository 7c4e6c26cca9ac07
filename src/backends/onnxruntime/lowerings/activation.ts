// Activations → ONNX.
import type { MLOperandDataType } from '../../../graph/dtypes.js';
import { encodeScalar, type MLNumber } from '../../../graph/cast.js';
import { defineLowering, float, int, type Emitter, type LoweringNode } from '../emitter.js';
import * as stable from './stable-math.js';

/** A scalar constant of type t (broadcasts against anything). */
const scalar = (e: Emitter, t: MLOperandDataType, v: MLNumber) => e.initializer(t, [], encodeScalar(t, v));

defineLowering('relu', (n, e) => {
  const t = n.outputTypes[0]!;
  if (e.kernel('Relu').includes(t)) {
    e.node('Relu', n.inputs, n.outputs);
  } else {
    // No Relu kernel for this type: max(x, 0) is exact for every integer type.
    e.extremum('Max', n.inputs[0]!, scalar(e, t, 0), t, n.outputs[0]);
  }
});
defineLowering('softmax', (n, e) => void e.node('Softmax', n.inputs, n.outputs, { axis: int(n.attrs.axis) }));

// Same formula in ONNX and WebNN, and onnxruntime's kernels are within 5 ULP of the exact function over [-30, 30]
// (test/ops/activation-accuracy.test.ts measures every float operator; Tanh only above 2^-120 in magnitude, below
// which its error grows to ~100 ULP of the subnormal spacing: a select to fix that would cost 6× the Tanh).
for (const [op, onnxOp] of [['tanh', 'Tanh'], ['softplus', 'Softplus'], ['softsign', 'Softsign']] as const) {
  defineLowering(op, (n, e) => void e.node(onnxOp, n.inputs, n.outputs));
}

/** Runs a float32 formula on a float operand: float16 is cast to float32 and back, so its result is rounded once. */
const inFloat32 = (n: LoweringNode<unknown>, e: Emitter, formula: (x: string, out: string) => void) => {
  e.castAround(n.outputTypes[0]!, ['float32'], 'float32', [n.inputs[0]!], n.outputs, ([x], [out]) => formula(x!, out!));
};

// Accurate formulations where the plain kernels lose the tails or cancel (stable-math.ts says how).
defineLowering('sigmoid', (n, e) => inFloat32(n, e, (x, out) => void stable.sigmoid(e, x, out)));
defineLowering('gelu', (n, e) => inFloat32(n, e, (x, out) => void stable.gelu(e, x, out)));
defineLowering('hardSwish', (n, e) => inFloat32(n, e, (x, out) => void stable.hardSwish(e, x, out)));

defineLowering('elu', (n, e) => inFloat32(n, e, (x, out) => void stable.elu(e, x, n.attrs.alpha, out)));
defineLowering('leakyRelu', (n, e) => void e.node('LeakyRelu', n.inputs, n.outputs, { alpha: float(n.attrs.alpha) }));
// alpha·x rounded, then + beta rounded, in the operand's type: the spec's decomposition (builder.mul, builder.add),
// which onnxruntime's HardSigmoid and Mul + Add reproduce bit for bit. Near the zero crossing that cancels (the
// relative error there is unbounded, the absolute error within an ULP of beta), as the spec's decomposition does.
defineLowering('hardSigmoid', (n, e) => {
  e.node('HardSigmoid', n.inputs, n.outputs, { alpha: float(n.attrs.alpha), beta: float(n.attrs.beta) });
});
defineLowering('linear', (n, e) => {
  const t = n.outputTypes[0]!;
  const scaled = e.op('Mul', [n.inputs[0]!, scalar(e, t, n.attrs.alpha)]);
  e.node('Add', [scaled, scalar(e, t, n.attrs.beta)], n.outputs);
});

// max then min with the bounds that are present (absent and float NaN bounds are null): ONNX Max/Min take every
// type, and onnxruntime's propagate a NaN input, as WebNN's max/min do.
defineLowering('clamp', (n, e) => {
  const t = n.outputTypes[0]!;
  const bounds = ([['Max', n.attrs.minValue], ['Min', n.attrs.maxValue]] as const)
    .flatMap(([opType, v]) => (v === null ? [] : [[opType, v] as const]));
  if (bounds.length === 0) {
    e.node('Identity', n.inputs, n.outputs);
    return;
  }
  let value = n.inputs[0]!;
  bounds.forEach(([opType, bound], i) => {
    value = e.extremum(opType, value, scalar(e, t, bound), t, i === bounds.length - 1 ? n.outputs[0] : undefined);
  });
});

// x < 0 ? x·slope : x. Not ONNX PRelu: WebNN broadcasts slope and input both ways and allows integer types.
defineLowering('prelu', (n, e) => {
  const t = n.outputTypes[0]!;
  const [x, slope] = n.inputs as [string, string];
  const negative = e.op('Less', [x, scalar(e, t, 0)]);
  const scaled = e.op('Mul', [x, slope]);
  e.castAround(t, e.kernel('Where'), 'int64', [scaled, x], n.outputs, ([s, v], [out]) => void e.node('Where', [negative, s!, v!], [out!]));
});
