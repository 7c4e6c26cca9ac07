// Accuracy of the activations and element-wise float operators against float64 references
// (test/support/reference-math.ts), in ULPs of the result type, over a sweep of [-30, 30]: a dense grid, values
// spread over every binade down to the subnormals, the neighbourhoods of the points where formulas cancel, and
// (outside the measured range) ±0, ±Infinity, NaN and large values, whose results must keep their class.
//
// The bounds are what tsnn's lowerings measure on onnxruntime-node 1.30's CPU provider (AMD EPYC, x64), with a little
// headroom for other CPUs' kernels; the diagnostics print the measured maxima. Where a bound is onnxruntime's own
// kernel's, the comment says so. Subnormal results count in the subnormal spacing (absolute 2^-149), which is what an
// underflowing exact result can be held to.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, type MLContext, type MLOperand } from '../../src/index.js';
import { measure, opCases, sweepInputs, type OpAccuracy } from '../support/accuracy-sweep.js';
import { REFERENCE, ulpError, type Precision } from '../support/reference-math.js';

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});

/** Largest error allowed over the float32 sweep, by case name (before any parenthesised options). */
const FLOAT32_BOUNDS: Readonly<Record<string, number>> = {
  sigmoid: 3.5, // 2.8 measured: exp(min(x, 0))·Sigmoid(|x|); onnxruntime's Sigmoid alone bottoms out near 6e-8
  tanh: 5, // 4.5: onnxruntime's Tanh, above 2^-120 in magnitude (below, up to 103 ULP of the subnormal spacing)
  gelu: 3.5, // 2.8: Mills-ratio tail below -1 (1 + erf was 1.7e7 ULP off there), onnxruntime's Gelu above
  softplus: 5, // 4.6: onnxruntime's Softplus
  softsign: 2.5, // 1.9: onnxruntime's Softsign
  hardSwish: 3, // 2.4: x·HardSigmoid(x + 3); onnxruntime's HardSwish was 1.6e4 ULP off next to -3
  erf: 1.5, // 0.9: onnxruntime's Erf
  exp: 1, // 0.86
  log: 3, // 2.7
  sqrt: 0.5,
  sin: 2, // 1.7 on [-30, 30]; for large arguments see below
  cos: 2, // 1.4
  tan: 1.5, // 1.2
  reciprocal: 0.5,
  abs: 0,
  neg: 0,
  relu: 0,
  elu: 4, // 3.5: Kahan's expm1; onnxruntime's Elu returned 0 for |x| < 3e-8
  leakyRelu: 0.5,
  hardSigmoid: 0, // against the spec's decomposition, alpha·x rounded then + beta rounded (see STEPWISE)
  linear: 0, // likewise
};

/** Every float16 result is computed in float32 and rounded once: within half an ULP, plus double rounding. */
const FLOAT16_BOUND = 0.501;

const boundOf = (p: Precision, name: string): number => {
  if (p === 'float16') return ['abs', 'neg', 'relu'].some((op) => name.startsWith(op)) ? 0 : FLOAT16_BOUND;
  const bound = FLOAT32_BOUNDS[name.replace(/\(.*$/, '')];
  if (bound === undefined) throw new Error(`no float32 bound for ${name}`);
  return bound + 1e-6; // the reference's own error
};

const format = (r: OpAccuracy) =>
  `${r.name}: max ${r.maxUlp.toFixed(3)} ULP` + (r.maxUlp > 0 ? ` at x = ${r.worstX} (got ${r.worstY}, exact ${r.worstRef})` : '');

for (const p of ['float32', 'float16'] as const) {
  describe(`${p} accuracy over [-30, 30]`, () => {
    const xs = sweepInputs(p, 1 << 18);
    for (const c of opCases(p)) {
      test(c.name, async (t) => {
        const r = await measure(ctx, p, c, xs);
        t.diagnostic(format(r));
        assert.ok(r.maxUlp <= boundOf(p, c.name), `${format(r)}; bound ${boundOf(p, c.name)} ULP`);
        assert.deepEqual(r.mismatches, [], `${c.name}: special and out-of-range inputs keep their result's class`);
      });
    }
  });
}

/** Runs one op on float32 values. */
async function run(op: (b: MLGraphBuilder, x: MLOperand) => MLOperand, values: number[]): Promise<number[]> {
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: 'float32', shape: [values.length] });
  const graph = await b.build({ y: op(b, x) });
  const out = await ctx.compute(graph, { x: Float32Array.from(values) });
  graph.destroy();
  return Array.from(out.y!.data as Float32Array);
}

describe('the tails issue 10 reported', () => {
  test('sigmoid(-16), sigmoid(-20), sigmoid(-100) and gelu(-5) are within 3 ULP', async () => {
    const ys = await run((b, x) => b.sigmoid(x), [-16, -20, -100]);
    for (const [i, x] of [-16, -20, -100].entries()) assert.ok(ulpError('float32', ys[i]!, REFERENCE.sigmoid(x)) <= 3, `sigmoid(${x}) = ${ys[i]}`);
    assert.ok(Math.abs(ys[0]! / 1.1253517e-7 - 1) < 1e-6 && Math.abs(ys[1]! / 2.0611537e-9 - 1) < 1e-6);
    const [g] = await run((b, x) => b.gelu(x), [-5]);
    assert.ok(ulpError('float32', g!, REFERENCE.gelu(-5)) <= 3 && Math.abs(g! / -1.4332579e-6 - 1) < 1e-6, `gelu(-5) = ${g}`);
  });

  test('elu keeps tiny negative inputs (expm1, not exp(x) - 1)', async () => {
    const xs = [-1e-8, -(2 ** -30), -1e-30, -1e-40];
    const ys = await run((b, x) => b.elu(x, { alpha: 1 }), xs);
    xs.forEach((x, i) => assert.ok(ulpError('float32', ys[i]!, Math.expm1(Math.fround(x))) <= 1, `elu(${x}) = ${ys[i]}`));
  });
});

describe('special values behave as the plain onnxruntime kernels did', () => {
  const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  const cases: [string, (b: MLGraphBuilder, x: MLOperand) => MLOperand, [number, number][]][] = [
    ['sigmoid', (b, x) => b.sigmoid(x), [[NaN, NaN], [-Infinity, 0], [Infinity, 1], [0, 0.5], [-0, 0.5], [-200, 0], [200, 1]]],
    ['tanh', (b, x) => b.tanh(x), [[NaN, NaN], [-Infinity, -1], [Infinity, 1], [-0, -0], [0, 0]]],
    // -Infinity·Φ(-Infinity) is -Infinity·0: NaN, as the spec's formula and onnxruntime's Gelu give.
    ['gelu', (b, x) => b.gelu(x), [[NaN, NaN], [-Infinity, NaN], [Infinity, Infinity], [-0, -0], [0, 0], [3e38, Math.fround(3e38)]]],
    ['elu', (b, x) => b.elu(x), [[NaN, NaN], [-Infinity, -1], [Infinity, Infinity], [-0, -0], [0, 0], [-200, -1], [3e38, Math.fround(3e38)]]],
    ['hardSwish', (b, x) => b.hardSwish(x), [[NaN, NaN], [-Infinity, NaN], [Infinity, Infinity], [-0, -0], [-3, -0], [3, 3], [3e38, Math.fround(3e38)]]],
    ['hardSigmoid', (b, x) => b.hardSigmoid(x), [[NaN, NaN], [-Infinity, 0], [Infinity, 1], [0, 0.5], [-2.5, 0]]],
    ['linear', (b, x) => b.linear(x, { alpha: 2, beta: -1 }), [[NaN, NaN], [-Infinity, -Infinity], [Infinity, Infinity], [0.5, 0], [3e38, Infinity]]],
  ];
  for (const [name, op, pairs] of cases) {
    test(name, async () => {
      const ys = await run(op, pairs.map(([x]) => x));
      pairs.forEach(([x, want], i) => assert.ok(same(ys[i]!, want), `${name}(${x}) = ${ys[i]}, expected ${want}`));
    });
  }
});

// Outside [-30, 30] the trigonometric functions keep their accuracy: onnxruntime reduces large arguments exactly.
// Measured over 100,000 log-spaced values in [30, 3e38]: sin and cos ≤ 2.3 ULP, tan ≤ 1.2 ULP; sampled here.
describe('trigonometric functions of large arguments', () => {
  const xs = Array.from({ length: 20001 }, (_, i) => Math.fround((i % 2 ? -1 : 1) * 30 * (1e37 / 30) ** (i / 20000)));
  for (const [op, bound] of [['sin', 2.5], ['cos', 2.5], ['tan', 1.5]] as const) {
    test(`${op} stays within ${bound} ULP up to 1e37`, async () => {
      const ys = await run((b, x) => b[op](x), xs);
      const worst = Math.max(...xs.map((x, i) => ulpError('float32', ys[i]!, Math[op](x))));
      assert.ok(worst <= bound, `${op}: ${worst} ULP`);
    });
  }
});
