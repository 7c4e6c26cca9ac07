// Runs element-wise float operators over a sweep of inputs and measures their error against float64 references in
// ULPs of the result type: a dense grid over [-30, 30], the tails, values near the formulas' trouble spots, every
// binade down to the subnormals, and ±0, ±Infinity and NaN.
import { fromFloat16Bits, toFloat16Bits, type MLContext, type MLGraphBuilder, type MLOperand } from '../../src/index.js';
import { MLGraphBuilder as Builder } from '../../src/index.js';
import { REFERENCE, STEPWISE, roundTo, ulpError, type Precision } from './reference-math.js';

export interface OpCase {
  /** Name shown in reports, e.g. `elu(alpha=0.5)`. */
  name: string;
  build: (b: MLGraphBuilder, x: MLOperand) => MLOperand;
  /** Float64 reference on the (exactly representable) input. */
  ref: (x: number) => number;
  /** Only inputs inside [lo, hi] are measured in ULPs (the others are checked for NaN/Infinity as elsewhere). */
  domain?: readonly [number, number];
  /** Nonzero inputs smaller in magnitude are not measured in ULPs either (see the bound's comment). */
  minMagnitude?: number;
}

/** The cases the sweeps measure, with the spec's default options and a few others. */
export function opCases(p: Precision): OpCase[] {
  const r = (v: number) => roundTo(p, v); // attribute values are cast to the input type, as the spec says
  const unary = (name: keyof MLGraphBuilder & keyof typeof REFERENCE, limits: Pick<OpCase, 'domain' | 'minMagnitude'> = {}): OpCase => ({
    name,
    build: (b, x) => (b[name] as (x: MLOperand) => MLOperand).call(b, x),
    ref: REFERENCE[name] as (x: number) => number,
    ...limits,
  });
  const cases: OpCase[] = [
    // onnxruntime's Tanh is off by up to ~100 subnormal spacings below 2^-120 (in float32; float16 goes via float32).
    unary('sigmoid'), unary('tanh', p === 'float32' ? { minMagnitude: 2 ** -120 } : {}), unary('gelu'), unary('softplus'),
    unary('softsign'), unary('hardSwish'),
    unary('erf'), unary('exp'), unary('log', { domain: [0, Infinity] }), unary('sqrt', { domain: [0, Infinity] }), unary('sin'),
    unary('cos'), unary('tan'), unary('reciprocal'), unary('abs'), unary('neg'), unary('relu'),
  ];
  for (const alpha of [1, 0.5]) {
    cases.push({ name: `elu(alpha=${alpha})`, build: (b, x) => b.elu(x, { alpha }), ref: REFERENCE.elu(r(alpha)) });
  }
  for (const alpha of [0.01, 0.2]) {
    cases.push({ name: `leakyRelu(alpha=${alpha})`, build: (b, x) => b.leakyRelu(x, { alpha }), ref: REFERENCE.leakyRelu(r(alpha)) });
  }
  for (const [alpha, beta] of [[0.2, 0.5], [1 / 6, 0.5]] as const) {
    cases.push({
      name: `hardSigmoid(alpha=${+alpha.toFixed(4)}, beta=${beta})`,
      build: (b, x) => b.hardSigmoid(x, { alpha, beta }),
      ref: p === 'float32' ? STEPWISE.hardSigmoid(p, r(alpha), r(beta)) : REFERENCE.hardSigmoid(r(alpha), r(beta)),
    });
  }
  for (const [alpha, beta] of [[1, 0], [2, -1], [0.1, -1]] as const) {
    cases.push({ name: `linear(alpha=${alpha}, beta=${beta})`, build: (b, x) => b.linear(x, { alpha, beta }), ref: p === 'float32' ? STEPWISE.linear(p, r(alpha), r(beta)) : REFERENCE.linear(r(alpha), r(beta)) });
  }
  return cases;
}

/**
 * The sweep's inputs, each exactly representable in the precision: for float16 every value in [-30, 30]; for
 * float32 a uniform grid of `gridSize` steps over [-30, 30] and as many values spread evenly over the bit patterns
 * (so over the binades) of [-30, 30]; then for both the neighbourhoods of the formulas' trouble spots, every binade
 * down to the subnormals, and special values.
 */
export function sweepInputs(p: Precision, gridSize: number): Float64Array {
  const xs: number[] = [];
  const add = (v: number) => xs.push(roundTo(p, v));
  if (p === 'float16') {
    for (let bits = 0; bits <= toFloat16Bits(30); bits++) {
      add(fromFloat16Bits(bits));
      add(-fromFloat16Bits(bits));
    }
  } else {
    for (let i = 0; i <= gridSize; i++) add(-30 + (60 * i) / gridSize);
    const bits = new Uint32Array(1);
    const asFloat = new Float32Array(bits.buffer);
    const top = new Uint32Array(Float32Array.of(30).buffer)[0]!;
    for (let i = 0; i < gridSize; i++) {
      bits[0] = Math.floor((top * i) / gridSize) | (i % 2 ? 0x80000000 : 0);
      add(asFloat[0]!);
    }
  }
  // Every binade from the smallest subnormal up to 16, a few significands each, both signs.
  const minExp = p === 'float32' ? -149 : -24;
  for (let e = minExp; e <= 4; e++) for (const m of [1, 1.1, 1.5, 1.75, 1.999]) for (const s of [1, -1]) add(s * m * 2 ** e);
  // Around the points where formulas cancel or switch: 0, ±1, ±3 (hardSwish), ±π/2·k (tan/cos), 2.5 (hardSigmoid).
  const spots = [0, 1, -1, 3, -3, 2.5, -2.5, 5, -5, 10, -10, 0.5, -0.5, Math.PI / 2, -Math.PI / 2, Math.PI, -Math.PI, 30, -30];
  const step = p === 'float32' ? 2 ** -20 : 2 ** -8;
  for (const s of spots) for (let k = -64; k <= 64; k++) add(s + k * step * Math.max(1, Math.abs(s)));
  for (const v of [0, -0, Infinity, -Infinity, NaN, 88, -88, 89, -104, 1e4, -1e4]) add(v);
  return Float64Array.from(xs);
}

export interface OpAccuracy {
  name: string;
  /** Largest error in ULPs over the finite inputs in [-30, 30] (and in the op's domain). */
  maxUlp: number;
  /** The input that gave it, and the value/reference there. */
  worstX: number;
  worstY: number;
  worstRef: number;
  /** Inputs outside [-30, 30] (or the domain), or non-finite, whose result is not of the reference's class. */
  mismatches: { x: number; y: number; ref: number }[];
}

function encode(p: Precision, xs: Float64Array): Float32Array | Uint16Array {
  return p === 'float32' ? Float32Array.from(xs) : Uint16Array.from(xs, (v) => toFloat16Bits(v));
}

function decode(p: Precision, data: ArrayBufferView): Float64Array {
  if (p === 'float32') return Float64Array.from(data as Float32Array);
  return Float64Array.from(data as Uint16Array, (b) => fromFloat16Bits(b));
}

/** Runs one case over `xs` in one graph and measures it. */
export async function measure(ctx: MLContext, p: Precision, c: OpCase, xs: Float64Array): Promise<OpAccuracy> {
  const b = new Builder(ctx);
  const x = b.input('x', { dataType: p, shape: [xs.length] });
  const graph = await b.build({ y: c.build(b, x) });
  const out = await ctx.compute(graph, { x: encode(p, xs) });
  graph.destroy();
  const ys = decode(p, out.y!.data as ArrayBufferView);
  const [lo, hi] = c.domain ?? [-Infinity, Infinity];
  const tiny = c.minMagnitude ?? 0;
  const result: OpAccuracy = { name: c.name, maxUlp: 0, worstX: NaN, worstY: NaN, worstRef: NaN, mismatches: [] };
  for (let i = 0; i < xs.length; i++) {
    const xi = xs[i]!;
    const y = ys[i]!;
    const ref = c.ref(xi);
    if (Number.isFinite(xi) && Math.abs(xi) <= 30 && xi >= lo && xi <= hi && !(xi !== 0 && Math.abs(xi) < tiny)) {
      const err = ulpError(p, y, ref);
      if (err > result.maxUlp || Number.isNaN(err)) Object.assign(result, { maxUlp: err, worstX: xi, worstY: y, worstRef: ref });
    } else {
      // Beyond the sweep's range (or the op's domain) only the class must match: NaN stays NaN, an infinite or
      // overflowing reference gives that infinity, a finite one a finite value of the same sign (or zero) within
      // 1000 ULP.
      const r = roundTo(p, ref);
      const ok = Number.isNaN(r) ? Number.isNaN(y)
        : !Number.isFinite(r) ? y === r
        : Number.isFinite(y) && (r === 0 || Math.sign(y) === Math.sign(r) || y === 0) && ulpError(p, y, ref) <= 1e3;
      if (!ok) result.mismatches.push({ x: xi, y, ref });
    }
  }
  return result;
}
