// A MobileNetV2-style network built with the WebNN API matches the same network written by hand as an ONNX model
// and run directly in onnxruntime-node. The ONNX graph here is written node by node in this file (standard ONNX
// ops in NCHW), independently of tsnn's lowering; only the protobuf schema is shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { ml, MLGraphBuilder, type MLOperand } from '../../src/index.js';
import { encodeModel, type OnnxAttribute, type OnnxNode, type OnnxTensor } from '../../src/onnx/schema.js';

/** Deterministic pseudo-random values in [lo, hi). */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number, lo = -1, hi = 1): Float32Array => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out[i] = lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
    }
    return out;
  };
}

interface ConvSpec { name: string; cin: number; cout: number; k: number; stride: number; groups: number; relu6: boolean }

/** The network: stem conv, two inverted-residual blocks (one with a skip connection), head conv, pool, classifier. */
const IN = { c: 3, h: 32, w: 32 };
const CLASSES = 10;
const layers: (ConvSpec | { residualFrom: string; name: string })[] = [
  { name: 'stem', cin: 3, cout: 16, k: 3, stride: 2, groups: 1, relu6: true },
  { name: 'b1_expand', cin: 16, cout: 32, k: 1, stride: 1, groups: 1, relu6: true },
  { name: 'b1_dw', cin: 32, cout: 32, k: 3, stride: 1, groups: 32, relu6: true },
  { name: 'b1_project', cin: 32, cout: 16, k: 1, stride: 1, groups: 1, relu6: false },
  { name: 'b1_add', residualFrom: 'stem' },
  { name: 'b2_expand', cin: 16, cout: 48, k: 1, stride: 1, groups: 1, relu6: true },
  { name: 'b2_dw', cin: 48, cout: 48, k: 3, stride: 2, groups: 48, relu6: true },
  { name: 'b2_project', cin: 48, cout: 24, k: 1, stride: 1, groups: 1, relu6: false },
  { name: 'head', cin: 24, cout: 64, k: 1, stride: 1, groups: 1, relu6: true },
];
const FEATURES = 64;
const EPS = 1e-3;

interface ConvWeights { filter: Float32Array; mean: Float32Array; variance: Float32Array; scale: Float32Array; bias: Float32Array }

function makeWeights() {
  const rnd = random(1234);
  const convs = new Map<string, ConvWeights>();
  for (const l of layers) {
    if (!('cin' in l)) continue;
    const fanIn = (l.cin / l.groups) * l.k * l.k;
    const bound = Math.sqrt(3 / fanIn);
    convs.set(l.name, {
      filter: rnd(l.cout * (l.cin / l.groups) * l.k * l.k, -bound, bound),
      mean: rnd(l.cout, -0.1, 0.1),
      variance: rnd(l.cout, 0.5, 1.5),
      scale: rnd(l.cout, 0.8, 1.2),
      bias: rnd(l.cout, -0.1, 0.1),
    });
  }
  return { convs, fcWeight: rnd(CLASSES * FEATURES, -0.3, 0.3), fcBias: rnd(CLASSES, -0.1, 0.1), input: rnd(IN.c * IN.h * IN.w) };
}

async function runWebnn(w: ReturnType<typeof makeWeights>): Promise<Float32Array> {
  const ctx = await ml.createContext();
  const b = new MLGraphBuilder(ctx);
  const constant = (shape: number[], data: Float32Array) => b.constant({ dataType: 'float32', shape }, data);
  let x: MLOperand = b.input('image', { dataType: 'float32', shape: [1, IN.c, IN.h, IN.w] });
  const outputs = new Map<string, MLOperand>();
  for (const l of layers) {
    if (!('cin' in l)) {
      x = b.add(x, outputs.get(l.residualFrom)!, { label: l.name });
      outputs.set(l.name, x);
      continue;
    }
    const cw = w.convs.get(l.name)!;
    const pad = (l.k - 1) / 2;
    x = b.conv2d(x, constant([l.cout, l.cin / l.groups, l.k, l.k], cw.filter), {
      padding: [pad, pad, pad, pad], strides: [l.stride, l.stride], groups: l.groups, label: l.name,
    });
    x = b.batchNormalization(x, constant([l.cout], cw.mean), constant([l.cout], cw.variance), {
      scale: constant([l.cout], cw.scale), bias: constant([l.cout], cw.bias), epsilon: EPS,
    });
    if (l.relu6) x = b.clamp(x, { minValue: 0, maxValue: 6 });
    outputs.set(l.name, x);
  }
  x = b.averagePool2d(x); // the default window is the whole spatial extent: global pooling
  x = b.reshape(x, [1, FEATURES]);
  x = b.gemm(x, constant([CLASSES, FEATURES], w.fcWeight), { c: constant([CLASSES], w.fcBias), bTranspose: true });
  const probs = b.softmax(x, 1);
  const graph = await b.build({ probs });
  const result = await ctx.compute(graph, { image: w.input });
  return result.probs!.data as Float32Array;
}

function tensor(name: string, dims: number[], data: Float32Array): OnnxTensor {
  return { name, dims, dataType: 1, rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) };
}
const ints = (name: string, v: number[]): OnnxAttribute => ({ name, type: 7, ints: v });
const int = (name: string, v: number): OnnxAttribute => ({ name, type: 2, i: v });
const float = (name: string, v: number): OnnxAttribute => ({ name, type: 1, f: v });

async function runOnnx(w: ReturnType<typeof makeWeights>): Promise<Float32Array> {
  const node: OnnxNode[] = [];
  const initializer: OnnxTensor[] = [];
  const add = (opType: string, input: string[], output: string, attribute: OnnxAttribute[] = []) => {
    node.push({ opType, input, output: [output], name: `${output}_node`, attribute });
    return output;
  };
  initializer.push(tensor('zero', [], new Float32Array([0])), tensor('six', [], new Float32Array([6])));
  let x = 'image';
  const outputs = new Map<string, string>();
  for (const l of layers) {
    if (!('cin' in l)) {
      x = add('Add', [x, outputs.get(l.residualFrom)!], l.name);
      outputs.set(l.name, x);
      continue;
    }
    const cw = w.convs.get(l.name)!;
    const pad = (l.k - 1) / 2;
    initializer.push(
      tensor(`${l.name}_w`, [l.cout, l.cin / l.groups, l.k, l.k], cw.filter),
      tensor(`${l.name}_mean`, [l.cout], cw.mean), tensor(`${l.name}_var`, [l.cout], cw.variance),
      tensor(`${l.name}_scale`, [l.cout], cw.scale), tensor(`${l.name}_bias`, [l.cout], cw.bias),
    );
    x = add('Conv', [x, `${l.name}_w`], `${l.name}_conv`, [
      ints('kernel_shape', [l.k, l.k]), ints('pads', [pad, pad, pad, pad]), ints('strides', [l.stride, l.stride]), int('group', l.groups),
    ]);
    x = add('BatchNormalization', [x, `${l.name}_scale`, `${l.name}_bias`, `${l.name}_mean`, `${l.name}_var`], `${l.name}_bn`, [float('epsilon', EPS)]);
    if (l.relu6) x = add('Clip', [x, 'zero', 'six'], `${l.name}_relu6`);
    outputs.set(l.name, x);
  }
  x = add('GlobalAveragePool', [x], 'pool');
  x = add('Flatten', [x], 'flat', [int('axis', 1)]);
  initializer.push(tensor('fc_w', [CLASSES, FEATURES], w.fcWeight), tensor('fc_b', [CLASSES], w.fcBias));
  x = add('Gemm', [x, 'fc_w', 'fc_b'], 'logits', [int('transB', 1)]);
  add('Softmax', [x], 'probs', [int('axis', 1)]);
  const valueInfo = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  const bytes = encodeModel({
    irVersion: 8, opsetImport: [{ domain: '', version: 17 }], producerName: 'mobilenet.test', producerVersion: '1',
    graph: { name: 'mobilenet', node, initializer, input: [valueInfo('image', [1, IN.c, IN.h, IN.w])], output: [valueInfo('probs', [1, CLASSES])] },
  });
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ image: new ort.Tensor('float32', w.input, [1, IN.c, IN.h, IN.w]) });
  await session.release();
  return out.probs!.data as Float32Array;
}

test('a MobileNetV2-style network built with WebNN matches the same network written directly in ONNX', async () => {
  const w = makeWeights();
  const [ours, reference] = await Promise.all([runWebnn(w), runOnnx(w)]);
  assert.equal(ours.length, CLASSES);
  const sum = ours.reduce((a, v) => a + v, 0);
  assert.ok(Math.abs(sum - 1) < 1e-5, `probabilities sum to ${sum}`);
  // The classifier must not be degenerate, or the comparison would prove little.
  assert.ok(Math.max(...ours) - Math.min(...ours) > 0.01, `output spread ${Math.max(...ours) - Math.min(...ours)}`);
  for (let i = 0; i < CLASSES; i++) {
    assert.ok(Math.abs(ours[i]! - reference[i]!) <= 1e-5, `class ${i}: ${ours[i]} vs onnxruntime ${reference[i]}`);
  }
});
