// Event-loop lag during a long dispatch, for each execution mode: while a graph computes for ~150 ms, a timer due
// every 5 ms (at fixed times, so that one late tick does not delay the next) counts how many of its ticks ran and
// how late they were. With execution 'worker' (and 'auto', which puts such a graph in the worker) the JavaScript
// thread is free; with 'inline' it is blocked for the whole computation.
//
// Usage: node --import tsx bench/event-loop.ts [--runs N (9)] [--ms MS (150)] [--json]
import { ml, MLGraphBuilder, type MLContext, type MLGraph, type MLTensor } from '../src/index.js';
import { describeMachine, median, watchOtherLoad } from './support.js';

const N = 512;
const desc = { dataType: 'float32', shape: [N, N] } as const;
type Mode = 'auto' | 'worker' | 'inline';
const MODES: Mode[] = ['auto', 'worker', 'inline'];

interface Step { ctx: MLContext; graph: MLGraph; x: MLTensor; y: MLTensor }

async function prepare(mode: Mode, layers: number): Promise<Step> {
  const ctx = await ml.createContext({ execution: mode });
  const b = new MLGraphBuilder(ctx);
  const w = b.constant(desc, new Float32Array(N * N).fill(1 / N));
  let h = b.input('x', desc);
  for (let i = 0; i < layers; i++) h = b.matmul(h, w);
  const graph = await b.build({ y: h });
  const x = await ctx.createTensor({ ...desc, writable: true });
  const y = await ctx.createTensor({ ...desc, readable: true });
  ctx.writeTensor(x, new Float32Array(N * N).fill(1));
  return { ctx, graph, x, y };
}

async function dispatchOnce(s: Step): Promise<number> {
  const t0 = performance.now();
  s.ctx.dispatch(s.graph, { x: s.x }, { y: s.y });
  await s.ctx.readTensor(s.y);
  return performance.now() - t0;
}

/** One dispatch under a 5 ms timer: the share of due ticks that ran, and their lateness (ms). */
async function underTimer(s: Step): Promise<{ ms: number; rate: number; lags: number[] }> {
  const lags: number[] = [];
  let stopped = false;
  const t0 = performance.now();
  const tick = (k: number) => {
    if (stopped) return;
    lags.push(performance.now() - (t0 + 5 * k));
    setTimeout(() => tick(k + 1), Math.max(0, t0 + 5 * (k + 1) - performance.now()));
  };
  setTimeout(() => tick(1), 5);
  const ms = await dispatchOnce(s);
  stopped = true;
  return { ms, rate: lags.length / Math.floor(ms / 5), lags };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (flag: string, d: number) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : d);
  const runs = arg('--runs', 9);
  const target = arg('--ms', 150);
  // Layers for a ~target ms dispatch, from the time of a short graph on the worker.
  const probe = await prepare('worker', 8);
  await dispatchOnce(probe);
  const per = Math.min(await dispatchOnce(probe), await dispatchOnce(probe)) / 8;
  probe.ctx.destroy();
  const layers = Math.max(8, Math.round(target / per));
  const steps = new Map<Mode, Step>();
  for (const mode of MODES) {
    const s = await prepare(mode, layers);
    await dispatchOnce(s);
    steps.set(mode, s);
  }
  const results = new Map<Mode, { ms: number; rate: number; lags: number[] }[]>(MODES.map((m) => [m, []]));
  const otherLoad = watchOtherLoad();
  for (let r = 0; r < runs; r++) {
    const order = r % 2 ? [...MODES].reverse() : MODES;
    for (const mode of order) results.get(mode)!.push(await underTimer(steps.get(mode)!));
  }
  const load = otherLoad();
  for (const s of steps.values()) s.ctx.destroy();
  const machine = describeMachine();
  console.log(`event-loop lag during a dispatch of ${layers} × matmul [${N},${N}] (a 5 ms timer due at fixed times)`);
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.platform}; node ${machine.node}; onnxruntime-node ${machine.onnxruntime}`);
  console.log(`medians over ${runs} dispatches per mode, modes alternating\n`);
  const rows = [['execution', 'dispatch ms', 'ticks run', 'median lag ms', 'max lag ms']];
  const summary: Record<string, unknown> = {};
  for (const mode of MODES) {
    const rs = results.get(mode)!;
    const row = {
      dispatchMs: median(rs.map((x) => x.ms)),
      tickRate: median(rs.map((x) => x.rate)),
      medianLagMs: median(rs.map((x) => (x.lags.length ? median(x.lags) : x.ms))),
      maxLagMs: median(rs.map((x) => (x.lags.length ? Math.max(...x.lags) : x.ms))),
    };
    summary[mode] = row;
    rows.push([mode, row.dispatchMs.toFixed(0), `${(100 * row.tickRate).toFixed(0)} %`, row.medianLagMs.toFixed(1), row.maxLagMs.toFixed(1)]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  if (load !== undefined) console.log(`\nother processes kept ${load.toFixed(2)} of ${machine.cores} cores busy meanwhile`);
  if (args.includes('--json')) console.log(JSON.stringify({ date: new Date().toISOString(), machine, layers, runs, otherLoadCores: load, summary }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
