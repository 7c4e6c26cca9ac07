// Writes the example graphs' weights (examples/*.weights + *.manifest.json) from a fixed formula, so the files
// can be regenerated and the tests can recompute the same values.
import { fileURLToPath } from 'node:url';
import { writeWeights } from '../src/format/weights.js';

/** The example weight tensors: element i of tensor `seed` is sin(seed * 7 + i) / 2. */
export function exampleTensor(seed: number, shape: number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7 + i) / 2);
}

export const MLP_WEIGHTS: [string, number[]][] = [['layer1.weight', [4, 8]], ['layer1.bias', [8]], ['layer2.weight', [8, 3]]];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = fileURLToPath(new URL('../examples/', import.meta.url));
  writeWeights(`${dir}mlp.weights`, `${dir}mlp.manifest.json`, MLP_WEIGHTS.map(([key, shape], seed) => {
    const data = exampleTensor(seed, shape);
    return [key, { dataType: 'float32', shape, bytes: new Uint8Array(data.buffer) }];
  }));
  console.log(`wrote ${dir}mlp.weights and mlp.manifest.json`);
}
