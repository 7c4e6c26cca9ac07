// float16 results are rounded to float16 after every operator, also where onnxruntime's CPU provider has no
// float16 kernel and a cast to float32 follows (it would otherwise compute the chain in float32 and drop the
// rounding in between).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ml, MLGraphBuilder, type MLContext, type MLOperand } from '../../src/index.js';
import { fromFloat16Bits, toFloat16Bits } from '../../src/graph/float16.js';
import { graphInternals } from '../../src/api/graph.js';
import { lowerFor } from '../../src/backends/onnxruntime/backend.js';

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});
after(() => ctx.destroy());

const half = { dataType: 'float16', shape: [3] } as const;

/** Runs `f(x)` on float16 x and returns the float32 (or float16, read as numbers) result. */
async function run(x: number[], f: (b: MLGraphBuilder, x: MLOperand) => MLOperand): Promise<number[]> {
  const b = new MLGraphBuilder(ctx);
  const graph = await b.build({ y: f(b, b.input('x', half)) });
  const { y } = await ctx.compute(graph, { x: Uint16Array.from(x, toFloat16Bits) });
  graph.destroy();
  return y!.dataType === 'float16' ? [...(y!.data as Uint16Array)].map(fromFloat16Bits) : [...(y!.data as Float32Array)];
}

describe('float16 rounding after each operator', () => {
  test('cast(add(x, x), float32) with x = 60000 is Infinity (float16 has no 120000)', async () => {
    assert.deepEqual(await run([60000, 1, -60000], (b, x) => b.cast(b.add(x, x), 'float32')), [Infinity, 2, -Infinity]);
  });

  test('cast(div(mul(x, x), x), float32) with x = 60000 is Infinity: mul overflows float16 before div', async () => {
    assert.deepEqual(await run([60000, 3, 0.5], (b, x) => b.cast(b.div(b.mul(x, x), x), 'float32')), [Infinity, 3, 0.5]);
  });

  test('intermediate rounding: (x + 2^-11) - x loses the small term in float16', async () => {
    // 1 + 2^-11 is a tie between 1 and 1 + 2^-10; float16 rounds it to even (1), so the difference is 0; computed in
    // float32 throughout it would be 2^-11.
    const out = await run([1, 1, 1], (b, x) => b.cast(b.sub(b.add(x, b.constant(half, Uint16Array.from([2 ** -11, 2 ** -11, 2 ** -11], toFloat16Bits))), x), 'float32'));
    assert.deepEqual(out, [0, 0, 0]);
  });

  test('a chain of float16 operators rounds at each step, float16 output too', async () => {
    // exp(12) = 162754.79 overflows float16; divided by 4 it would fit (40688.7) had it not been rounded first.
    assert.deepEqual(await run([12, 1, 0], (b, x) => b.div(b.exp(x), b.constant(half, Uint16Array.from([4, 4, 4], toFloat16Bits)))),
      [Infinity, fromFloat16Bits(toFloat16Bits(fromFloat16Bits(toFloat16Bits(Math.E)) / 4)), 0.25]);
  });

  test('the CPU model widens float16 operators with casts of its own', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', half);
    const graph = await b.build({ y: b.cast(b.add(x, x), 'float32') });
    const { model } = lowerFor(graphInternals(graph)!.ir, 'cpu');
    assert.deepEqual(model.graph.node.map((n) => n.opType), ['Cast', 'Add', 'Cast', 'Cast']);
    graph.destroy();
  });
});
