// maxPool2d propagates NaN wherever it sits in a window, as WebNN's max does (onnxruntime's MaxPool alone keeps or
// drops it by position), for float32 and float16, both layouts, native and explicitly padded windows.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ml, MLGraphBuilder, type MLContext } from '../../src/index.js';
import { fromFloat16Bits, toFloat16Bits } from '../../src/graph/float16.js';

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});
after(() => ctx.destroy());

type PoolOptions = Parameters<MLGraphBuilder['maxPool2d']>[1];

async function maxPool(dataType: 'float32' | 'float16', shape: number[], data: number[], options: PoolOptions): Promise<number[]> {
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', { dataType, shape });
  const graph = await b.build({ y: b.maxPool2d(x, options) });
  const input = dataType === 'float32' ? Float32Array.from(data) : Uint16Array.from(data, toFloat16Bits);
  const out = (await ctx.compute(graph, { x: input })).y!.data;
  graph.destroy();
  return dataType === 'float32' ? [...(out as Float32Array)] : [...(out as Uint16Array)].map(fromFloat16Bits);
}

describe('maxPool2d and NaN', () => {
  for (const dataType of ['float32', 'float16'] as const) {
    test(`${dataType}: a NaN anywhere in the window gives NaN`, async () => {
      // One 2×2 window over each 1×1×2×2 input: [1, NaN, 3, 2] and [1, 2, 3, NaN] (onnxruntime alone: 3 and NaN).
      for (const data of [[1, NaN, 3, 2], [1, 2, 3, NaN], [NaN, 2, 3, 4], [1, 2, NaN, 4]]) {
        const [y] = await maxPool(dataType, [1, 1, 2, 2], data, { windowDimensions: [2, 2] });
        assert.ok(Number.isNaN(y), `${dataType} maxPool2d([${data.join(', ')}]) = ${y}, expected NaN`);
      }
      assert.deepEqual(await maxPool(dataType, [1, 1, 2, 2], [1, -Infinity, 3, 2], { windowDimensions: [2, 2] }), [3]);
      assert.deepEqual(await maxPool(dataType, [1, 1, 2, 2], [1, Infinity, 3, 2], { windowDimensions: [2, 2] }), [Infinity]);
    });

    test(`${dataType}: only the windows that hold the NaN become NaN (strides, padding, nhwc)`, async () => {
      // 1×1×3×4, 2×2 windows with stride 2 and one row/column of padding at the end: windows
      // rows {0,1}×cols {0,1}, {0,1}×{2,3}, {2}×{0,1}, {2}×{2,3}.
      const data = [
        1, 2, 3, 4,
        5, NaN, 7, 8,
        9, 10, 11, NaN,
      ];
      const nchw = await maxPool(dataType, [1, 1, 3, 4], data, { windowDimensions: [2, 2], strides: [2, 2], padding: [0, 1, 0, 0] });
      assert.deepEqual(nchw.map((v) => (Number.isNaN(v) ? 'NaN' : v)), ['NaN', 8, 10, 'NaN']);
      const nhwc = await maxPool(dataType, [1, 3, 4, 1], data, { windowDimensions: [2, 2], strides: [2, 2], padding: [0, 1, 0, 0], layout: 'nhwc' });
      assert.deepEqual(nhwc.map((v) => (Number.isNaN(v) ? 'NaN' : v)), ['NaN', 8, 10, 'NaN']);
    });

    test(`${dataType}: windows of padding alone stay -Infinity next to a NaN window`, async () => {
      // Padding as large as the window forces explicit padding; the first output column's windows cover only padding.
      const out = await maxPool(dataType, [1, 1, 1, 2], [NaN, 5], { windowDimensions: [1, 2], padding: [0, 0, 2, 0] });
      assert.deepEqual(out.map((v) => (Number.isNaN(v) ? 'NaN' : v)), [-Infinity, 'NaN', 'NaN']);
    });
  }
});
