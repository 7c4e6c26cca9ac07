// Float32 formulations of activations whose direct ONNX forms lose accuracy on onnxruntime's CPU provider: the
// sigmoid's negative tail (its Sigmoid kernel is an approximation that bottoms out near 6e-8), GELU's negative tail
// (1 + erf(x/√2) cancels), expm1 near 0 (exp(x) - 1 cancels in ELU) and hardSwish next to -3. Each builds float32
// values from float32 names; float16 callers cast around them so that float16 results are rounded once.
import { encodeScalar } from '../../../graph/cast.js';
import { OnnxDataType } from '../../../onnx/schema.js';
import { float, int, type Emitter } from '../emitter.js';

const f32 = (e: Emitter, v: number) => e.initializer('float32', [], encodeScalar('float32', v));

function f64(e: Emitter, v: number): string {
  const name = e.fresh('c');
  e.initializers.push({ name, dims: [], dataType: OnnxDataType.DOUBLE, rawData: new Uint8Array(Float64Array.of(v).buffer) });
  return name;
}

/** Horner's scheme over float32 coefficients c[0] + c[1]·u + …; a leading coefficient of 1 costs no Mul. */
function polynomial(e: Emitter, u: string, c: readonly number[]): string {
  const top = c.length - 1;
  let acc = c[top] === 1 ? e.op('Add', [u, f32(e, c[top - 1]!)]) : e.op('Add', [e.op('Mul', [u, f32(e, c[top]!)]), f32(e, c[top - 1]!)]);
  for (let k = top - 2; k >= 0; k--) acc = e.op('Add', [e.op('Mul', [acc, u]), f32(e, c[k]!)]);
  return acc;
}

/**
 * sigmoid(x) = exp(min(x, 0)) · sigmoid(|x|): onnxruntime's Sigmoid is accurate where its result lies in [0.5, 1],
 * and the exact factor e^x carries the negative tail down to the subnormals.
 */
export function sigmoid(e: Emitter, x: string, out?: string): string {
  const tail = e.op('Exp', [e.op('Min', [x, f32(e, 0)])]);
  return e.op('Mul', [tail, e.op('Sigmoid', [e.op('Abs', [x])])], {}, out);
}

/**
 * exp(-u²/2) for u in [0, 16] as two factors, without the error of rounding u² (≈ 1e-5 relative at u = 16): u = hi + lo
 * with hi rounded to float16's 11 bits, so hi² is exact in float32, and exp(-u²/2) = exp(-hi²/2)·exp(-lo·(u + hi)/2).
 */
function expHalfSquare(e: Emitter, u: string): [string, string] {
  const hi = e.cast(e.cast(u, 'float16'), 'float32');
  const lo = e.op('Sub', [u, hi]);
  const big = e.op('Mul', [e.op('Mul', [hi, f32(e, -0.5)]), hi]);
  const small = e.op('Mul', [e.op('Mul', [lo, f32(e, -0.5)]), e.op('Add', [u, hi])]);
  return [e.op('Exp', [big]), e.op('Exp', [small])];
}

// Mills' ratio m(u) = Φ(-u)/φ(u) on [1, 16] as the continued fraction 1/(u + 1/(u + h(u))), with h a rational fitted
// for tsnn (least squares weighted by h's effect on m; m within 3e-8 relative, and Horner's scheme on positive terms
// keeps the float32 rounding small: m within 1.7·2^-24 as evaluated).
const MILLS_H_NUM = [40.63140869140625, 12.510625839233398, 2.0149714946746826];
const MILLS_H_DEN = [32.40279006958008, 21.141014099121094, 6.452270984649658, 1];
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * gelu(x) = x·Φ(x). Below x = -1, x·Φ(x) = -u·φ(u)·m(u) with u = -x: the exp(-u²/2) factor is computed without
 * cancellation (see expHalfSquare) and Mills' ratio by a short continued fraction. Above it, onnxruntime's Gelu is
 * within 2.2 ULP. u is clipped to [1, 16] (below -16 the result underflows to zero either way).
 */
export function gelu(e: Emitter, x: string, out?: string): string {
  const u = e.op('Clip', [e.op('Neg', [x]), f32(e, 1), f32(e, 16)]);
  const h = e.op('Div', [polynomial(e, u, MILLS_H_NUM), polynomial(e, u, MILLS_H_DEN)]);
  const g = e.op('Div', [f32(e, 1), e.op('Add', [u, h])]);
  const [e1, e2] = expHalfSquare(e, u);
  // The product and quotient of the factors in float64: rounded once, not four times (≈ 2 ULP less at worst).
  // x rather than -u: -Infinity gives NaN, as the spec's formula and onnxruntime's Gelu do.
  const wide = (v: string) => e.op('Cast', [v], { to: int(OnnxDataType.DOUBLE) });
  let tail = e.op('Mul', [e.op('Mul', [wide(x), f64(e, INV_SQRT_2PI)]), e.op('Mul', [wide(e1), wide(e2)])]);
  tail = e.cast(e.op('Div', [tail, wide(e.op('Add', [u, g]))]), 'float32');
  return e.op('Where', [e.op('Less', [x, f32(e, -1)]), tail, e.op('Gelu', [x])], {}, out);
}

/**
 * hardSwish(x) = x·min(max((x + 3)/6, 0), 1), the spec's formula, as x·HardSigmoid(x + 3) with alpha 1/6 and beta 0:
 * x + 3 is exact near -3, where onnxruntime's HardSwish (x·clip(x/6 + 1/2, 0, 1), with 1/6 rounded) cancels.
 */
export function hardSwish(e: Emitter, x: string, out?: string): string {
  const gate = e.op('HardSigmoid', [e.op('Add', [x, f32(e, 3)])], { alpha: float(1 / 6), beta: float(0) });
  return e.op('Mul', [x, gate], {}, out);
}

/**
 * expm1(c) for c in [-20, 0] by Kahan's method: with w = exp(c), c·(w - 1)/log(w) cancels the rounding error of w.
 * Where w rounds to 1 (|c| below half an ULP of 1) the quotient is 0/0; subtracting a tiny d from numerator and
 * denominator turns it into d/d = 1, so the result is c there (-0 and NaN included), and changes nothing elsewhere
 * (both are at least 2^-25 in magnitude). No Where: onnxruntime's is slow and drops the sign of a -0 it selects.
 */
function expm1(e: Emitter, c: string): string {
  const d = f32(e, 2 ** -100);
  const w = e.op('Exp', [c]);
  const ratio = e.op('Div', [e.op('Sub', [e.op('Sub', [w, f32(e, 1)]), d]), e.op('Sub', [e.op('Log', [w]), d])]);
  return e.op('Mul', [c, ratio]);
}

/** elu(x) = max(0, x) + alpha·expm1(min(0, x)); expm1 at -20 already rounds to -1, so the clip changes nothing. */
export function elu(e: Emitter, x: string, alpha: number, out?: string): string {
  const negative = e.op('Mul', [expm1(e, e.op('Clip', [x, f32(e, -20), f32(e, 0)])), f32(e, alpha)]);
  return e.op('Add', [e.op('Relu', [x]), negative], {}, out);
}
