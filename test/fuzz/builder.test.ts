// Builder fuzzing: every operator is called many times with mutated arguments (seeded, so failures reproduce). Each
// call must either return MLOperand(s) with valid dimensions or throw a TypeError whose message starts with the
// operator's name — never another error class, never a crash inside the validation code. A sample of the calls that
// succeed is built and run once, so the lowering is exercised on shapes nobody wrote by hand.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, MLOperand, type MLComputeInput, type MLContext, type MLOperandDataType } from '../../src/index.js';
import { SPEC_OPERATORS } from '../../src/ops/spec-operators.js';
import { getOp, type ParamKind } from '../../src/ops/registry.js';
import { ALL_DATA_TYPES, byteLength, DTYPES } from '../../src/graph/dtypes.js';

/** FUZZ_SEED, FUZZ_CALLS and FUZZ_BUILDS widen a local run; the suite uses the fixed defaults. */
const CALLS_PER_OP = Number(process.env.FUZZ_CALLS ?? 200);
const BUILDS_PER_OP = Number(process.env.FUZZ_BUILDS ?? 3);

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A dimension as the fuzzer writes it: a size, or the one dynamic dimension its builders declare. */
type FuzzDim = number | { readonly name: string; readonly maxSize: number };
const DYN = { name: 'n', maxSize: 3 } as const;
const sizeOf = (d: FuzzDim): number => (typeof d === 'number' ? d : d.maxSize);


/** Option members across the operators (valid for some, unknown to others — unknown ones must be ignored). */
const OPTION_KEYS = [
  'axis', 'axes', 'keepDimensions', 'padding', 'strides', 'dilations', 'groups', 'inputLayout', 'filterLayout',
  'bias', 'outputPadding', 'outputSizes', 'windowDimensions', 'roundingType', 'mode', 'scales', 'sizes', 'alpha',
  'beta', 'aTranspose', 'bTranspose', 'c', 'epsilon', 'scale', 'minValue', 'maxValue', 'exclusive', 'reversed',
  'upper', 'diagonal', 'value', 'recurrentBias', 'initialHiddenState', 'initialCellState', 'returnSequence',
  'direction', 'layout', 'activations', 'resetAfter', 'peepholeWeight', 'outputDataType', 'permutation', 'label',
  'bogus',
];
const ENUMS = [
  'nchw', 'nhwc', 'oihw', 'hwio', 'ohwi', 'ihwo', 'iohw', 'hwoi', 'ohwi', 'floor', 'ceil', 'nearest-neighbor', 'linear',
  'constant', 'edge', 'reflection', 'symmetric', 'forward', 'backward', 'both', 'zrn', 'rzn', 'iofg', 'ifgo', 'relu',
  'sigmoid', 'tanh', 'int32', 'int64', 'uint32', 'float32', '', 'x',
];

class Fuzzer {
  readonly b: MLGraphBuilder;
  readonly other: MLGraphBuilder;
  private inputs = 0;
  /** Each input operand of `b` with its descriptor, for feeding built graphs. */
  readonly descriptors = new Map<string, { dataType: MLOperandDataType; shape: FuzzDim[] }>();
  /** Whether this builder's inputs may have the dynamic dimension DYN (the ops that accept it must handle it). */
  readonly dynamic: boolean;

  constructor(readonly ctx: MLContext, readonly r: () => number) {
    this.b = new MLGraphBuilder(ctx);
    this.other = new MLGraphBuilder(ctx);
    this.dynamic = r() < 0.4;
  }

  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.r() < p;
  }

  /** Junk of every JavaScript flavour. */
  junk(): unknown {
    return this.pick<() => unknown>([
      () => 'abc', () => null, () => undefined, () => ({}), () => NaN, () => Infinity, () => -Infinity, () => -1,
      () => 2 ** 32, () => 2 ** 53, () => -0, () => 1.5, () => 10n, () => true, () => Symbol('s'),
      () => new Array(10000).fill(1), () => [NaN], () => [-1], () => [2 ** 32], () => ['a'], () => [[1]], () => [],
      () => ({ valueOf: () => 1 }), () => ({ [Symbol.iterator]: () => [1, 2][Symbol.iterator]() }), () => () => 1,
      () => new Float32Array(2), () => [Symbol('s')], () => ({ valueOf: () => { throw new RangeError('no'); } }), () => this.other.input(`o${this.inputs++}`, { dataType: 'float32', shape: [2] }),
    ])();
  }

  shape(): FuzzDim[] {
    const rank = this.chance(0.85) ? this.int(5) : this.int(9);
    // Now and then one large dimension (no data is allocated unless the graph is run, and then only small ones are).
    const shape: FuzzDim[] = Array.from({ length: rank }, () => (this.chance(0.02) ? this.pick([65536, 2 ** 20, 2 ** 31 - 1]) : 1 + this.int(4)));
    if (this.dynamic && rank > 0 && this.chance(0.6)) shape[this.int(rank)] = DYN;
    return shape;
  }

  operand(shape: readonly FuzzDim[] = this.shape(), dataType: MLOperandDataType = this.chance(0.5) ? 'float32' : this.pick(ALL_DATA_TYPES)): MLOperand {
    const name = `x${this.inputs++}`;
    // Sub-byte inputs must be static.
    let dims = DTYPES[dataType].bits < 8 ? shape.map(sizeOf) : [...shape];
    // A large dimension must still leave a valid element count and byte length; otherwise keep it alone.
    const bytes = dims.reduce((a: number, d) => a * sizeOf(d), 1) * Math.max(1, DTYPES[dataType].bytes);
    if (bytes > 2 ** 31 - 1) dims = dims.map((d) => (sizeOf(d) > 4 ? (bytes / sizeOf(d) <= 64 ? Math.floor((2 ** 31 - 1) / 64) : 1) : d));
    const desc = { dataType, shape: dims };
    this.descriptors.set(name, desc);
    return this.b.input(name, desc as { dataType: MLOperandDataType; shape: number[] });
  }

  /** An operand, usually related to the first one's shape and type so that some calls validate. */
  relatedOperand(first: MLOperand | undefined): MLOperand {
    if (first && this.chance(0.6)) {
      const shape: FuzzDim[] = [...first.dimensions];
      if (this.chance(0.3)) shape.splice(0, this.int(shape.length + 1));
      if (this.chance(0.2) && shape.length) shape[this.int(shape.length)] = 1;
      const dt = this.chance(0.75) ? first.dataType : this.pick(ALL_DATA_TYPES);
      return this.operand(shape, dt);
    }
    return this.operand();
  }

  /** Mostly small; sometimes at the edges of `long`/`unsigned long`, where sizes overflow. */
  smallUint(): number {
    return this.chance(0.97) ? this.int(5) : this.pick([65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1]);
  }
  uints(len = this.int(6)): unknown[] {
    return Array.from({ length: len }, () => (this.chance(0.95) ? this.smallUint() : this.junk()));
  }

  positional(kind: ParamKind, first: MLOperand | undefined): unknown {
    if (this.chance(0.06)) return this.junk();
    switch (kind) {
      case 'operand':
        return this.relatedOperand(first);
      case 'operands':
        return Array.from({ length: this.int(4) }, () => (this.chance(0.95) ? this.relatedOperand(first) : this.junk()));
      case 'uint':
        return this.smallUint();
      case 'uints':
        return this.uints(first && this.chance(0.6) ? first.shape.length : this.int(6));
      case 'uintOrUints':
        return this.chance(0.5) ? this.smallUint() : this.uints();
      case 'dataType':
        return this.pick(ALL_DATA_TYPES);
    }
  }

  optionValue(key: string, first: MLOperand | undefined): unknown {
    // A label whose toString throws would (rightly, as in WebIDL) throw that error, so labels get no junk objects.
    if (key === 'label') return this.pick(['', 'lbl', 'x\u0000y', 'a'.repeat(300), 42, null]);
    if (this.chance(0.15)) return this.junk();
    const rank = first?.shape.length ?? 2;
    return this.pick<() => unknown>([
      () => this.smallUint(),
      () => this.uints(this.pick([1, 2, 4, rank])),
      () => this.pick(ENUMS),
      () => this.chance(0.5),
      () => this.r() * 4 - 2,
      () => this.relatedOperand(first),
      () => this.operand([1 + this.int(4)]),
      () => Array.from({ length: 1 + this.int(3) }, () => this.pick(ENUMS)),
    ])();
  }

  options(first: MLOperand | undefined): unknown {
    if (this.chance(0.1)) return this.junk();
    if (this.chance(0.3)) return undefined;
    const out: Record<string, unknown> = {};
    for (let i = this.int(4); i > 0; i--) {
      const key = this.pick(OPTION_KEYS);
      out[key] = this.optionValue(key, first);
    }
    return out;
  }

  /** A call that is (mostly) valid, then mutated in one place: reaches the deeper validation steps. */
  templateArgs(op: string): unknown[] | undefined {
    const make = TEMPLATES[op];
    if (!make) return undefined;
    const args = make(this);
    const i = this.int(args.length);
    const last = args.length - 1;
    if (this.chance(0.3)) {
      // Mutate one positional argument.
      if (i < last) args[i] = this.chance(0.5) ? this.junk() : this.operand();
    } else if (this.chance(0.5)) {
      // Mutate or add one option member.
      const opts = { ...((args[last] as Record<string, unknown>) ?? {}) };
      const keys = Object.keys(opts);
      const key = keys.length && this.chance(0.6) ? this.pick(keys) : this.pick(OPTION_KEYS);
      opts[key] = this.optionValue(key, args[0] as MLOperand);
      args[last] = opts;
    }
    return args;
  }

  args(op: string): unknown[] {
    if (TEMPLATES[op] && this.chance(0.6)) return this.templateArgs(op)!;
    // The positional parameters as the operator declares them.
    const kinds = getOp(op)!.params.map((p) => p.kind);
    const args: unknown[] = [];
    let first: MLOperand | undefined;
    for (const kind of kinds) {
      const v = this.positional(kind, first);
      if (!first && v instanceof MLOperand) first = v;
      args.push(v);
    }
    args.push(this.options(first));
    // Occasionally drop trailing arguments or add extra ones.
    if (this.chance(0.05)) args.length = this.int(args.length);
    if (this.chance(0.03)) args.push(this.junk());
    return args;
  }
}

const dim = (f: Fuzzer) => 1 + f.int(3);
const floatType = (f: Fuzzer): MLOperandDataType => (f.chance(0.8) ? 'float32' : 'float16');
const nchw = (f: Fuzzer, t: MLOperandDataType) => f.operand([dim(f), dim(f), 2 + f.int(4), 2 + f.int(4)], t);

function recurrent(f: Fuzzer, gates: number, cell: boolean, network: boolean): unknown[] {
  const t = floatType(f);
  const [steps, batch, inputSize, hidden] = [dim(f), dim(f), dim(f), dim(f)];
  const dirs = network && f.chance(0.5) ? 2 : 1;
  const opts: Record<string, unknown> = {};
  if (f.chance(0.4)) opts.bias = f.operand(network ? [dirs, gates * hidden] : [gates * hidden], t);
  if (f.chance(0.4)) opts.recurrentBias = f.operand(network ? [dirs, gates * hidden] : [gates * hidden], t);
  if (network && dirs === 2) opts.direction = 'both';
  if (network && f.chance(0.3)) opts.returnSequence = true;
  if (network && f.chance(0.3)) opts.initialHiddenState = f.operand([dirs, batch, hidden], t);
  if (cell && gates === 4 && f.chance(0.3)) opts.peepholeWeight = f.operand(network ? [dirs, 3 * hidden] : [3 * hidden], t);
  if (f.chance(0.2)) opts.layout = f.pick(gates === 3 ? ['zrn', 'rzn'] : ['iofg', 'ifgo']);
  if (network) {
    return [f.operand([steps, batch, inputSize], t), f.operand([dirs, gates * hidden, inputSize], t), f.operand([dirs, gates * hidden, hidden], t), steps, hidden, opts];
  }
  const states = Array.from({ length: gates === 4 ? 2 : 1 }, () => f.operand([batch, hidden], t));
  return [f.operand([batch, inputSize], t), f.operand([gates * hidden, inputSize], t), f.operand([gates * hidden, hidden], t), ...states, hidden, opts];
}

const logical = (inputs: number) => (f: Fuzzer) => {
  const x = f.operand(f.shape(), 'uint8');
  return [x, ...Array.from({ length: inputs - 1 }, () => f.operand([...x.dimensions].slice(f.int(2)), 'uint8')), {}];
};

/** Valid-call generators for the operators whose arguments random operands almost never satisfy. */
const TEMPLATES: Record<string, (f: Fuzzer) => unknown[]> = {
  logicalAnd: logical(2),
  logicalOr: logical(2),
  logicalXor: logical(2),
  logicalNot: logical(1),
  gemm: (f) => {
    const t = floatType(f);
    const [m, k, n] = [dim(f), dim(f), dim(f)];
    return [f.operand([m, k], t), f.operand([k, n], t), f.chance(0.5) ? { c: f.operand(f.pick([[n], [m, n], [], [1, n]]), t), alpha: 2 } : {}];
  },
  matmul: (f) => {
    const t = floatType(f);
    const [m, k, n] = [dim(f), dim(f), dim(f)];
    const batch = f.chance(0.5) ? [dim(f)] : [];
    return [f.operand([...batch, m, k], t), f.operand([m === 1 ? 1 : dim(f), k, n].slice(f.int(2)).length === 3 ? [1, k, n] : [k, n], t), {}];
  },
  batchNormalization: (f) => {
    const t = floatType(f);
    const x = f.operand([dim(f), dim(f), dim(f)], t);
    const axis = f.int(3);
    const c = x.shape[axis]!;
    return [x, f.operand([c], t), f.operand([c], t), { axis, epsilon: 1e-3, ...(f.chance(0.5) ? { scale: f.operand([c], t), bias: f.operand([c], t) } : {}) }];
  },
  instanceNormalization: (f) => {
    const t = floatType(f);
    const x = nchw(f, t);
    return [x, f.chance(0.5) ? { scale: f.operand([x.shape[1]!], t), bias: f.operand([x.shape[1]!], t) } : { layout: 'nchw' }];
  },
  layerNormalization: (f) => {
    const t = floatType(f);
    const x = f.operand([dim(f), dim(f), dim(f)], t);
    const axes = f.pick([[1, 2], [2], [0, 2], []]);
    return [x, { axes, ...(f.chance(0.5) ? { scale: f.operand(axes.map((a) => x.shape[a]!), t) } : {}) }];
  },
  dequantizeLinear: (f) => {
    const shape = [dim(f), 2 * dim(f)];
    const bs = f.pick([shape, [shape[0]!, 1], [1, 2], [2]]);
    const t = f.pick(['int8', 'uint8', 'int32', 'uint4', 'int4'] as MLOperandDataType[]);
    return [f.operand(shape, t), f.operand(bs, floatType(f)), f.operand(bs, t), {}];
  },
  quantizeLinear: (f) => {
    const shape = [dim(f), 2 * dim(f)];
    const bs = f.pick([shape, [shape[0]!, 1], [1, 2], [2]]);
    return [f.operand(shape, 'float32'), f.operand(bs, 'float32'), f.operand(bs, f.pick(['int8', 'uint8', 'int32', 'uint4', 'int4'] as MLOperandDataType[])), {}];
  },
  gru: (f) => recurrent(f, 3, false, true),
  lstm: (f) => recurrent(f, 4, true, true),
  gruCell: (f) => recurrent(f, 3, false, false),
  lstmCell: (f) => recurrent(f, 4, true, false),
  gather: (f) => {
    const x = f.operand([dim(f), dim(f), dim(f)]);
    return [x, f.operand(f.shape().slice(0, 2), f.pick(['int32', 'int64', 'uint32'] as MLOperandDataType[])), { axis: f.int(3) }];
  },
  gatherElements: (f) => {
    const x = f.operand([dim(f), dim(f), dim(f)]);
    const axis = f.int(3);
    const shape = [...x.shape];
    shape[axis] = dim(f);
    return [x, f.operand(shape, 'int32'), { axis }];
  },
  gatherND: (f) => {
    const x = f.operand([dim(f), dim(f), dim(f)]);
    return [x, f.operand([dim(f), 1 + f.int(3)], 'int32'), {}];
  },
  scatterElements: (f) => {
    const x = f.operand([dim(f), dim(f), dim(f)]);
    const axis = f.int(3);
    const shape = [...x.shape];
    shape[axis] = dim(f);
    return [x, f.operand(shape, 'int32'), f.operand(shape, x.dataType), { axis }];
  },
  scatterND: (f) => {
    const x = f.operand([dim(f), dim(f), dim(f)]);
    const k = 1 + f.int(3);
    const n = dim(f);
    return [x, f.operand([n, k], 'int32'), f.operand([n, ...x.shape.slice(k)], x.dataType), {}];
  },
  conv2d: (f) => {
    const t = floatType(f);
    const x = nchw(f, t);
    const groups = f.chance(0.3) ? x.shape[1]! : 1;
    const o = groups * dim(f);
    return [x, f.operand([o, x.shape[1]! / groups, 1 + f.int(2), 1 + f.int(2)], t), { groups, padding: f.pick([[0, 0, 0, 0], [1, 1, 1, 1], undefined]), strides: f.pick([[1, 1], [2, 2], undefined]), ...(f.chance(0.3) ? { bias: f.operand([o], t) } : {}) }];
  },
  convTranspose2d: (f) => {
    const t = floatType(f);
    const x = nchw(f, t);
    const o = dim(f);
    return [x, f.operand([x.shape[1]!, o, 1 + f.int(2), 1 + f.int(2)], t), { strides: f.pick([[1, 1], [2, 2], undefined]), outputPadding: f.pick([[1, 1], [0, 0], undefined]), ...(f.chance(0.3) ? { bias: f.operand([o], t) } : {}) }];
  },
  averagePool2d: (f) => [nchw(f, floatType(f)), { windowDimensions: f.pick([[1, 1], [2, 2], undefined]), roundingType: f.pick(['floor', 'ceil']), strides: f.pick([[1, 1], [2, 2]]) }],
  maxPool2d: (f) => [nchw(f, floatType(f)), { windowDimensions: f.pick([[1, 1], [2, 2], undefined]), outputSizes: f.pick([[1, 1], undefined]) }],
  l2Pool2d: (f) => [nchw(f, floatType(f)), { windowDimensions: f.pick([[1, 1], [2, 2], undefined]), dilations: f.pick([[1, 1], [2, 2]]) }],
  resample2d: (f) => [nchw(f, floatType(f)), { mode: f.pick(['linear', 'nearest-neighbor']), ...(f.chance(0.5) ? { sizes: [dim(f), dim(f)] } : { scales: [0.5 + f.int(4) / 2, 1] }), axes: f.pick([[2, 3], [0, 1], [3, 2], undefined]) }],
  where: (f) => {
    const x = f.operand([dim(f), dim(f)]);
    return [f.operand(x.shape.slice(f.int(2)), 'uint8'), x, f.operand([...x.shape].slice(f.int(3)), x.dataType), {}];
  },
  slice: (f) => {
    const x = f.operand([dim(f), dim(f)]);
    return [x, x.shape.map((d) => f.int(d)), x.shape.map(() => 1), { strides: f.chance(0.5) ? [1, 2] : undefined }];
  },
  pad: (f) => {
    const x = f.operand([dim(f), dim(f)]);
    return [x, [f.int(2), f.int(2)], [f.int(2), f.int(2)], { mode: f.pick(['constant', 'edge', 'reflection']), value: 1 }];
  },
};

function show(e: unknown): string {
  return e instanceof Error ? `${e.constructor.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 4).join('\n')}` : String(e);
}

function checkOperand(op: string, v: unknown): void {
  assert.ok(v instanceof MLOperand, `${op} returned ${String(v)}`);
  assert.ok(ALL_DATA_TYPES.includes(v.dataType), `${op}: output data type ${v.dataType}`);
  for (const d of v.dimensions) {
    const size = typeof d === 'number' ? d : d.maxSize;
    assert.ok(Number.isInteger(size) && size > 0 && size <= 2 ** 32 - 1, `${op}: output shape ${JSON.stringify(v.dimensions)}`);
  }
}

/** Data for an input whose dynamic dimensions take the value `n`. */
function feedFor(desc: { dataType: MLOperandDataType; shape: readonly FuzzDim[] }, n: number, r: () => number): MLComputeInput {
  const shape = desc.shape.map((d) => (typeof d === 'number' ? d : n));
  const data = typedFeed(desc.dataType, shape.reduce((a, b) => a * b, 1), r);
  return { data, shape };
}

function typedFeed(dataType: MLOperandDataType, n: number, r: () => number): ArrayBufferView {
  if (DTYPES[dataType].bits < 8) return new Uint8Array(byteLength(dataType, n));
  const arr = new DTYPES[dataType].array(n);
  // Integers are 0 (always a valid index); floats small random values.
  if (dataType === 'float32') for (let i = 0; i < n; i++) (arr as Float32Array)[i] = r() * 2 - 1;
  return arr;
}

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});

const ops = SPEC_OPERATORS;

describe('builder fuzzing', () => {
  test('every operator is installed on MLGraphBuilder', () => {
    for (const op of ops) assert.equal(typeof (MLGraphBuilder.prototype as unknown as Record<string, unknown>)[op], 'function', op);
  });

  for (const [index, op] of ops.entries()) {
    test(op, async () => {
      const r = prng(Number(process.env.FUZZ_SEED ?? 0x5eed) + index * 7919);
      let fz = new Fuzzer(ctx, r);
      const method = (MLGraphBuilder.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[op]!;
      const def = getOp(op)!;
      let successes = 0;
      let built = 0;
      let builtDynamic = 0;
      for (let i = 0; i < CALLS_PER_OP; i++) {
        if (i % 40 === 0) fz = new Fuzzer(ctx, r);
        const args = fz.args(op);
        let result: unknown;
        try {
          result = method.apply(fz.b, args);
        } catch (e) {
          if (!(e instanceof TypeError) || !e.message.startsWith(op)) assert.fail(`${op} call ${i} threw ${show(e)}`);
          const opts = args[def.optionsAt] as { label?: unknown } | undefined;
          if (opts && typeof opts === 'object' && opts.label === 'lbl') assert.ok(e.message.startsWith(`${op} [lbl]: `), e.message);
          continue;
        }
        successes++;
        const outs = def.multipleOutputs ? (result as unknown[]) : [result];
        assert.ok(Array.isArray(outs), `${op} returned ${String(result)}`);
        for (const o of outs) checkOperand(op, o);
        const small = (shape: readonly FuzzDim[]) => shape.reduce((a: number, d) => a * sizeOf(d), 1) <= 4096;
        if (built < BUILDS_PER_OP && outs.every((o) => small((o as MLOperand).dimensions)) && [...fz.descriptors.values()].every((d) => small(d.shape))) {
          built++;
          if (await buildAndRun(op, fz, outs as MLOperand[], r)) builtDynamic++;
          fz = new Fuzzer(ctx, r);
        }
      }
      // The fuzzer must reach the success path often enough to mean something.
      assert.ok(successes > 0, `${op}: no call succeeded`);
      if (process.env.FUZZ_VERBOSE) console.log(`${op}: ${successes}/${CALLS_PER_OP} calls validated, ${built} built and run (${builtDynamic} with a dynamic dimension)`);
    });
  }
});

/** Builds and runs the graph computing `outs`; says whether it had a dynamic input. */
async function buildAndRun(op: string, fz: Fuzzer, outs: MLOperand[], r: () => number): Promise<boolean> {
  const named = Object.fromEntries(outs.map((o, i) => [`y${i}`, o]));
  let graph;
  try {
    graph = await fz.b.build(named);
  } catch (e) {
    assert.fail(`${op}: build of a validated call failed: ${show(e)}`);
  }
  const feeds: Record<string, MLComputeInput> = {};
  const n = 1 + Math.floor(r() * DYN.maxSize);
  for (const name of Object.keys(graph.inputDescriptors)) feeds[name] = feedFor(fz.descriptors.get(name)!, n, r);
  try {
    await ctx.compute(graph, feeds);
  } catch (e) {
    assert.fail(`${op}: compute of a validated call failed: ${show(e)}`);
  }
  return Object.keys(graph.inputDescriptors).some((name) => fz.descriptors.get(name)!.shape.some((d) => typeof d !== 'number'));
}
