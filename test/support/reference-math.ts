// Float64 references for the element-wise float operators, and ULP distances in float32 and float16: what the
// accuracy sweeps compare tsnn's results with. Each reference is accurate to far below a float32 ULP (≈1e-12
// relative or better) over the inputs the sweeps use.
import { fromFloat16Bits, toFloat16Bits } from '../../src/index.js';

const SQRT_PI = Math.sqrt(Math.PI);

/** erfc(z) for z ≥ 2: Laplace's continued fraction, evaluated from a fixed depth back to the front. */
function erfcLarge(z: number, expMinusZ2: number): number {
  let f = 0;
  for (let k = 120; k >= 1; k--) f = (k / 2) / (z + f);
  return expMinusZ2 / SQRT_PI / (z + f);
}

/** erf(z) for |z| < 2: e^(-z²)·2/√π·Σ (2z²)^n·z/(1·3·…·(2n+1)), a series of positive terms. */
function erfSmall(z: number): number {
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-18 * Math.abs(sum); n++) {
    term *= (2 * z2) / (2 * n + 1);
    sum += term;
  }
  return (2 / SQRT_PI) * Math.exp(-z2) * sum;
}

export function erf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (Math.abs(z) < 2) return erfSmall(z);
  const c = erfcLarge(Math.abs(z), Math.exp(-z * z));
  return z > 0 ? 1 - c : c - 1;
}

/** erfc(z), accurate in relative terms in both tails. */
export function erfc(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z >= 2) return erfcLarge(z, Math.exp(-z * z));
  return 1 - erf(z);
}

/**
 * Φ(x), the standard normal CDF, for a float32 x: x² is exact in float64, so exp(-x²/2) carries no error from
 * scaling x by 1/√2 first (which would cost ≈1e-14 relative at |x| = 30, still harmless, but this is exact).
 */
export function normalCdf(x: number): number {
  const z = -x / Math.SQRT2;
  if (z >= 2) return erfcLarge(z, Math.exp(-(x * x) / 2)) / 2;
  return erfc(z) / 2;
}

export const REFERENCE = {
  sigmoid: (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  tanh: Math.tanh,
  gelu: (x: number) => x * normalCdf(x),
  softplus: (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  softsign: (x: number) => x / (1 + Math.abs(x)),
  hardSwish: (x: number) => (x * Math.max(0, Math.min(6, x + 3))) / 6,
  erf,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  reciprocal: (x: number) => 1 / x,
  abs: Math.abs,
  neg: (x: number) => -x,
  relu: (x: number) => Math.max(0, x),
  elu: (alpha: number) => (x: number) => (x > 0 ? x : alpha * Math.expm1(x)),
  leakyRelu: (alpha: number) => (x: number) => (x >= 0 ? x : alpha * x),
  hardSigmoid: (alpha: number, beta: number) => (x: number) => Math.max(0, Math.min(1, alpha * x + beta)),
  linear: (alpha: number, beta: number) => (x: number) => alpha * x + beta,
} as const;

/**
 * linear and hardSigmoid as the spec decomposes them (builder.mul, then builder.add, in the operand's type): alpha·x
 * is rounded to the precision before beta is added. tsnn computes that for float32; against the exact alpha·x + beta
 * its relative error is unbounded next to the zero crossing, where the sum cancels. (float16 runs in float32, where
 * the float16 product is exact, so it is rounded once.)
 */
export const STEPWISE = {
  linear: (p: Precision, alpha: number, beta: number) => (x: number) => roundTo(p, roundTo(p, alpha * x) + beta),
  hardSigmoid: (p: Precision, alpha: number, beta: number) => (x: number) =>
    Math.max(0, Math.min(1, roundTo(p, roundTo(p, alpha * x) + beta))),
} as const;

export type Precision = 'float32' | 'float16';

/** Rounds a float64 to the precision's nearest value. */
export function roundTo(p: Precision, v: number): number {
  return p === 'float32' ? Math.fround(v) : fromFloat16Bits(toFloat16Bits(v));
}

const FORMAT = {
  float32: { mantissaBits: 23, minExponent: -126, max: 3.4028234663852886e38 },
  float16: { mantissaBits: 10, minExponent: -14, max: 65504 },
} as const;

/** The spacing of the precision's values at |r|'s binade (subnormal spacing below the normal range). */
export function ulp(p: Precision, r: number): number {
  const f = FORMAT[p];
  const a = Math.abs(r);
  const e = a === 0 ? f.minExponent : Math.max(f.minExponent, Math.floor(Math.log2(a)));
  // log2 can land one off for values a hair below a power of two.
  const exp = 2 ** e > a && e > f.minExponent ? e - 1 : e;
  return 2 ** (exp - f.mantissaBits);
}

/**
 * |y - r| in units of the last place at the exact value r. Matching non-finite values (same infinity, NaN for
 * NaN) count 0; a finite/non-finite mismatch counts Infinity. A reference beyond the format's largest value is
 * compared with its rounding (±Infinity).
 */
export function ulpError(p: Precision, y: number, r: number): number {
  if (Number.isNaN(r) || Number.isNaN(y)) return Number.isNaN(r) && Number.isNaN(y) ? 0 : Infinity;
  if (Math.abs(r) > FORMAT[p].max) r = roundTo(p, r);
  if (!Number.isFinite(r) || !Number.isFinite(y)) return r === y ? 0 : Infinity;
  return Math.abs(y - r) / ulp(p, r);
}
