// The RMS normalization fusion (src/passes/rms-normalization.ts): written-out RMS norms become one
// SimplifiedLayerNormalization, agree with the unfused graph, and near misses stay as they are.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { ml, MLGraphBuilder, saveGraph, type MLContext, type MLGraph, type MLOperand } from '../../src/index.js';
import { graphInternals } from '../../src/api/graph.js';
import { lowerToOnnx } from '../../src/backends/onnxruntime/lower.js';
import { encodeModel } from '../../src/onnx/schema.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ctx: MLContext = await ml.createContext();
const HIDDEN = 16;

function data(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.sin(i * 0.37 + seed) * 3 + (i % 5) * 0.1;
  return out;
}

/** One way of writing RMS normalization; `x` is [rows, HIDDEN] or [1, seq, HIDDEN]. */
type Writer = (b: MLGraphBuilder, x: MLOperand, scale: MLOperand) => MLOperand;
const eps = (b: MLGraphBuilder, v = 1e-5) => b.constant('float32', v);
const meanSquare = (b: MLGraphBuilder, sq: MLOperand, rank: number) => b.reduceMean(sq, { axes: [rank - 1], keepDimensions: true });

const WRITERS: Record<string, Writer> = {
  'x / sqrt(mean(x·x) + ε) · scale': (b, x, s) =>
    b.mul(b.div(x, b.sqrt(b.add(meanSquare(b, b.mul(x, x), x.shape.length), eps(b)))), s),
  'x · reciprocal(sqrt(mean(pow(x, 2)) + ε)) · scale, scale first': (b, x, s) =>
    b.mul(s, b.mul(x, b.reciprocal(b.sqrt(b.add(eps(b), meanSquare(b, b.pow(x, b.constant('float32', 2)), x.shape.length)))))),
  'x · (1 / sqrt(mean(pow(x, 2)) + ε)) · scale, as PyTorch exports rsqrt': (b, x, s) =>
    b.mul(b.mul(x, b.div(b.constant('float32', 1), b.sqrt(b.add(meanSquare(b, b.pow(x, b.constant('float32', 2)), x.shape.length), eps(b))))), s),
  'without a scale': (b, x) => b.div(x, b.sqrt(b.add(meanSquare(b, b.mul(x, x), x.shape.length), eps(b, 0.25)))),
};

/** Runs the graph the backend compiled (fused) and the graph as built (unfused, lowered and run directly). */
async function runBoth(graph: MLGraph, x: Float32Array, shape: number[]): Promise<{ fused: Float32Array; unfused: Float32Array }> {
  const fused = (await ctx.compute(graph, { x: { data: x, shape } })).y!.data as Float32Array;
  const { model } = lowerToOnnx(graphInternals(graph)!.ir);
  const session = await ort.InferenceSession.create(encodeModel(model));
  const out = await session.run({ x: new ort.Tensor('float32', x, shape) });
  await session.release();
  return { fused, unfused: out.y!.data as Float32Array };
}

function reference(x: Float32Array, scale: Float32Array | undefined, epsilon: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / HIDDEN; r++) {
    let sum = 0;
    for (let i = 0; i < HIDDEN; i++) sum += x[r * HIDDEN + i]! ** 2;
    const inv = 1 / Math.sqrt(sum / HIDDEN + epsilon);
    for (let i = 0; i < HIDDEN; i++) out[r * HIDDEN + i] = x[r * HIDDEN + i]! * inv * (scale ? scale[i]! : 1);
  }
  return out;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!);
    assert.ok(err <= tolerance * (1 + Math.abs(expected[i]!)), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('rmsNormalization fusion', () => {
  for (const [name, write] of Object.entries(WRITERS)) {
    test(`fuses ${name}, on static and dynamic shapes, and agrees with the unfused graph`, async () => {
      const scaleData = data(HIDDEN, 9);
      for (const [shape, runs] of [
        [[3, HIDDEN], [[3, HIDDEN]]],
        [[1, { name: 'seq', maxSize: 8 }, HIDDEN], [[1, 5, HIDDEN], [1, 1, HIDDEN], [1, 8, HIDDEN]]],
      ] as const) {
        const b = new MLGraphBuilder(ctx);
        const x = b.input('x', { dataType: 'float32', shape: shape as unknown as number[] });
        const scale = b.constant({ dataType: 'float32', shape: [HIDDEN] }, scaleData);
        const graph = await b.build({ y: write(b, x, scale) });
        assert.deepEqual(graphInternals(graph)!.optimized.fired, { rmsNormalization: 1 });
        assert.deepEqual(graphInternals(graph)!.optimized.ir.nodes.map((n) => n.op), ['rmsNormalization']);
        for (const run of runs) {
          const input = data(run.reduce((a: number, c: number) => a * c, 1), run[1]!);
          const { fused, unfused } = await runBoth(graph, input, [...run]);
          // A large ε in one writer, so that a fusion that dropped or misplaced it would show.
          const epsilon = name === 'without a scale' ? 0.25 : 1e-5;
          const expected = reference(input, name === 'without a scale' ? undefined : scaleData, epsilon);
          assertClose(fused, expected, 2e-6, `fused ${JSON.stringify(run)}`);
          assertClose(fused, unfused, 4e-6, `fused vs unfused ${JSON.stringify(run)}`);
        }
      }
    });
  }

  const NEAR_MISSES: Record<string, (b: MLGraphBuilder, x: MLOperand, s: MLOperand) => MLOperand | Record<string, MLOperand>> = {
    'ε added after the square root': (b, x, s) => b.mul(b.div(x, b.add(b.sqrt(meanSquare(b, b.mul(x, x), 2)), eps(b))), s),
    'a mean over a leading axis': (b, x, s) =>
      b.mul(b.div(x, b.sqrt(b.add(b.reduceMean(b.mul(x, x), { axes: [0], keepDimensions: true }), eps(b)))), s),
    'a square of another operand': (b, x, s) => {
      const z = b.add(x, b.constant('float32', 1));
      return b.mul(b.div(x, b.sqrt(b.add(meanSquare(b, b.mul(z, z), 2), eps(b)))), s);
    },
    'ε that is an input, not a constant': (b, x, s) => {
      const e = b.input('e', { dataType: 'float32', shape: [] });
      return b.mul(b.div(x, b.sqrt(b.add(meanSquare(b, b.mul(x, x), 2), e))), s);
    },
    'the mean of squares also an output': (b, x, s) => {
      const ms = meanSquare(b, b.mul(x, x), 2);
      return { y: b.mul(b.div(x, b.sqrt(b.add(ms, eps(b)))), s), ms };
    },
  };
  for (const [name, write] of Object.entries(NEAR_MISSES)) {
    test(`does not fuse ${name}`, async () => {
      const b = new MLGraphBuilder(ctx);
      const x = b.input('x', { dataType: 'float32', shape: [3, HIDDEN] });
      const out = write(b, x, b.constant({ dataType: 'float32', shape: [HIDDEN] }, data(HIDDEN, 1)));
      const graph = await b.build(out instanceof Object && !('shape' in out) ? out as Record<string, MLOperand> : { y: out as MLOperand });
      assert.deepEqual(graphInternals(graph)!.optimized.fired, {});
      assert.equal(graphInternals(graph)!.optimized.ir, graphInternals(graph)!.ir);
    });
  }

  test('a scale that broadcasts over more than the normalized dimensions is kept as a separate mul', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [3, HIDDEN] });
    const scale = b.constant({ dataType: 'float32', shape: [3, HIDDEN] }, data(3 * HIDDEN, 2));
    const graph = await b.build({ y: WRITERS['x / sqrt(mean(x·x) + ε) · scale']!(b, x, scale) });
    assert.deepEqual(graphInternals(graph)!.optimized.ir.nodes.map((n) => n.op), ['rmsNormalization', 'mul']);
    const input = data(3 * HIDDEN, 4);
    const { fused, unfused } = await runBoth(graph, input, [3, HIDDEN]);
    assertClose(fused, unfused, 4e-6, 'fused vs unfused');
  });

  test('float16 is left as written (the fused kernel would round differently)', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float16', shape: [3, HIDDEN] });
    const y = b.div(x, b.sqrt(b.add(meanSquare(b, b.mul(x, x), 2), b.constant('float16', 1e-5))));
    const graph = await b.build({ y });
    assert.deepEqual(graphInternals(graph)!.optimized.fired, {});
  });

  test('a saved graph holds the operators as built, never the internal one', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [3, HIDDEN] });
    const scale = b.constant({ dataType: 'float32', shape: [HIDDEN] }, data(HIDDEN, 3));
    const graph = await b.build({ y: WRITERS['x / sqrt(mean(x·x) + ε) · scale']!(b, x, scale) });
    const dir = mkdtempSync(join(tmpdir(), 'tsnn-rms-'));
    try {
      const paths = await saveGraph(graph, join(dir, 'g.webnn'));
      const text = readFileSync(paths.graph, 'utf8');
      assert.match(text, /reduceMean/);
      assert.doesNotMatch(text, /rmsNormalization/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(typeof (MLGraphBuilder.prototype as unknown as Record<string, unknown>).rmsNormalization, 'undefined');
    assert.equal((ctx.opSupportLimits() as unknown as Record<string, unknown>).rmsNormalization, undefined);
  });
});
