// Cost of the accurate activation lowerings: onnxruntime-node running the ONNX model tsnn lowers an activation to
// (e.g. sigmoid as exp(min(x, 0))·Sigmoid(|x|)) against the same activation as one plain ONNX node (Sigmoid), on a
// float32 tensor of 2^20 elements (--size: e.g. 4096 shows the per-node cost on a decode step's small tensors).
//
// Usage: node --import tsx bench/activations.ts [--ops sigmoid,gelu,...] [--size N] [--rounds N] [--runs N] [--threads N]
//          [--json]
//   (npm run bench:activations -- --ops gelu)
//
// --threads N sets onnxruntime's intra-op thread count (default: the backend's, i.e. onnxruntime's default). On a
// machine whose cores other processes keep busy, a thread pool's workers wait on each other and times scatter by
// 10×; one thread measures the per-element cost of the lowering without that.
//
// Each side runs in a process of its own (two sessions in one process disturb each other on few cores); the
// processes alternate ABBA over --rounds rounds per side. A process loads one model into a raw
// ort.InferenceSession with the backend's session options, warms up, and times --runs session.run calls on the same
// input; its median is one sample. Reported per op: the median and range of those samples for each side, the
// ratio of the medians; then, less sensitive to other processes, the median over processes of each one's fastest
// run, and of its kernel time (per node, the fastest of 20 profiled runs, summed over the nodes), with their ratios.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { ml, MLGraphBuilder, type MLOperand } from '../src/index.js';
import { graphInternals } from '../src/api/graph.js';
import { lowerToOnnx } from '../src/backends/onnxruntime/lower.js';
import { sessionOptions } from '../src/backends/onnxruntime/backend.js';
import { Emitter, float } from '../src/backends/onnxruntime/emitter.js';
import { encodeModel, type OnnxModel } from '../src/onnx/schema.js';
import { describeMachine, median, watchOtherLoad } from './support.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};
/** Elements of the input (--size; default 2^20). */
const LENGTH = Number(flag('--size') ?? 1 << 20);

interface OpSpec {
  /** The WebNN op on the input x. */
  webnn: (b: MLGraphBuilder, x: MLOperand) => MLOperand;
  /** The plain ONNX form (what the lowering emitted before it was made accurate). */
  plain: (e: Emitter) => void;
}

const OPS: Record<string, OpSpec> = {
  sigmoid: { webnn: (b, x) => b.sigmoid(x), plain: (e) => void e.node('Sigmoid', ['x'], ['y']) },
  gelu: { webnn: (b, x) => b.gelu(x), plain: (e) => void e.node('Gelu', ['x'], ['y']) },
  elu: { webnn: (b, x) => b.elu(x), plain: (e) => void e.node('Elu', ['x'], ['y'], { alpha: float(1) }) },
  hardSwish: { webnn: (b, x) => b.hardSwish(x), plain: (e) => void e.node('HardSwish', ['x'], ['y']) },
};

function onnxModel(build: (e: Emitter) => void): OnnxModel {
  const e = new Emitter('_');
  build(e);
  const value = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: LENGTH }] } } } });
  return {
    irVersion: 10, opsetImport: [{ domain: '', version: 21 }], producerName: 'bench', producerVersion: '0',
    graph: { name: 'plain', node: e.nodes, initializer: e.initializers, input: [value('x')], output: [value('y')] },
  };
}

/** The model tsnn compiles for the op, renamed to input x and output y. */
async function loweredModel(op: OpSpec): Promise<OnnxModel> {
  const ctx = await ml.createContext();
  const b = new MLGraphBuilder(ctx);
  const graph = await b.build({ y: op.webnn(b, b.input('x', { dataType: 'float32', shape: [LENGTH] })) });
  const { model, outputNames } = lowerToOnnx(graphInternals(graph)!.ir);
  if ((outputNames.get('y') ?? 'y') !== 'y') throw new Error('unexpected output name');
  graph.destroy();
  ctx.destroy();
  return model;
}

/** Uniform over [-10, 10): both tails and the middle (mulberry32, fixed seed). */
function input(): Float32Array {
  let s = 7;
  return Float32Array.from({ length: LENGTH }, () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return -10 + 20 * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  });
}

// ---- child: time one side ---------------------------------------------------------------------------------------

async function child(opName: string, side: 'lowered' | 'plain', runs: number, threads: number | undefined): Promise<void> {
  const op = OPS[opName]!;
  const model = side === 'lowered' ? await loweredModel(op) : onnxModel(op.plain);
  const options = { ...sessionOptions('cpu'), ...(threads ? { intraOpNumThreads: threads } : {}) };
  const session = await ort.InferenceSession.create(encodeModel(model), options);
  const feeds = { x: new ort.Tensor('float32', input(), [LENGTH]) };
  const until = performance.now() + 300;
  for (let i = 0; i < 5 || performance.now() < until; i++) await session.run(feeds);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const y = (await session.run(feeds)).y!.data as Float32Array;
  await session.release();
  const kernelUs = await kernelTime(encodeModel(model), options, feeds);
  console.log(JSON.stringify({ medianMs: median(ms), minMs: Math.min(...ms), kernelUs, nodes: model.graph.node.length, y: Array.from(y.subarray(0, 4096)) }));
}

/**
 * The sum over the model's nodes of each node's fastest kernel time in 20 profiled runs (onnxruntime's profiler):
 * the work itself, which other processes on the machine disturb much less than wall time.
 */
async function kernelTime(bytes: Uint8Array, options: ort.InferenceSession.SessionOptions, feeds: Record<string, ort.Tensor>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tsnn-bench-'));
  try {
    const session = await ort.InferenceSession.create(bytes, { ...options, enableProfiling: true, profileFilePrefix: join(dir, 'p') });
    for (let i = 0; i < 20; i++) await session.run(feeds);
    await session.endProfiling();
    await session.release();
    const events: { cat: string; name: string; dur: number }[] = [];
    for (const f of readdirSync(dir)) events.push(...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as typeof events));
    const fastest = new Map<string, number>();
    for (const ev of events) {
      if (ev.cat !== 'Node' || !ev.name.endsWith('_kernel_time')) continue;
      fastest.set(ev.name, Math.min(fastest.get(ev.name) ?? Infinity, ev.dur));
    }
    return [...fastest.values()].reduce((a, b) => a + b, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- parent: alternate the sides --------------------------------------------------------------------------------

interface Sample { medianMs: number; minMs: number; kernelUs: number; nodes: number; y: number[] }

function runChild(op: string, side: string, runs: number, threads: number | undefined): Sample {
  const script = fileURLToPath(import.meta.url);
  const args = ['--import', 'tsx', script, '--child', op, side, '--runs', String(runs), '--size', String(LENGTH),
    ...(threads ? ['--threads', String(threads)] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${op}/${side} child failed: ${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Sample;
}

async function main(): Promise<void> {
  if (!(Number.isInteger(LENGTH) && LENGTH >= 4096)) throw new Error('--size needs an integer of at least 4096');
  const runs = Number(flag('--runs') ?? Math.min(2000, Math.max(30, Math.round((30 * 2 ** 20) / LENGTH / 16))));
  const threads = flag('--threads') === undefined ? undefined : Number(flag('--threads'));
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new Error('--threads needs a positive integer');
  if (argv[0] === '--child') return child(argv[1]!, argv[2] as 'lowered' | 'plain', runs, threads);
  const ops = (flag('--ops') ?? Object.keys(OPS).join(',')).split(',');
  for (const op of ops) if (!(op in OPS)) throw new Error(`unknown op '${op}' (one of ${Object.keys(OPS).join(', ')})`);
  const rounds = Number(flag('--rounds') ?? 6);
  if (!(Number.isInteger(rounds) && rounds >= 1 && Number.isInteger(runs) && runs >= 1)) throw new Error('--rounds and --runs need positive integers');

  const machine = describeMachine();
  console.log(`accurate activation lowerings vs the plain ONNX op: float32 [${LENGTH}] input uniform in [-10, 10)`);
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.platform}; node ${machine.node}; onnxruntime-node ${machine.onnxruntime}`);
  console.log(`each sample: median of ${runs} session.run calls in a fresh process; ${rounds} samples per side, ABBA; intra-op threads: ${threads ?? 'onnxruntime default'}\n`);
  const header = ['op', 'nodes', 'plain ms (range)', 'lowered ms (range)', 'lowered/plain', 'fastest runs: plain, lowered ms', 'ratio',
    'kernels: plain, lowered ms', 'ratio'];
  console.log(header.join(' | '));
  const results = [];
  for (const op of ops) {
    const load = watchOtherLoad();
    const samples: Record<'lowered' | 'plain', Sample[]> = { lowered: [], plain: [] };
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? (['plain', 'lowered'] as const) : (['lowered', 'plain'] as const);
      for (const side of order) samples[side].push(runChild(op, side, runs, threads));
    }
    const otherLoad = load();
    // Sanity: the two sides compute the same function (where |y| ≥ 0.05: in the tails the plain op is the inaccurate one).
    const a = samples.lowered[0]!.y;
    const b = samples.plain[0]!.y;
    let worst = 0;
    for (let i = 0; i < a.length; i++) if (Math.abs(b[i]!) >= 0.05) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.abs(b[i]!));
    const stat = (s: Sample[]) => {
      const m = s.map((x) => x.medianMs);
      return { median: median(m), min: Math.min(...m), max: Math.max(...m), fastest: median(s.map((x) => x.minMs)), kernelMs: median(s.map((x) => x.kernelUs)) / 1e3 };
    };
    const lowered = stat(samples.lowered);
    const plain = stat(samples.plain);
    const fmt = (s: { median: number; min: number; max: number }) => `${s.median.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
    console.log([op, `${samples.plain[0]!.nodes} → ${samples.lowered[0]!.nodes}`, fmt(plain), fmt(lowered), (lowered.median / plain.median).toFixed(2),
      `${plain.fastest.toFixed(2)}, ${lowered.fastest.toFixed(2)}`, (lowered.fastest / plain.fastest).toFixed(2),
      `${plain.kernelMs.toFixed(3)}, ${lowered.kernelMs.toFixed(3)}`, (lowered.kernelMs / plain.kernelMs).toFixed(2)].join(' | '));
    if (otherLoad !== undefined && otherLoad > 0.1) console.log(`  warning: other processes kept ${otherLoad.toFixed(2)} cores busy meanwhile; rerun on an idle machine`);
    if (!(worst < 1e-5)) throw new Error(`${op}: the sides disagree (relative difference ${worst.toExponential(2)} where |y| ≥ 0.05)`);
    results.push({ op, lowered, plain, ratio: lowered.median / plain.median, otherLoadCores: otherLoad });
  }
  if (argv.includes('--json')) console.log(JSON.stringify({ date: new Date().toISOString(), machine, rounds, runs, threads, results }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
