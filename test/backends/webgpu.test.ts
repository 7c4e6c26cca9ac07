// The WebGPU execution provider: an accelerated context uses it when an adapter works, and says why not otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder } from '../../src/index.js';

test('an accelerated context runs on WebGPU when an adapter works and on the CPU otherwise, saying which', async () => {
  const ctx = await ml.createContext({ accelerated: true });
  if (ctx.accelerated) assert.match(ctx.backend, /\(webgpu\)/);
  else assert.match(ctx.backend, /\(cpu; webgpu unavailable: .+\)/);
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: 'float32', shape: [2, 2] });
  const w = b.constant({ dataType: 'float32', shape: [2, 2] }, new Float32Array([1, 2, 3, 4]));
  const g = await b.build({ y: b.relu(b.matmul(x, w)) });
  const r = await ctx.compute(g, { x: new Float32Array([1, -1, 0, 1]) });
  assert.deepEqual(Array.from(r.y!.data as Float32Array), [0, 0, 3, 4]);
  const cpu = await ml.createContext();
  assert.equal(cpu.accelerated, false);
  assert.match(cpu.backend, /\(cpu\)$/);
});
