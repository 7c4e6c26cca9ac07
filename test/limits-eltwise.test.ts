// opSupportLimits() tells the truth for the element-wise unary, logical, activation and where operators: every
// advertised data type and rank builds, runs and matches a plain-JS reference. Harness in test/support/limits.ts.
// Operators whose output type differs from the input's (comparisons, isNaN, ...) get a cast back to the input type
// inside the graph, so the harness can read the uint8 0/1 results as the input type.
import { test } from 'node:test';
import { checkAdvertised, map1, signed, zip2, type Case } from './support/limits.js';
import { DTYPES, type MLOperandDataType } from '../src/graph/dtypes.js';
import { castNumber } from '../src/graph/cast.js';
import type { MLGraphBuilder, MLOperand } from '../src/index.js';

/** erf by its Maclaurin series: ample precision for the |x| ≤ 2 used here. */
export function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 60; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const r = x - f;
  return r > 0.5 || (r === 0.5 && f % 2 !== 0) ? f + 1 : f;
}

const bit = (v: boolean) => (v ? 1 : 0);
/** Halves from -2 to 1.5: exact in float16, and they hit roundEven's ties. */
const halves = (i: number) => (i % 8) / 2 - 2;
const unitRange = (i: number) => (i % 5) / 2 - 1;
/** Small values for two operands that sometimes coincide (element 0 is 0 in both). */
const pairs = (i: number, arg: number, t: MLOperandDataType) => {
  const v = (i * (arg + 1)) % 5;
  return DTYPES[t].signed ? v - 2 : v;
};
const flag = (i: number, arg: number) => ((i + arg) % 3) * (arg + 1); // 0, or a nonzero "true" of varying value

type Build = (b: MLGraphBuilder, xs: MLOperand[], t: MLOperandDataType) => MLOperand;
const unary = (call: Build, ref: (a: number) => number, values: Case['values'] = unitRange): Case => ({
  inputs: 1, values, call, ref: map1(ref),
});
/** A predicate: its uint8 result cast back to the input type. */
const predicate = (inputs: number, call: Build, ref: (xs: number[][]) => number[], values: Case['values']): Case => ({
  inputs, values, ref, param: 'a', call: (b, xs, t) => b.cast(call(b, xs, t), t),
});
const compare = (name: 'equal' | 'notEqual' | 'greater' | 'greaterOrEqual' | 'lesser' | 'lesserOrEqual', f: (a: number, b: number) => boolean) =>
  predicate(2, (b, [x, y]) => b[name](x!, y!), zip2((a, c) => bit(f(a, c))), pairs);
const connective = (name: 'logicalAnd' | 'logicalOr' | 'logicalXor', f: (a: boolean, b: boolean) => boolean): Case => ({
  inputs: 2, values: flag, param: 'a', call: (b, [x, y]) => b[name](x!, y!), ref: zip2((a, c) => bit(f(a !== 0, c !== 0))),
});
const specials = [NaN, Infinity, -Infinity, 1.5, 0, -2];

const cases: Record<string, Case> = {
  ceil: unary((b, [x]) => b.ceil(x!), Math.ceil, halves),
  floor: unary((b, [x]) => b.floor(x!), Math.floor, halves),
  roundEven: unary((b, [x]) => b.roundEven(x!), roundHalfEven, halves),
  cos: unary((b, [x]) => b.cos(x!), Math.cos),
  sin: unary((b, [x]) => b.sin(x!), Math.sin),
  tan: unary((b, [x]) => b.tan(x!), Math.tan),
  erf: unary((b, [x]) => b.erf(x!), erf, halves),
  reciprocal: unary((b, [x]) => b.reciprocal(x!), (a) => 1 / a, (i) => (i % 4) - 1.5),
  sign: unary((b, [x]) => b.sign(x!), Math.sign, signed),
  clamp: {
    inputs: 1, values: signed, call: (b, [x]) => b.clamp(x!, { minValue: -1, maxValue: 2 }),
    ref: (xs, _s, t) => xs[0]!.map((a) => Math.min(Math.max(a, Number(castNumber(-1, t))), 2)),
  },
  elu: unary((b, [x]) => b.elu(x!, { alpha: 0.5 }), (a) => (a >= 0 ? a : 0.5 * (Math.exp(a) - 1)), halves),
  gelu: unary((b, [x]) => b.gelu(x!), (a) => 0.5 * a * (1 + erf(a / Math.SQRT2)), halves),
  hardSigmoid: unary((b, [x]) => b.hardSigmoid(x!, { alpha: 0.25, beta: 0.5 }), (a) => Math.max(0, Math.min(1, 0.25 * a + 0.5)), halves),
  hardSwish: unary((b, [x]) => b.hardSwish(x!), (a) => (a * Math.max(0, Math.min(6, a + 3))) / 6, (i) => (i % 9) - 4),
  leakyRelu: unary((b, [x]) => b.leakyRelu(x!, { alpha: 0.5 }), (a) => (a >= 0 ? a : 0.5 * a), halves),
  linear: unary((b, [x]) => b.linear(x!, { alpha: 2, beta: 0.5 }), (a) => 2 * a + 0.5, halves),
  softplus: unary((b, [x]) => b.softplus(x!), (a) => Math.log1p(Math.exp(a)), halves),
  softsign: unary((b, [x]) => b.softsign(x!), (a) => a / (1 + Math.abs(a)), halves),
  prelu: {
    inputs: 2, values: (i, arg, t) => (arg === 0 ? signed(i, arg, t) : 1 + (i % 3)), param: 'input',
    call: (b, [x, slope]) => b.prelu(x!, slope!), ref: zip2((a, s) => (a < 0 ? a * s : a)),
  },
  equal: compare('equal', (a, b) => a === b),
  notEqual: compare('notEqual', (a, b) => a !== b),
  greater: compare('greater', (a, b) => a > b),
  greaterOrEqual: compare('greaterOrEqual', (a, b) => a >= b),
  lesser: compare('lesser', (a, b) => a < b),
  lesserOrEqual: compare('lesserOrEqual', (a, b) => a <= b),
  logicalAnd: connective('logicalAnd', (a, b) => a && b),
  logicalOr: connective('logicalOr', (a, b) => a || b),
  logicalXor: connective('logicalXor', (a, b) => a !== b),
  logicalNot: { inputs: 1, values: flag, param: 'a', call: (b, [x]) => b.logicalNot(x!), ref: map1((a) => bit(a === 0)) },
  isNaN: predicate(1, (b, [x]) => b.isNaN(x!), map1((a) => bit(Number.isNaN(a))), (i) => specials[i % 6]!),
  isInfinite: predicate(1, (b, [x]) => b.isInfinite(x!), map1((a) => bit(Math.abs(a) === Infinity)), (i) => specials[i % 6]!),
  where: {
    // The condition travels as the value type and is cast to uint8 in the graph: 0, 1 and 2 (nonzero is true).
    inputs: 3, param: 'trueValue',
    values: (i, arg, t) => (arg === 0 ? i % 3 : signed(i + arg, arg, t)),
    call: (b, [c, x, y]) => b.where(b.cast(c!, 'uint8'), x!, y!),
    ref: ([c, x, y]) => c!.map((v, i) => (v !== 0 ? x![i]! : y![i]!)),
  },
};

test('every data type and rank that opSupportLimits() advertises for the element-wise operators builds, runs and computes', async (t) => {
  await checkAdvertised(t, cases);
});
