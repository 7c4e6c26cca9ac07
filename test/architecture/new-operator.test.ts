// Adding an operator touches its op file, its lowering and its tests — nothing else. This test is such an
// addition: a test-only operator declared here and lowered here becomes a builder method, is validated from its
// declaration, appears in opSupportLimits(), runs, and round-trips through a graph file with no other change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGraph, ml, MLGraphBuilder, saveGraph, type MLOperand } from '../../src/index.js';
import { encodeScalar } from '../../src/graph/cast.js';
import { defineOp, limits } from '../../src/ops/registry.js';
import { defineLowering } from '../../src/backends/onnxruntime/emitter.js';

// ---- the op file: y = input · factor (+ bias) ----
type ScaleByAttrs = { factor: number };
declare module '../../src/ops/registry.js' {
  interface OpAttrs { testScaleBy: ScaleByAttrs }
}
defineOp({
  name: 'testScaleBy',
  params: { input: 'operand', factor: 'uint' },
  operandOptions: ['bias'],
  limits: { input: limits(['float32']), bias: limits(['float32'], 1, 1), output: limits(['float32']) },
  create(c, { input, factor }, options) {
    const bias = options.bias;
    if (bias && bias.shape[0] !== input.shape[input.rank - 1]) c.fail('bias must have the size of the last dimension');
    return { inputs: [input, bias], attrs: { factor: c.uint(factor, 'factor') }, outputs: [c.output('float32', input.shape)] };
  },
});
// ---- its lowering (the attribute type is checked: n.attrs.factor is a number) ----
defineLowering('testScaleBy', (n, e) => {
  const scaled = e.op('Mul', [n.inputs[0]!, e.initializer('float32', [], encodeScalar('float32', n.attrs.factor))]);
  if (n.inputs[1]) e.op('Add', [scaled, n.inputs[1]], {}, n.outputs[0]);
  else e.op('Identity', [scaled], {}, n.outputs[0]);
});
declare module '../../src/api/builder.js' {
  interface MLGraphBuilder {
    testScaleBy(input: MLOperand, factor: number, options?: { bias?: MLOperand; label?: string }): MLOperand;
  }
}

test('a new operator needs only its declaration and its lowering', async () => {
  const ctx = await ml.createContext();
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: 'float32', shape: [2, 3] });
  // Validation from the declaration: the argument count, operand resolution, limits, the op's own steps.
  assert.throws(() => (b.testScaleBy as (...a: unknown[]) => MLOperand)(x), /^TypeError: testScaleBy: 2 arguments required, but only 1 present$/);
  assert.throws(() => b.testScaleBy(b.input('i', { dataType: 'int32', shape: [2] }), 2), /testScaleBy: 'input' has data type int32/);
  assert.throws(() => b.testScaleBy(x, 2, { bias: b.constant({ dataType: 'float32', shape: [2] }, new Float32Array(2)), label: 'L' }),
    /^TypeError: testScaleBy \[L\]: bias must have the size of the last dimension$/);
  assert.deepEqual((ctx.opSupportLimits() as unknown as Record<string, Record<string, unknown>>).testScaleBy!.bias,
    { dataTypes: ['float32'], rankRange: { min: 1, max: 1 } });

  const bias = b.constant({ dataType: 'float32', shape: [3] }, new Float32Array([0.5, -1, 2]));
  const graph = await b.build({ y: b.testScaleBy(x, 3, { bias }) });
  const input = new Float32Array([1, 2, 3, 4, 5, 6]);
  const expected = [3.5, 5, 11, 12.5, 14, 20];
  assert.deepEqual(Array.from((await ctx.compute(graph, { x: input })).y!.data as Float32Array), expected);

  const dir = mkdtempSync(join(tmpdir(), 'tsnn-newop-'));
  try {
    const paths = await saveGraph(graph, join(dir, 'g.webnn'));
    assert.match(readFileSync(paths.graph, 'utf8'), /y = testScaleBy\(x, factor=3, bias=c0\);/);
    const loaded = await loadGraph(ctx, paths.graph);
    assert.deepEqual(Array.from((await ctx.compute(loaded, { x: input })).y!.data as Float32Array), expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
