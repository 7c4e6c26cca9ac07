// The demo: a small two-layer perceptron with embedded weights, built and run through the WebNN API
// on the default context. No downloads; run with `npm run demo` after `npm ci`.
import { installGlobals } from '../src/index.js';

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
