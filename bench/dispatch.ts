// Dispatch overhead: what a tsnn step (writeTensor + dispatch + readTensor) costs over running the very same ONNX
// model with onnxruntime-node directly (new ort.Tensor + session.run + copying the output out), for tsnn's two
// execution modes: 'inline' (sessions on the JavaScript thread) and 'worker' (the default: a worker thread per context).
//
// Usage: node --import tsx bench/dispatch.ts [--isolated] [--sides raw,inline,worker] [--cases 1-op,MLP,MLP-b8]
//          [--json] [--shared-session] [--reps N] [--rep-ms MS] [--warmup N] [--threads N]
//   (npm run bench:dispatch -- --isolated)
//
// For each case the graph is built through the public WebNN API; the ONNX model tsnn compiled is re-derived from the
// graph's IR with the backend's own lowering (lowerFor + encodeModel) and loaded into a raw ort.InferenceSession with
// the options the backend uses. Every side runs the same model on the same input, one step at a time (each step
// awaited before the next), in repetitions of N steps; the sides take turns, in an order that rotates and reverses
// from one repetition to the next (ABBA for two sides) so that drift spreads evenly. Reported: the median over
// repetitions of the per-step time of each side, its ratio to raw onnxruntime, and a 95% bootstrap interval of that
// ratio (resampling the repetitions).
//
// By default all sides share one process. On a machine with few cores their sessions' thread pools disturb each other
// when the benchmark switches between them (two identical raw sessions differ by up to ±20 %); --isolated runs each
// side in a process of its own, driven by this one over IPC (only the timed loops run there, so the IPC costs
// nothing that is measured). --shared-session (in one process) runs the raw side on the session tsnn's inline
// context compiled. --threads N gives every session (raw and tsnn's) N intra-op threads (TSNN_INTRA_OP_THREADS):
// on a machine shared with other work, single-threaded sessions do not stall in spinning thread pools, so the
// per-step overhead shows through the noise.
import { fork, type ChildProcess } from 'node:child_process';
import ort from 'onnxruntime-node';
import { ml, MLGraphBuilder, type MLContext, type MLOperand, type MLTensor } from '../src/index.js';
import { graphInternals } from '../src/api/graph.js';
import { INLINE_WORK_LIMIT, lowerFor, sessionOptions } from '../src/backends/onnxruntime/backend.js';
import { workOf } from '../src/backends/onnxruntime/cost.js';
import { encodeModel } from '../src/onnx/schema.js';
import { describeMachine, median, watchOtherLoad } from './support.js';

// ---- options ----------------------------------------------------------------------------------------------------

type Side = 'raw' | 'inline' | 'worker';
const SIDES: readonly Side[] = ['raw', 'inline', 'worker'];

interface Options {
  json: boolean;
  isolated: boolean;
  sharedSession: boolean;
  sides: Side[];
  cases: string[];
  reps: number;
  repMs: number;
  warmup: number;
  /** Internal: serve one side of one case to the parent process (--isolated). */
  serve?: { side: Side; case: string };
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { json: false, isolated: false, sharedSession: false, sides: [...SIDES], cases: cases.map((c) => c.name), reps: 21, repMs: 150, warmup: 20 };
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number (got ${String(v)})`);
    return n;
  };
  const list = <T extends string>(flag: string, v: string | undefined, allowed: readonly T[]): T[] => {
    const items = (v ?? '').split(',').filter(Boolean);
    for (const x of items) if (!allowed.includes(x as T)) throw new Error(`${flag}: '${x}' is not one of ${allowed.join(', ')}`);
    if (items.length === 0) throw new Error(`${flag} needs a comma-separated list of ${allowed.join(', ')}`);
    return items as T[];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') opts.json = true;
    else if (a === '--isolated') opts.isolated = true;
    else if (a === '--shared-session') opts.sharedSession = true;
    else if (a === '--sides') opts.sides = list(a, argv[++i], SIDES);
    else if (a === '--cases') opts.cases = list(a, argv[++i], cases.map((c) => c.name));
    else if (a === '--reps') opts.reps = Math.round(num(a, argv[++i]));
    else if (a === '--rep-ms') opts.repMs = num(a, argv[++i]);
    else if (a === '--warmup') opts.warmup = Math.round(num(a, argv[++i]));
    else if (a === '--threads') process.env.TSNN_INTRA_OP_THREADS = String(Math.round(num(a, argv[++i]))); // every side, child processes too
    else if (a === '--serve') {
      const [side, name] = (argv[++i] ?? '').split(':');
      opts.serve = { side: list('--serve', side, SIDES)[0]!, case: list('--serve', name, cases.map((c) => c.name))[0]! };
    } else if (a === '--help' || a === '-h') {
      console.log('usage: node --import tsx bench/dispatch.ts [--isolated] [--sides raw,inline,worker] [--cases 1-op,MLP,MLP-b8] [--json] [--shared-session] [--reps N (21)] [--rep-ms MS (150)] [--warmup N (20)] [--threads N]');
      process.exit(0);
    } else throw new Error(`unknown argument '${a}' (try --help)`);
  }
  if (!opts.sides.includes('raw')) throw new Error('--sides must include raw (the reference)');
  if (opts.sharedSession && (opts.isolated || !opts.sides.includes('inline'))) throw new Error('--shared-session needs the inline side in one process');
  return opts;
}

// ---- cases ------------------------------------------------------------------------------------------------------

const N = 256;

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
  /** Shape of every input and of the output 'y'. */
  shape: number[];
  /** Declares the inputs and ops on `b`; returns the output operand (named 'y'). */
  define(b: MLGraphBuilder): MLOperand;
  inputs: () => Record<string, Float32Array>;
}

/** `layers` × (matmul(h, W_i) → relu) over an input of `rows` × 256, W_i He-uniform [256,256] constants. */
function mlp(rows: number, layers: number): Pick<CaseSpec, 'shape' | 'define' | 'inputs'> {
  const desc = { dataType: 'float32', shape: [rows, N] } as const;
  return {
    shape: [rows, N],
    define: (b) => {
      let h = b.input('x', desc);
      const limit = Math.sqrt(6 / N); // He-uniform, so activations stay O(1) through the layers
      for (let i = 0; i < layers; i++) {
        const w = b.constant({ dataType: 'float32', shape: [N, N] }, randomArray(N * N, 100 + i, -limit, limit));
        h = b.relu(b.matmul(h, w));
      }
      return h;
    },
    inputs: () => ({ x: randomArray(rows * N, 3) }),
  };
}

const cases: CaseSpec[] = [
  {
    name: '1-op',
    description: 'add(a, b), a and b float32 [256,256] inputs',
    shape: [N, N],
    define: (b) => b.add(b.input('a', { dataType: 'float32', shape: [N, N] }), b.input('b', { dataType: 'float32', shape: [N, N] })),
    inputs: () => ({ a: randomArray(N * N, 1), b: randomArray(N * N, 2) }),
  },
  { name: 'MLP', description: '8 × (matmul → relu), x float32 [256,256], W_i [256,256] constants', ...mlp(N, 8) },
  { name: 'MLP-b8', description: '16 × (matmul → relu), x float32 [8,256] (batch 8), W_i [256,256] constants', ...mlp(8, 16) },
];

// ---- the sides --------------------------------------------------------------------------------------------------

type Step = () => Promise<Float32Array>;

interface Runner {
  step: Step;
  /** Number of ONNX nodes of the model (the same for every side). */
  onnxNodes: number;
  close(): Promise<void>;
}

/** A tsnn context of the given execution with the case's graph and tensors; a step is write + dispatch + read. */
async function tsnnRunner(spec: CaseSpec, execution: 'inline' | 'worker'): Promise<Runner & { ctx: MLContext; session?: ort.InferenceSession; bytes: Uint8Array; outputName: string }> {
  const ctx = await ml.createContext({ execution });
  const builder = new MLGraphBuilder(ctx);
  const graph = await builder.build({ y: spec.define(builder) });
  const desc = { dataType: 'float32', shape: spec.shape } as const;
  const inputs = spec.inputs();
  const inTensors: Record<string, MLTensor> = {};
  for (const name of Object.keys(inputs)) inTensors[name] = await ctx.createTensor({ ...desc, writable: true });
  const y = await ctx.createTensor({ ...desc, readable: true });
  const outTensors = { y };
  const writes = Object.entries(inputs).map(([name, data]) => [inTensors[name]!, data] as const);
  const step: Step = async () => {
    for (const [tensor, data] of writes) ctx.writeTensor(tensor, data);
    ctx.dispatch(graph, inTensors, outTensors);
    return new Float32Array(await ctx.readTensor(y));
  };
  const { model, outputNames } = lowerFor(graphInternals(graph)!.ir, 'cpu');
  // The inline context's own session (a private field of its compiled graph), for --shared-session.
  const session = (graphInternals(graph)!.compiled as unknown as { session?: ort.InferenceSession }).session;
  return {
    ctx, step, session, bytes: encodeModel(model), outputName: outputNames.get('y') ?? 'y', onnxNodes: model.graph.node.length,
    close: async () => ctx.destroy(),
  };
}

/** The same model in a raw ort.InferenceSession; a step is new ort.Tensor(inputs) + session.run + a copy of y. */
async function rawRunner(spec: CaseSpec, shared?: { session: ort.InferenceSession; outputName: string }): Promise<Runner> {
  let session = shared?.session;
  let outName = shared?.outputName;
  let onnxNodes = 0;
  if (!session) {
    const t = await tsnnRunner(spec, 'inline'); // only to derive the model tsnn compiles
    session = await ort.InferenceSession.create(t.bytes, sessionOptions('cpu'));
    outName = t.outputName;
    onnxNodes = t.onnxNodes;
    await t.close();
  }
  const inputs = spec.inputs();
  const names = Object.keys(inputs);
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const own = session;
  const step: Step = async () => {
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of names) feeds[name] = new ort.Tensor('float32', inputs[name]!, spec.shape);
    const results = await own.run(feeds);
    const out = new Float32Array(count); // readTensor hands back a copy; so does this side
    out.set(results[outName!]!.data as Float32Array);
    return out;
  };
  return { step, onnxNodes, close: async () => void (shared ? undefined : await own.release()) };
}

// ---- timing -----------------------------------------------------------------------------------------------------

let sink = 0; // keeps results observable

async function timeSteps(step: Step, iterations: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += (await step())[i & 7]!;
  return Number(process.hrtime.bigint() - t0) / 1e3 / iterations; // µs per step
}

async function warmUp(step: Step, minSteps: number): Promise<void> {
  const until = performance.now() + 150;
  for (let i = 0; i < minSteps || performance.now() < until; i++) await step();
}

/** Per-step µs of `step` over ~50 ms. */
async function probe(step: Step): Promise<number> {
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 50) {
    await step();
    steps++;
  }
  return ((performance.now() - t0) * 1e3) / steps;
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

// ---- a side, here or in a process of its own ---------------------------------------------------------------------

/** What the measuring loop needs of a side, wherever it runs. */
interface SideHandle {
  side: Side;
  /** The first output, for checking that every side computes the same. */
  output: Float32Array;
  onnxNodes: number;
  warmUp(): Promise<void>;
  probe(): Promise<number>;
  time(iterations: number): Promise<number>;
  close(): Promise<void>;
}

async function localSide(side: Side, runner: Runner, opts: Options): Promise<SideHandle> {
  return {
    side, output: await runner.step(), onnxNodes: runner.onnxNodes,
    warmUp: () => warmUp(runner.step, opts.warmup), probe: () => probe(runner.step), time: (n) => timeSteps(runner.step, n),
    close: () => runner.close(),
  };
}

type Request = { cmd: 'warmup' } | { cmd: 'probe' } | { cmd: 'time'; iterations: number } | { cmd: 'exit' };

/** Serves one side to the parent process (--serve side:case). */
async function serve(side: Side, spec: CaseSpec, opts: Options): Promise<void> {
  const runner = side === 'raw' ? await rawRunner(spec) : await tsnnRunner(spec, side);
  const nodes = runner.onnxNodes;
  const first = await runner.step();
  process.send!({ ready: true, output: [...first], onnxNodes: nodes });
  // Each reply carries the CPU time this process used since the previous one, so the parent can tell it from others'.
  let cpu0 = process.cpuUsage();
  const cpuUs = () => {
    const d = process.cpuUsage(cpu0);
    cpu0 = process.cpuUsage();
    return d.user + d.system;
  };
  process.on('message', (m: Request) => {
    void (async () => {
      if (m.cmd === 'warmup') process.send!({ us: (await warmUp(runner.step, opts.warmup)) ?? 0, cpuUs: cpuUs() });
      else if (m.cmd === 'probe') process.send!({ us: await probe(runner.step), cpuUs: cpuUs() });
      else if (m.cmd === 'time') process.send!({ us: await timeSteps(runner.step, m.iterations), cpuUs: cpuUs() });
      else {
        await runner.close();
        process.disconnect();
      }
    })();
  });
}

/** CPU time (µs) the side processes reported using, all together. */
let childCpuUs = 0;

async function remoteSide(side: Side, spec: CaseSpec, opts: Options): Promise<SideHandle> {
  const child: ChildProcess = fork(new URL(import.meta.url).pathname, ['--serve', `${side}:${spec.name}`, '--warmup', String(opts.warmup)], {
    execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(): Promise<T> => new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the ${side} process exited (code ${code})`));
    child.once('exit', onExit);
    child.once('message', (m) => {
      child.off('exit', onExit);
      resolve(m as T);
    });
  });
  const ready = await next<{ output: number[]; onnxNodes: number }>();
  const ask = async (req: Request): Promise<number> => {
    const reply = next<{ us: number; cpuUs: number }>();
    child.send(req);
    const r = await reply;
    childCpuUs += r.cpuUs;
    return r.us;
  };
  return {
    side, output: Float32Array.from(ready.output), onnxNodes: ready.onnxNodes,
    warmUp: async () => void (await ask({ cmd: 'warmup' })), probe: () => ask({ cmd: 'probe' }), time: (n) => ask({ cmd: 'time', iterations: n }),
    close: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ cmd: 'exit' });
      await exited;
    },
  };
}

// ---- measuring ----------------------------------------------------------------------------------------------------

interface SideResult {
  side: Side;
  medianUs: number;
  repsUs: number[];
  /** Against raw onnxruntime (undefined for raw). */
  ratio?: number;
  ratioCI95?: [number, number];
  overheadUs?: number;
}

interface CaseResult {
  case: string;
  description: string;
  /** Where the default execution ('auto') runs this case. */
  auto?: 'inline' | 'worker';
  onnxNodes: number;
  iterationsPerRep: number;
  reps: number;
  sides: SideResult[];
  maxAbsDiff: number;
  /** Average number of cores kept busy by other processes while this case was measured (Linux only). */
  otherLoadCores?: number;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** Where execution 'auto' puts the case's graph (the backend's own rule, on the graph's IR). */
async function autoChoice(spec: CaseSpec): Promise<'inline' | 'worker'> {
  const ctx = await ml.createContext({ execution: 'inline' });
  const b = new MLGraphBuilder(ctx);
  const graph = await b.build({ y: spec.define(b) });
  const work = workOf(graphInternals(graph)!.ir);
  ctx.destroy();
  return work < INLINE_WORK_LIMIT ? 'inline' : 'worker';
}

async function measure(spec: CaseSpec, handles: SideHandle[], opts: Options): Promise<CaseResult> {
  // Same answer from every side (same model, same input).
  const raw = handles.find((h) => h.side === 'raw')!;
  let diff = 0;
  for (const h of handles) diff = Math.max(diff, maxAbsDiff(h.output, raw.output));
  if (!(diff <= 1e-5)) throw new Error(`${spec.name}: the sides disagree (max |Δ| = ${diff})`);
  for (const h of handles) await h.warmUp();
  // Iterations per repetition: enough for ~repMs on the raw side.
  const iterations = Math.max(5, Math.round((opts.repMs * 1e3) / (await raw.probe())));
  const reps = new Map<Side, number[]>(handles.map((h) => [h.side, []]));
  for (let r = 0; r < opts.reps; r++) {
    // Rotate which side goes first, and reverse every other repetition: ABBA for two sides.
    const order = handles.map((_, i) => handles[(i + Math.floor(r / 2)) % handles.length]!);
    if (r % 2) order.reverse();
    for (const h of order) reps.get(h.side)!.push(await h.time(iterations));
  }
  const rawReps = reps.get('raw')!;
  const rawMedian = median(rawReps);
  return {
    case: spec.name, description: spec.description, onnxNodes: Math.max(...handles.map((h) => h.onnxNodes)), iterationsPerRep: iterations, reps: opts.reps,
    sides: handles.map((h) => {
      const repsUs = reps.get(h.side)!;
      const medianUs = median(repsUs);
      return h.side === 'raw' ? { side: h.side, medianUs, repsUs }
        : { side: h.side, medianUs, repsUs, ratio: medianUs / rawMedian, ratioCI95: ratioInterval(repsUs, rawReps), overheadUs: medianUs - rawMedian };
    }),
    maxAbsDiff: diff,
  };
}

async function openSides(spec: CaseSpec, opts: Options): Promise<SideHandle[]> {
  if (opts.isolated) return Promise.all(opts.sides.map((side) => remoteSide(side, spec, opts)));
  const handles: SideHandle[] = [];
  let inline: Awaited<ReturnType<typeof tsnnRunner>> | undefined;
  for (const side of opts.sides.filter((s) => s !== 'raw')) {
    const t = await tsnnRunner(spec, side as 'inline' | 'worker');
    if (side === 'inline') inline = t;
    handles.push(await localSide(side, t, opts));
  }
  const shared = opts.sharedSession && inline?.session ? { session: inline.session, outputName: inline.outputName } : undefined;
  if (opts.sharedSession && !shared) throw new Error('--shared-session: cannot find the inline graph\'s InferenceSession');
  const raw = await rawRunner(spec, shared);
  handles.unshift(await localSide('raw', { ...raw, onnxNodes: raw.onnxNodes || handles[0]?.onnxNodes || 0 }, opts));
  return handles;
}

// ---- main -------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.serve) return serve(opts.serve.side, cases.find((c) => c.name === opts.serve!.case)!, opts);
  const machine = describeMachine();
  const started = Date.now();
  const results: CaseResult[] = [];
  for (const spec of cases.filter((c) => opts.cases.includes(c.name))) {
    const handles = await openSides(spec, opts);
    try {
      const otherLoad = watchOtherLoad(() => childCpuUs);
      const result = await measure(spec, handles, opts);
      result.otherLoadCores = otherLoad();
      result.auto = await autoChoice(spec);
      results.push(result);
    } finally {
      for (const h of handles) await h.close();
    }
  }
  const seconds = (Date.now() - started) / 1e3;

  const fmt = (x: number, d = 1): string => x.toFixed(d);
  console.log('tsnn dispatch overhead vs raw onnxruntime-node (same ONNX model, same session options)');
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.platform}; node ${machine.node}; onnxruntime-node ${machine.onnxruntime}`);
  console.log('per step: tsnn = writeTensor(inputs) + dispatch + await readTensor(y); raw = new ort.Tensor(inputs) + await session.run + copy of y');
  console.log(`onnxruntime intra-op threads per session: ${process.env.TSNN_INTRA_OP_THREADS ?? 'default (one per core)'}`);
  console.log(`sides: ${opts.sides.join(', ')} (inline/worker = tsnn execution modes); ${opts.isolated ? 'each side in a process of its own (--isolated)' : opts.sharedSession ? 'one process, raw on the inline side\'s session (--shared-session)' : 'one process, each side with its own session'}`);
  console.log(`median of ${opts.reps} repetitions in rotating order, after ≥${opts.warmup} warm-up steps (≥150 ms) of each side\n`);
  const rows = [['case', 'ONNX nodes', 'steps/rep', 'side', 'µs/step', 'overhead µs', '/raw', '95% CI']];
  for (const r of results) {
    for (const s of r.sides) {
      rows.push([r.case, String(r.onnxNodes), String(r.iterationsPerRep), s.side, fmt(s.medianUs),
        s.overheadUs === undefined ? '' : fmt(s.overheadUs), s.ratio === undefined ? '' : fmt(s.ratio, 3),
        s.ratioCI95 ? `${fmt(s.ratioCI95[0], 3)}–${fmt(s.ratioCI95[1], 3)}` : '']);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c === 0 || c === 3 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  console.log(`\ndefault execution 'auto' runs ${results.map((r) => `${r.case} ${r.auto}`).join(', ')}`);
  console.log(`(${fmt(seconds)} s of measurement)`);
  for (const r of results.filter((x) => x.otherLoadCores !== undefined && x.otherLoadCores > 0.1)) {
    console.log(`warning: other processes kept ${r.otherLoadCores!.toFixed(2)} of ${machine.cores} cores busy while '${r.case}' ran; its figures are disturbed, rerun on an idle machine`);
  }
  if (opts.json) console.log(JSON.stringify({ date: new Date().toISOString(), machine, options: opts, results }, null, 2));
  if (Number.isNaN(sink)) console.log('');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
