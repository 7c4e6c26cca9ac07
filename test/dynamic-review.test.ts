// Flexible inputs under review: derived dimensions, dispatch-time checks, and the paths around them (pruning,
// decode loops over max-size tensors, graph files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder } from '../src/index.js';
import { check, ctx, dyn, f32, m, n } from './support/flexible.js';

const k = dyn('k');
const SIZES3 = [{ n: 6, m: 5, k: 4 }, { n: 2, m: 3, k: 1 }, { n: 1, m: 1, k: 3 }, { n: 3, m: 0, k: 2 }, { n: 0, m: 2, k: 0 }];

test('an input used only for a dimension name stays an input of the graph (expand/reshape to its size)', async () => {
  const context = await ctx();
  const b = new MLGraphBuilder(context);
  const x = b.input('x', { dataType: 'float32', shape: [1] });
  b.input('y', { dataType: 'float32', shape: [m] });
  const graph = await b.build({ out: b.expand(x, [m]) });
  assert.deepEqual(Object.keys(graph.inputDescriptors).sort(), ['x', 'y']);
  assert.deepEqual(graph.outputShapes({ x: [1], y: [3] }), { out: [3] });
  for (const size of [0, 3, 5]) {
    const r = await context.compute(graph, { x: { data: Float32Array.of(7), shape: [1] }, y: { data: new Float32Array(size), shape: [size] } });
    assert.deepEqual(r.out!.shape, [size]);
    assert.deepEqual(Array.from(r.out!.data as Float32Array), new Array(size).fill(7));
  }
});
