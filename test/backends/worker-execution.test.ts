// Computation off the JavaScript thread: with the default execution ('auto'), a graph with a long step runs in the
// context's worker thread — timers keep firing during its dispatch, two contexts compute at the same time, a
// program with work in flight ends only after it — while a graph with small steps runs inline; 'worker' puts every
// graph in the worker and 'inline' none.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { ml, MLGraphBuilder, type MLContext, type MLGraph, type MLTensor } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const N = 512;
const desc = { dataType: 'float32', shape: [N, N] } as const;

interface Step { graph: MLGraph; x: MLTensor; y: MLTensor; layers: number }

/** A chain of `layers` N×N matmuls by one constant (weights 1/N keep every value at 1), with its tensors. */
async function prepare(ctx: MLContext, layers: number): Promise<Step> {
  const b = new MLGraphBuilder(ctx);
  const w = b.constant(desc, new Float32Array(N * N).fill(1 / N));
  let h = b.input('x', desc);
  for (let i = 0; i < layers; i++) h = b.matmul(h, w);
  const graph = await b.build({ y: h });
  const x = await ctx.createTensor({ ...desc, writable: true });
  const y = await ctx.createTensor({ ...desc, readable: true });
  ctx.writeTensor(x, new Float32Array(N * N).fill(1));
  return { graph, x, y, layers };
}

/** One dispatch and its read; resolves with the time it took (ms) and checks the result (all ones). */
async function step(ctx: MLContext, s: Step): Promise<number> {
  const t0 = performance.now();
  ctx.dispatch(s.graph, { x: s.x }, { y: s.y });
  const y = new Float32Array(await ctx.readTensor(s.y));
  const ms = performance.now() - t0;
  assert.ok(Math.abs(y[0]! - 1) < 1e-3 && Math.abs(y[y.length - 1]! - 1) < 1e-3, `result ${y[0]}`);
  return ms;
}

/** A step whose dispatch takes `ms` or more here: layers scaled by the time measured, a few tries at most. */
async function calibrated(ctx: MLContext, ms: number): Promise<{ s: Step; duration: number }> {
  let layers = 8;
  for (let attempt = 0; ; attempt++) {
    const s = await prepare(ctx, layers);
    await step(ctx, s);
    const duration = Math.min(await step(ctx, s), await step(ctx, s));
    if (duration >= ms || attempt === 3) return { s, duration };
    s.graph.destroy();
    layers = Math.min(400, Math.ceil((layers * 1.5 * ms) / duration));
  }
}

/**
 * How many ticks of a 5 ms timer ran during one dispatch, as a fraction of the ticks due, and the worst lateness.
 * The timer is due at fixed times (start + 5 ms · k), so a tick that runs late does not push the later ones back:
 * what is measured is whether the event loop gets to run, not how setInterval accumulates drift under load.
 */
async function timerRateDuring(ctx: MLContext, s: Step): Promise<{ rate: number; ms: number; maxLag: number }> {
  let fired = 0;
  let maxLag = 0;
  let stopped = false;
  const t0 = performance.now();
  const tick = (k: number) => {
    if (stopped) return;
    fired++;
    maxLag = Math.max(maxLag, performance.now() - (t0 + 5 * k));
    setTimeout(() => tick(k + 1), Math.max(0, t0 + 5 * (k + 1) - performance.now()));
  };
  setTimeout(() => tick(1), 5);
  try {
    const ms = await step(ctx, s);
    return { rate: fired / Math.floor(ms / 5), ms, maxLag };
  } finally {
    stopped = true;
  }
}

describe('execution in a worker thread', () => {
  test('a 5 ms timer keeps firing at ≥ 80 % of its rate during a ≥ 150 ms dispatch (and does not with execution: inline)', async (t) => {
    const worker = await ml.createContext(); // 'auto': this graph is large enough for the worker
    const inline = await ml.createContext({ execution: 'inline' });
    try {
      assert.match(worker.backend, /large graphs on a worker thread \(cpu\)$/);
      assert.match(inline.backend, /^onnxruntime-node \S+ \(cpu\)$/);
      const { s } = await calibrated(worker, 200);
      const w = await timerRateDuring(worker, s);
      assert.ok(w.ms >= 100, `the dispatch took ${w.ms.toFixed(0)} ms`);
      assert.ok(w.rate >= 0.8, `worker: the timer fired at ${(100 * w.rate).toFixed(0)} % of its rate during a ${w.ms.toFixed(0)} ms dispatch`);
      const si = await prepare(inline, s.layers);
      await step(inline, si);
      const i = await timerRateDuring(inline, si);
      assert.ok(i.rate < 0.5, `inline: the timer fired at ${(100 * i.rate).toFixed(0)} % of its rate during a ${i.ms.toFixed(0)} ms dispatch`);
      t.diagnostic(`worker: timer at ${(100 * w.rate).toFixed(0)} % of its rate during a ${w.ms.toFixed(0)} ms dispatch (latest tick ${w.maxLag.toFixed(1)} ms late); inline: ${(100 * i.rate).toFixed(0)} % during ${i.ms.toFixed(0)} ms`);
    } finally {
      worker.destroy();
      inline.destroy();
    }
  });

  test('two contexts compute at the same time: their dispatches finish together, not one after the other', async (t) => {
    const a = await ml.createContext();
    const b = await ml.createContext();
    try {
      const { s: sa, duration } = await calibrated(a, 150);
      const sb = await prepare(b, sa.layers);
      await step(b, sb);
      // Best of three tries: on a loaded machine one try can be disturbed by other programs.
      const tries: number[][] = [];
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now();
        tries.push(await Promise.all([step(a, sa).then(() => performance.now() - t0), step(b, sb).then(() => performance.now() - t0)]));
      }
      const gaps = tries.map((done) => Math.abs(done[0]! - done[1]!) / Math.min(...done));
      t.diagnostic(`one dispatch alone: ${duration.toFixed(0)} ms; two contexts at once finished at ${tries.map((d) => d.map((x) => x.toFixed(0)).join(' and ')).join(', ')} ms`);
      // One after the other, the second would finish a whole dispatch after the first.
      assert.ok(Math.min(...gaps) < 0.5, `finished apart by ${gaps.map((g) => g.toFixed(2)).join(', ')} of the earlier one's time`);
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  test('destroying a context while its worker computes: pending reads reject, the computation finishes, nothing aborts', async () => {
    const ctx = await ml.createContext();
    const { s } = await calibrated(ctx, 50);
    ctx.dispatch(s.graph, { x: s.x }, { y: s.y });
    const read = ctx.readTensor(s.y);
    ctx.destroy();
    await assert.rejects(read, (e: unknown) => e instanceof DOMException && e.name === 'InvalidStateError');
    assert.deepEqual(await ctx.lost, { message: 'MLContext.destroy() was called' });
    await new Promise((r) => setTimeout(r, 300)); // the worker finishes and ends by itself
  });

  test('process.exit() while the worker computes waits for the computation instead of aborting', () => {
    const script = `
      import { ml, MLGraphBuilder } from './src/index.js';
      const ctx = await ml.createContext({ execution: 'worker' });
      const b = new MLGraphBuilder(ctx);
      const d = { dataType: 'float32', shape: [${N}, ${N}] };
      const w = b.constant(d, new Float32Array(${N * N}).fill(1 / ${N}));
      let h = b.input('x', d);
      for (let i = 0; i < 80; i++) h = b.matmul(h, w);
      const g = await b.build({ y: h });
      const x = await ctx.createTensor({ ...d, writable: true });
      const y = await ctx.createTensor({ ...d, readable: true });
      ctx.dispatch(g, { x }, { y });
      setTimeout(() => process.exit(3), 30);
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.stderr, ''); // not "terminate called after throwing an instance of 'Napi::Error'"
    assert.equal(r.signal, null);
    assert.equal(r.status, 3);
  });

  test('a program that leaves a dispatch in flight ends after it, with exit code 0', () => {
    const script = `
      import { ml, MLGraphBuilder } from './src/index.js';
      const ctx = await ml.createContext();
      const b = new MLGraphBuilder(ctx);
      const d = { dataType: 'float32', shape: [${N}, ${N}] };
      let h = b.input('x', d);
      for (let i = 0; i < 8; i++) h = b.matmul(h, b.constant(d, new Float32Array(${N * N}).fill(1)));
      const g = await b.build({ y: h });
      const x = await ctx.createTensor({ ...d, writable: true });
      const y = await ctx.createTensor({ ...d, readable: true });
      ctx.dispatch(g, { x }, { y });
      ctx.readTensor(y).then(() => console.log('read done'));
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim(), 'read done');
  });

  test('auto runs a graph with small steps inline and one with large steps in the worker; worker runs both there', async () => {
    const { graphInternals } = await import('../../src/api/graph.js');
    const where = (g: MLGraph) => graphInternals(g)!.compiled.constructor.name;
    const auto = await ml.createContext();
    const worker = await ml.createContext({ execution: 'worker' });
    try {
      for (const [ctx, small, large] of [[auto, 'OrtGraph', 'WorkerGraph'], [worker, 'WorkerGraph', 'WorkerGraph']] as const) {
        const s = await prepare(ctx, 1); // one 512³ matmul: 134 M multiply-adds
        assert.equal(where(s.graph), large);
        const b = new MLGraphBuilder(ctx);
        const g = await b.build({ y: b.relu(b.input('x', { dataType: 'float32', shape: [8, 256] })) });
        assert.equal(where(g), small);
        const { y } = await ctx.compute(g, { x: new Float32Array(8 * 256).fill(-2) });
        assert.deepEqual(new Set(y!.data as Float32Array), new Set([0]));
        assert.equal(await step(ctx, s) > 0, true);
      }
    } finally {
      auto.destroy();
      worker.destroy();
    }
  });

  test('execution must be auto, worker or inline', async () => {
    await assert.rejects(ml.createContext({ execution: 'thread' as never }), (e: unknown) => e instanceof TypeError && /execution 'thread' is not one of auto, worker, inline/.test((e as Error).message));
  });
});
