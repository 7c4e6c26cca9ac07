// Flexible inputs: what one graph with a dynamic sequence length saves over the two static ways to serve lengths
// 1…N (default 256).
//
// Usage: node --import tsx bench/flexible.ts [--max N] [--rounds R] [--json]   (npm run bench:flexible)
//
// The model is position-wise, so every strategy computes exactly the same rows:
//   x[1, L, 256] → matmul W1[256, 1024] → relu → matmul W2[1024, 256] → softmax(axis 2)
// Strategies, each serving every length L = 1…N once, in order, and timed as a whole (builds included):
//   dynamic  one graph with x[1, {L ≤ N}, 256], built once; each length: writeTensor + dispatch with
//            inputShapes/outputShapes + readTensor, on tensors created once for the maximum size.
//   rebuild  per length, a static graph for [1, L, 256]: build + createTensor ×2 + writeTensor + dispatch +
//            readTensor, then the graph and tensors are destroyed.
//   padded   one static graph for [1, N, 256], built once; each length: the input zero-padded to N rows, written,
//            dispatched, read; the first L rows are the answer.
// Before timing, the three are checked to agree at a few lengths. Rounds run the strategies in rotating order;
// the reported figure per strategy is the median total over rounds. Other processes' CPU use during the run is
// reported (from /proc/stat) so a disturbed run can be recognised.
import { ml, MLGraphBuilder, type MLContext, type MLGraph } from '../src/index.js';
import { describeMachine, median, watchOtherLoad } from './support.js';

const D = 256;
const H = 1024;

interface Options { max: number; rounds: number; json: boolean }

function parseArgs(argv: string[]): Options {
  const opts: Options = { max: 256, rounds: 3, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') opts.json = true;
    else if (a === '--max' || a === '--rounds') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${a} needs a positive integer`);
      if (a === '--max') opts.max = v;
      else opts.rounds = v;
    } else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

const W1 = values(D * H, 1);
const W2 = values(H * D, 2);

async function buildModel(context: MLContext, length: number | { name: string; maxSize: number }): Promise<MLGraph> {
  const b = new MLGraphBuilder(context);
  const x = b.input('x', { dataType: 'float32', shape: [1, length, D] });
  const w1 = b.constant({ dataType: 'float32', shape: [D, H] }, W1);
  const w2 = b.constant({ dataType: 'float32', shape: [H, D] }, W2);
  return b.build({ y: b.softmax(b.matmul(b.relu(b.matmul(x, w1)), w2), 2) });
}

/** Serves every length 1…max once; `onResult` sees each length's output rows (for the agreement check). */
type Strategy = (context: MLContext, inputs: Float32Array[], onResult?: (L: number, rows: Float32Array) => void) => Promise<void>;

const strategies: Record<string, Strategy> = {
  async dynamic(context, inputs, onResult) {
    const max = inputs.length;
    const graph = await buildModel(context, { name: 'L', maxSize: max });
    const x = await context.createTensor({ dataType: 'float32', shape: [1, max, D], writable: true });
    const y = await context.createTensor({ dataType: 'float32', shape: [1, max, D], readable: true });
    const staging = new Float32Array(max * D);
    for (let L = 1; L <= max; L++) {
      staging.set(inputs[L - 1]!);
      context.writeTensor(x, staging);
      context.dispatch(graph, { x }, { y }, { inputShapes: { x: [1, L, D] }, outputShapes: { y: [1, L, D] } });
      const out = new Float32Array(await context.readTensor(y), 0, L * D);
      onResult?.(L, out);
    }
    graph.destroy();
    x.destroy();
    y.destroy();
  },
  async rebuild(context, inputs, onResult) {
    for (let L = 1; L <= inputs.length; L++) {
      const graph = await buildModel(context, L);
      const x = await context.createTensor({ dataType: 'float32', shape: [1, L, D], writable: true });
      const y = await context.createTensor({ dataType: 'float32', shape: [1, L, D], readable: true });
      context.writeTensor(x, inputs[L - 1]!);
      context.dispatch(graph, { x }, { y });
      const out = new Float32Array(await context.readTensor(y));
      onResult?.(L, out);
      graph.destroy();
      x.destroy();
      y.destroy();
    }
  },
  async padded(context, inputs, onResult) {
    const max = inputs.length;
    const graph = await buildModel(context, max);
    const x = await context.createTensor({ dataType: 'float32', shape: [1, max, D], writable: true });
    const y = await context.createTensor({ dataType: 'float32', shape: [1, max, D], readable: true });
    const staging = new Float32Array(max * D);
    for (let L = 1; L <= max; L++) {
      staging.fill(0);
      staging.set(inputs[L - 1]!);
      context.writeTensor(x, staging);
      context.dispatch(graph, { x }, { y });
      const out = new Float32Array(await context.readTensor(y), 0, L * D);
      onResult?.(L, out);
    }
    graph.destroy();
    x.destroy();
    y.destroy();
  },
};

/** The strategies' outputs at a few lengths must agree before their times mean anything. */
async function checkAgreement(context: MLContext, inputs: Float32Array[]): Promise<number> {
  const probe = new Set([1, 2, Math.ceil(inputs.length / 2), inputs.length]);
  const seen = new Map<number, Float32Array>();
  let maxDiff = 0;
  for (const run of Object.values(strategies)) {
    await run(context, inputs, (L, rows) => {
      if (!probe.has(L)) return;
      const first = seen.get(L);
      if (!first) seen.set(L, Float32Array.from(rows));
      else for (let i = 0; i < rows.length; i++) maxDiff = Math.max(maxDiff, Math.abs(rows[i]! - first[i]!));
    });
  }
  if (!(maxDiff < 1e-5)) throw new Error(`strategies disagree: max |Δ| = ${maxDiff}`);
  return maxDiff;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const machine = describeMachine();
  const context = await ml.createContext();
  const inputs = Array.from({ length: opts.max }, (_, i) => values((i + 1) * D, 100 + i));
  const maxAbsDiff = await checkAgreement(context, inputs);
  const names = Object.keys(strategies);
  const totals: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const otherLoad = watchOtherLoad();
  for (let r = 0; r < opts.rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length]!;
      const start = performance.now();
      await strategies[name]!(context, inputs);
      totals[name]!.push(performance.now() - start);
    }
  }
  const otherLoadCores = otherLoad();

  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.platform}; node ${machine.node}; onnxruntime-node ${machine.onnxruntime}; context: ${context.backend}`);
  console.log(`lengths 1…${opts.max}, ${opts.rounds} rounds; strategies agree (max |Δ| ${maxAbsDiff.toExponential(1)})`);
  for (const name of names) {
    const t = totals[name]!;
    console.log(`${name.padEnd(8)} total ${median(t).toFixed(0).padStart(7)} ms  (rounds: ${t.map((x) => x.toFixed(0)).join(', ')} ms)`);
  }
  if (otherLoadCores !== undefined) {
    const note = otherLoadCores > 0.1 ? ' — figures disturbed by other jobs; rerun when the machine is idle' : '';
    console.log(`other processes kept ${otherLoadCores.toFixed(2)} of ${machine.cores} cores busy${note}`);
  }
  if (opts.json) {
    console.log(JSON.stringify({ date: new Date().toISOString(), machine, backend: context.backend, options: opts, totalsMs: totals, otherLoadCores }, null, 2));
  }
}

await main();
