// Browser-style code through installGlobals(): navigator.ml and the ML* classes on globalThis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder, MLOperand, MLContext, MLGraph, MLTensor, installGlobals } from '../../src/index.js';

test('installGlobals: browser-style code builds, dispatches and reads matmul(add(input, constant), constant2)', async () => {
  installGlobals();
  // Everything below uses the globals only, as a web page would.
  const g = globalThis as unknown as {
    navigator: { ml: { createContext(): Promise<MLContext> } };
    MLGraphBuilder: new (context: MLContext) => MLGraphBuilder;
    MLContext: unknown; MLGraph: unknown; MLOperand: unknown; MLTensor: unknown; ML: unknown;
  };
  assert.equal(typeof g.navigator.ml.createContext, 'function');
  for (const name of ['ML', 'MLContext', 'MLGraphBuilder', 'MLGraph', 'MLOperand', 'MLTensor'] as const) {
    assert.equal(typeof g[name], 'function', `globalThis.${name}`);
  }

  const context = await g.navigator.ml.createContext();
  assert.ok(context instanceof (g.MLContext as typeof MLContext));
  const builder = new g.MLGraphBuilder(context);
  const input = builder.input('input', { dataType: 'float32', shape: [2, 3] });
  const constant = builder.constant({ dataType: 'float32', shape: [2, 3] }, new Float32Array([0.5, 0, -1, 2, 1, 0]));
  const constant2 = builder.constant({ dataType: 'float32', shape: [3, 2] }, new Float32Array([1, 2, 3, 4, 5, 6]));
  const output = builder.matmul(builder.add(input, constant), constant2);
  assert.ok(output instanceof (g.MLOperand as typeof MLOperand));
  const graph = await builder.build({ output });
  assert.ok(graph instanceof (g.MLGraph as typeof MLGraph));

  const inputTensor = await context.createTensor({ dataType: 'float32', shape: [2, 3], writable: true });
  const outputTensor = await context.createTensor({ dataType: 'float32', shape: [2, 2], readable: true });
  assert.ok(inputTensor instanceof (g.MLTensor as typeof MLTensor));
  context.writeTensor(inputTensor, new Float32Array([1, 2, 3, 4, 5, 6]));
  context.dispatch(graph, { input: inputTensor }, { output: outputTensor });
  const result = new Float32Array(await context.readTensor(outputTensor));

  // By hand: input + constant = [[1.5, 2, 2], [6, 6, 6]];
  // row 0: [1.5*1 + 2*3 + 2*5, 1.5*2 + 2*4 + 2*6] = [17.5, 23]; row 1: [6*(1+3+5), 6*(2+4+6)] = [54, 72].
  assert.deepEqual([...result], [17.5, 23, 54, 72]);
  context.destroy();
});
