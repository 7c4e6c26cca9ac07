// Dispatch overhead: what a tsnn step (writeTensor + dispatch + readTensor) costs over running the very same ONNX
// model with onnxruntime-node directly (new ort.Tensor + session.run + copying the output out).
//
// Usage: node --import tsx bench/dispatch.ts [--json] [--shared-session] [--reps N] [--rep-ms MS] [--warmup N]
//   (npm run bench:dispatch -- --json)
//
// For each case the graph is built through the public WebNN API; the ONNX model tsnn compiled is re-derived from the
// graph's IR with the backend's own lowering (lowerToOnnx + encodeModel) and loaded into a second, raw
// ort.InferenceSession with the options the backend uses. Both sides then run the same bytes of model on the same
// input, one step at a time (each step awaited before the next), in repetitions of N steps that alternate between
// tsnn and raw (and which of them goes first) to spread drift evenly. Reported: the median over repetitions of the
// per-step time, for each side, their ratio, and a 95% bootstrap interval of that ratio (resampling the repetition
// pairs).
//
// --shared-session runs the raw side on the very InferenceSession tsnn compiled instead of a second one. On a machine
// with few cores the two sessions' intra-op thread pools disturb each other when the benchmark switches between
// them (a rep that follows the other side's rep runs slower), which adds noise, not bias, to the default figures;
// sharing the session removes that noise.
import ort from 'onnxruntime-node';
import { ml, MLGraphBuilder, type MLContext, type MLGraph, type MLOperand, type MLTensor } from '../src/index.js';
import { graphInternals } from '../src/api/graph.js';
import { lowerToOnnx } from '../src/backends/onnxruntime/lower.js';
import { sessionOptions } from '../src/backends/onnxruntime/backend.js';
import { encodeModel } from '../src/onnx/schema.js';
import { describeMachine, median, watchOtherLoad } from './support.js';

// ---- options ----------------------------------------------------------------------------------------------------

interface Options {
  json: boolean;
  sharedSession: boolean;
  reps: number;
  repMs: number;
  warmup: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { json: false, sharedSession: false, reps: 21, repMs: 150, warmup: 20 };
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number (got ${String(v)})`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') opts.json = true;
    else if (a === '--shared-session') opts.sharedSession = true;
    else if (a === '--reps') opts.reps = Math.round(num(a, argv[++i]));
    else if (a === '--rep-ms') opts.repMs = num(a, argv[++i]);
    else if (a === '--warmup') opts.warmup = Math.round(num(a, argv[++i]));
    else if (a === '--help' || a === '-h') {
      console.log('usage: node --import tsx bench/dispatch.ts [--json] [--shared-session] [--reps N (21)] [--rep-ms MS (150)] [--warmup N (20)]');
      process.exit(0);
    } else throw new Error(`unknown argument '${a}' (try --help)`);
  }
  return opts;
}

// ---- cases ------------------------------------------------------------------------------------------------------

const N = 256;
const SHAPE = [N, N];
const DESC = { dataType: 'float32', shape: SHAPE } as const;

/** Deterministic uniform [lo, hi) data (mulberry32). */
function randomArray(length: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = lo + (hi - lo) * u;
  }
  return out;
}

interface CaseSpec {
  name: string;
  description: string;
  /** Declares the inputs and ops on `b`; returns the output operand (named 'y'). */
  define(b: MLGraphBuilder): MLOperand;
  inputs: Record<string, Float32Array>;
}

const cases: CaseSpec[] = [
  {
    name: '1-op',
    description: 'add(a, b), a and b float32 [256,256] inputs',
    define: (b) => b.add(b.input('a', DESC), b.input('b', DESC)),
    inputs: { a: randomArray(N * N, 1), b: randomArray(N * N, 2) },
  },
  {
    name: 'MLP',
    description: '8 × (matmul(h, W_i) → relu) = 16 ops, x float32 [256,256] input, W_i [256,256] constants',
    define: (b) => {
      let h = b.input('x', DESC);
      const limit = Math.sqrt(6 / N); // He-uniform, so activations stay O(1) through the layers
      for (let i = 0; i < 8; i++) {
        const w = b.constant(DESC, randomArray(N * N, 100 + i, -limit, limit));
        h = b.relu(b.matmul(h, w));
      }
      return h;
    },
    inputs: { x: randomArray(N * N, 3) },
  },
];

/** The options OrtBackend.compile (src/backends/onnxruntime/backend.ts) creates a CPU session with; keep in step. */
const SESSION_OPTIONS = sessionOptions('cpu');

// ---- the two runners --------------------------------------------------------------------------------------------

type Step = () => Promise<Float32Array>;

interface Prepared {
  spec: CaseSpec;
  graph: MLGraph;
  onnxBytes: number;
  onnxNodes: string[];
  tsnn: Step;
  raw: Step;
  releaseRaw(): Promise<void>;
}

async function prepare(ctx: MLContext, spec: CaseSpec, opts: Options): Promise<Prepared> {
  const builder = new MLGraphBuilder(ctx);
  const graph = await builder.build({ y: spec.define(builder) });

  // tsnn: the per-step work of a WebNN user — write the inputs, dispatch, read the output back.
  const inTensors: Record<string, MLTensor> = {};
  for (const name of Object.keys(spec.inputs)) inTensors[name] = await ctx.createTensor({ ...DESC, writable: true });
  const yTensor = await ctx.createTensor({ ...DESC, readable: true });
  const outTensors = { y: yTensor };
  const inputEntries = Object.entries(spec.inputs).map(([name, data]) => [inTensors[name]!, data] as const);
  const tsnn: Step = async () => {
    for (const [tensor, data] of inputEntries) ctx.writeTensor(tensor, data);
    ctx.dispatch(graph, inTensors, outTensors);
    return new Float32Array(await ctx.readTensor(yTensor));
  };

  // raw: the exact model tsnn compiled, in a session of its own with the backend's session options.
  const ir = graphInternals(graph)!.ir;
  const { model, outputNames } = lowerToOnnx(ir);
  const bytes = encodeModel(model);
  const own = await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
  let session = own;
  if (opts.sharedSession) {
    // The session tsnn's backend created for this graph (a private field of its compiled graph).
    const compiled = graphInternals(graph)!.compiled as unknown as { session?: ort.InferenceSession };
    if (typeof compiled.session?.run !== 'function') throw new Error('--shared-session: cannot find the graph\'s InferenceSession');
    session = compiled.session;
    await own.release();
  }
  const outName = outputNames.get('y') ?? 'y';
  const feedNames = Object.keys(spec.inputs);
  const raw: Step = async () => {
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of feedNames) feeds[name] = new ort.Tensor('float32', spec.inputs[name]!, SHAPE);
    const results = await session.run(feeds);
    const out = new Float32Array(N * N); // readTensor hands back a copy; so does this side
    out.set(results[outName]!.data as Float32Array);
    return out;
  };

  return {
    spec, graph, onnxBytes: bytes.byteLength, onnxNodes: model.graph.node.map((n) => n.opType), tsnn, raw,
    releaseRaw: async () => {
      if (session === own) await session.release();
    },
  };
}

// ---- timing -----------------------------------------------------------------------------------------------------

let sink = 0; // keeps results observable

async function timeSteps(step: Step, iterations: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += (await step())[i & 255]!;
  return Number(process.hrtime.bigint() - t0) / 1e3 / iterations; // µs per step
}

/** 95% interval of median(a)/median(b) by bootstrap over the paired repetitions (deterministic seed). */
function ratioInterval(a: number[], b: number[], resamples = 2000): [number, number] {
  let seed = 12345;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const ratios: number[] = [];
  const ra = new Array<number>(a.length);
  const rb = new Array<number>(b.length);
  for (let k = 0; k < resamples; k++) {
    for (let i = 0; i < a.length; i++) {
      const j = Math.floor(rand() * a.length);
      ra[i] = a[j]!;
      rb[i] = b[j]!;
    }
    ratios.push(median(ra) / median(rb));
  }
  ratios.sort((x, y) => x - y);
  return [ratios[Math.floor(0.025 * resamples)]!, ratios[Math.ceil(0.975 * resamples) - 1]!];
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

interface CaseResult {
  case: string;
  description: string;
  onnxNodes: number;
  iterationsPerRep: number;
  reps: number;
  tsnnMedianUs: number;
  rawMedianUs: number;
  ratio: number;
  /** 95% bootstrap interval of the ratio. */
  ratioCI95: [number, number];
  overheadUs: number;
  tsnnRepsUs: number[];
  rawRepsUs: number[];
  maxAbsDiff: number;
  /** Average number of cores kept busy by other processes while this case was measured (Linux only). */
  otherLoadCores?: number;
}

async function measure(p: Prepared, opts: Options): Promise<CaseResult> {
  // Same answer from both sides (same model, same input).
  const diff = maxAbsDiff(await p.tsnn(), await p.raw());
  if (!(diff <= 1e-5)) throw new Error(`${p.spec.name}: tsnn and raw onnxruntime disagree (max |Δ| = ${diff})`);

  // Warm-up: a block of each side, at least opts.warmup steps and ~150 ms long.
  for (const step of [p.tsnn, p.raw]) {
    const until = performance.now() + 150;
    for (let i = 0; i < opts.warmup || performance.now() < until; i++) await step();
  }
  // Iterations per repetition: enough for ~repMs on the raw side (its step time taken over ~50 ms).
  let probeSteps = 0;
  const probeStart = performance.now();
  while (performance.now() - probeStart < 50) {
    await p.raw();
    probeSteps++;
  }
  const probeUs = ((performance.now() - probeStart) * 1e3) / probeSteps;
  const iterations = Math.max(5, Math.round((opts.repMs * 1e3) / probeUs));

  const tsnnReps: number[] = [];
  const rawReps: number[] = [];
  for (let r = 0; r < opts.reps; r++) {
    if (r % 2 === 0) {
      tsnnReps.push(await timeSteps(p.tsnn, iterations));
      rawReps.push(await timeSteps(p.raw, iterations));
    } else {
      rawReps.push(await timeSteps(p.raw, iterations));
      tsnnReps.push(await timeSteps(p.tsnn, iterations));
    }
  }
  const tsnnMedianUs = median(tsnnReps);
  const rawMedianUs = median(rawReps);
  return {
    case: p.spec.name,
    description: p.spec.description,
    onnxNodes: p.onnxNodes.length,
    iterationsPerRep: iterations,
    reps: opts.reps,
    tsnnMedianUs,
    rawMedianUs,
    ratio: tsnnMedianUs / rawMedianUs,
    ratioCI95: ratioInterval(tsnnReps, rawReps),
    overheadUs: tsnnMedianUs - rawMedianUs,
    tsnnRepsUs: tsnnReps,
    rawRepsUs: rawReps,
    maxAbsDiff: diff,
  };
}

// ---- main -------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const machine = describeMachine();
  const ctx = await ml.createContext();
  const started = Date.now();
  const results: CaseResult[] = [];
  for (const spec of cases) {
    const p = await prepare(ctx, spec, opts);
    const otherLoad = watchOtherLoad();
    const result = await measure(p, opts);
    result.otherLoadCores = otherLoad();
    results.push(result);
    p.graph.destroy();
    await p.releaseRaw();
  }
  const seconds = (Date.now() - started) / 1e3;
  const backend = ctx.backend;
  ctx.destroy();

  const fmt = (x: number, d = 1): string => x.toFixed(d);
  console.log(`tsnn dispatch overhead vs raw onnxruntime-node (same ONNX model, same session options)`);
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.platform}; node ${machine.node}; onnxruntime-node ${machine.onnxruntime}; context: ${backend}`);
  console.log(`per step: tsnn = writeTensor(inputs) + dispatch + await readTensor(y); raw = new ort.Tensor(inputs) + await session.run + copy of y`);
  console.log(`raw session: ${opts.sharedSession ? 'the one tsnn compiled (--shared-session)' : 'its own, from the same ONNX bytes'}`);
  console.log(`median of ${opts.reps} alternating repetitions after ≥${opts.warmup} warm-up steps (≥150 ms) of each side\n`);
  const rows = [
    ['case', 'ONNX nodes', 'steps/rep', 'tsnn µs/step', 'raw ORT µs/step', 'overhead µs', 'tsnn/raw', '95% CI'],
    ...results.map((r) => [r.case, String(r.onnxNodes), String(r.iterationsPerRep), fmt(r.tsnnMedianUs), fmt(r.rawMedianUs),
      fmt(r.overheadUs), fmt(r.ratio, 3), `${fmt(r.ratioCI95[0], 3)}–${fmt(r.ratioCI95[1], 3)}`]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  console.log(`\n(${fmt(seconds)} s of measurement)`);
  const loaded = results.filter((r) => r.otherLoadCores !== undefined && r.otherLoadCores > 0.1);
  for (const r of loaded) {
    console.log(`warning: other processes kept ${r.otherLoadCores!.toFixed(2)} of ${machine.cores} cores busy while '${r.case}' ran; its figures are disturbed, rerun on an idle machine`);
  }
  if (opts.json) {
    console.log(JSON.stringify({ date: new Date().toISOString(), machine, backend, options: opts, results }, null, 2));
  }
  if (Number.isNaN(sink)) console.log('');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
