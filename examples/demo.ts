// The demo: a small two-layer perceptron with embedded weights, built and run through the WebNN API
// on the default context; then one graph with a dynamic dimension run as a growing KV cache; then a graph file
// from examples/ loaded and run. No downloads; run with `npm run demo` after `npm ci`.
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { installGlobals, loadGraph } from '../src/index.js';

installGlobals();

// Deterministic weights (a tiny linear congruential generator), so the output is the same on every machine.
function weights(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 0.5;
  }
  return out;
}

const context = await navigator.ml.createContext();
const builder = new MLGraphBuilder(context);
const x = builder.input('x', { dataType: 'float32', shape: [1, 8] });
const w1 = builder.constant({ dataType: 'float32', shape: [8, 16] }, weights(8 * 16, 1));
const b1 = builder.constant({ dataType: 'float32', shape: [16] }, weights(16, 2));
const w2 = builder.constant({ dataType: 'float32', shape: [16, 4] }, weights(16 * 4, 3));
const hidden = builder.relu(builder.add(builder.matmul(x, w1), b1));
const probs = builder.softmax(builder.matmul(hidden, w2), 1, { label: 'classifier' });
const graph = await builder.build({ probs });

const input = await context.createTensor({ dataType: 'float32', shape: [1, 8], writable: true });
const output = await context.createTensor({ dataType: 'float32', shape: probs.shape, readable: true });
context.writeTensor(input, new Float32Array([0.5, -1, 2, 0.25, -0.75, 1.5, 0, 1]));
context.dispatch(graph, { x: input }, { probs: output });
const result = new Float32Array(await context.readTensor(output));

console.log(`tsnn demo on ${context.backend}`);
console.log(`graph: x[1,8] -> matmul+add+relu -> matmul -> softmax -> probs[${probs.shape.join(',')}]`);
console.log(`probs = [${[...result].map((v) => v.toFixed(4)).join(', ')}]  (sum ${result.reduce((a, b) => a + b, 0).toFixed(4)})`);

// Flexible inputs (non-standard): one graph, built once, serves every cache length up to its bound.
const b2 = new MLGraphBuilder(context);
const past = b2.input('past', { dataType: 'float32', shape: [{ name: 'past', maxSize: 16 }, 4] });
const step = b2.input('step', { dataType: 'float32', shape: [1, 4] });
const present = b2.concat([past, step], 0); // [past + 1, 4]
const attention = b2.softmax(b2.matmul(step, b2.transpose(present)), 1); // [1, past + 1]
const decoder = await b2.build({ present, attention });
let cache: { data: Float32Array<ArrayBufferLike>; shape: number[] } = { data: new Float32Array(0), shape: [0, 4] };
const lengths: string[] = [];
for (let t = 0; t < 4; t++) {
  const token = Float32Array.from({ length: 4 }, (_, i) => Math.sin(t + i));
  const out = await context.compute(decoder, { past: cache, step: token });
  cache = { data: out.present!.data as Float32Array, shape: out.present!.shape };
  lengths.push(`[${out.attention!.shape.join(',')}]`);
}
console.log(`one dynamic graph, 4 decode steps: attention shapes ${lengths.join(' ')}`);

// A graph file (the webnn-graph text format) with its weights, loaded into a built graph.
const file = ['../examples/mlp.webnn', '../../examples/mlp.webnn'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find(existsSync);
if (file) {
  const mlp = await loadGraph(context, file);
  const out = await context.compute(mlp, { x: Float32Array.from([1, 0, -1, 0.5, 0.2, 0.4, 0.6, 0.8]) });
  console.log(`examples/mlp.webnn: probs[${out.probs!.shape.join(',')}] = [${[...(out.probs!.data as Float32Array)].map((v) => v.toFixed(4)).join(', ')}]`);
}
