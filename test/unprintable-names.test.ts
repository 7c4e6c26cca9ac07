// Graph input and output names are DOMStrings: NUL bytes and lone surrogates are valid names (WPT's
// unprintableNames test). onnxruntime's C API would cut a name at its NUL, so the backend must not pass such names
// through as ONNX value names.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, type MLContext } from '../src/index.js';

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});

const d = { dataType: 'float32', shape: [1] } as const;

test('names with NUL bytes work through dispatch()', async () => {
  const b = new MLGraphBuilder(ctx);
  const x = b.input('input\x00tensor', d);
  const graph = await b.build({ 'output\x00tensor': b.mul(x, b.constant(d, Float32Array.from([2]))) });
  const [input, output] = await Promise.all([ctx.createTensor({ ...d, writable: true }), ctx.createTensor({ ...d, readable: true })]);
  ctx.writeTensor(input, Float32Array.from([1]));
  ctx.dispatch(graph, { 'input\x00tensor': input }, { 'output\x00tensor': output });
  assert.equal(new Float32Array(await ctx.readTensor(output))[0], 2);
});

test('names that differ only after a NUL, or only in a lone surrogate, stay distinct', async () => {
  const b = new MLGraphBuilder(ctx);
  const names = ['a\x00b', 'a\x00c', 'a', 'x\uD800', 'x\uDC00'];
  const xs = names.map((n) => b.input(n, d));
  const outs = Object.fromEntries(xs.map((x, i) => [`${names[i]}\x00out`, b.mul(x, b.constant(d, Float32Array.from([i + 1])))]));
  outs['a\x00b'] = b.add(xs[0]!, xs[1]!); // an output named like an input
  const graph = await b.build(outs);
  const feeds = Object.fromEntries(names.map((n, i) => [n, Float32Array.from([10 * (i + 1)])]));
  const r = await ctx.compute(graph, feeds);
  names.forEach((n, i) => assert.deepEqual([...(r[`${n}\x00out`]!.data as Float32Array)], [10 * (i + 1) * (i + 1)], n));
  assert.deepEqual([...(r['a\x00b']!.data as Float32Array)], [30]);
});
