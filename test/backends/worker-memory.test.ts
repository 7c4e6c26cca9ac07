// Tensor memory in the worker thread: a tensor a worker graph ran on keeps its memory in the worker (resident) until
// the JavaScript side reads or writes it, so what only dispatches use — a KV cache swapped between steps — never
// travels between the threads again. Results are the same as running inline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, type MLContext, type MLTensor } from '../../src/index.js';
import { tensorInternals } from '../../src/api/tensor.js';
import { isResident } from '../../src/backends/backend.js';

/** cache' = cache · 0.5 + x (a running mix), [4, 1024]: one "decode step" that reads and writes a cache. */
async function stepGraph(ctx: MLContext) {
  const b = new MLGraphBuilder(ctx);
  const desc = { dataType: 'float32', shape: [4, 1024] } as const;
  const cache = b.input('cache', desc);
  const x = b.input('x', desc);
  return b.build({ next: b.add(b.mul(cache, b.constant('float32', 0.5)), x) });
}

async function run(execution: 'worker' | 'inline', steps: number): Promise<{ values: Float32Array; resident: boolean[] }> {
  const ctx = await ml.createContext({ execution } as never);
  const graph = await stepGraph(ctx);
  const desc = { dataType: 'float32', shape: [4, 1024] } as const;
  const a = await ctx.createTensor({ ...desc, writable: true, readable: true });
  const b = await ctx.createTensor({ ...desc, readable: true });
  const x = await ctx.createTensor({ ...desc, writable: true });
  ctx.writeTensor(a, new Float32Array(4096).fill(1));
  const resident: boolean[] = [];
  let [from, to]: MLTensor[] = [a, b];
  for (let i = 0; i < steps; i++) {
    ctx.writeTensor(x, new Float32Array(4096).fill(i));
    ctx.dispatch(graph, { cache: from!, x }, { next: to! });
    [from, to] = [to!, from!];
    // Let the step run, then look at where the cache's memory is (internals: the JavaScript side's view of it).
    await ctx.readTensor(b).catch(() => undefined);
    resident.push(isResident(tensorInternals(from!)!.backendHandle));
  }
  const values = new Float32Array(await ctx.readTensor(from!));
  ctx.destroy();
  return { values, resident };
}

test('a worker graph leaves the memory of its tensors in the worker, and reads bring it back exactly', async () => {
  const worker = await run('worker', 6);
  const inline = await run('inline', 6);
  assert.deepEqual(worker.values, inline.values);
  // The expected mix: c = 1, then c = c/2 + i for i = 0..5.
  let c = 1;
  for (let i = 0; i < 6; i++) c = c / 2 + i;
  assert.equal(worker.values[0], c);
  assert.equal(worker.values[4095], c);
  assert.ok(inline.resident.every((r) => !r), 'inline tensors keep their memory on the JavaScript side');
  // Each step's output stays in the worker for the next step, except b, which the loop reads after every step.
  assert.deepEqual(worker.resident, [false, true, false, true, false, true]); // b is read (brought home) each step
});

test('resident memory: written tensors get new memory, destroyed ones free theirs, other graphs bring it home', async () => {
  const ctx = await ml.createContext({ execution: 'worker' } as never);
  const graph = await stepGraph(ctx);
  const desc = { dataType: 'float32', shape: [4, 1024] } as const;
  const cache = await ctx.createTensor({ ...desc, writable: true, readable: true });
  const x = await ctx.createTensor({ ...desc, writable: true });
  const out = await ctx.createTensor({ ...desc, readable: true });
  ctx.writeTensor(cache, new Float32Array(4096).fill(2));
  ctx.writeTensor(x, new Float32Array(4096).fill(3));
  ctx.dispatch(graph, { cache, x }, { next: out });
  await ctx.readTensor(out);
  const internals = tensorInternals(cache)!;
  assert.ok(isResident(internals.backendHandle), 'the input stayed in the worker');
  assert.equal(internals.data.byteLength, 0);
  // Written whole: no need to bring the old bytes back.
  ctx.writeTensor(cache, new Float32Array(4096).fill(4));
  assert.equal(isResident(internals.backendHandle), false);
  assert.deepEqual(new Float32Array(await ctx.readTensor(cache)).subarray(0, 2), Float32Array.from([4, 4]));
  ctx.dispatch(graph, { cache, x }, { next: out });
  assert.deepEqual(new Float32Array(await ctx.readTensor(out)).subarray(0, 2), Float32Array.from([5, 5]));

  // destroy() while resident frees the memory; the tensor is unusable after.
  const x2 = await ctx.createTensor({ ...desc, writable: true });
  ctx.writeTensor(x2, new Float32Array(4096).fill(1));
  ctx.dispatch(graph, { cache: out, x: x2 }, { next: cache });
  assert.deepEqual(new Float32Array(await ctx.readTensor(cache)).subarray(0, 2), Float32Array.from([3.5, 3.5]));
  out.destroy();
  x2.destroy();
  await assert.rejects(ctx.readTensor(out), TypeError);
  ctx.destroy();
});
