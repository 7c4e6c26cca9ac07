// A MobileNetV2-style block stack built with the WebNN API only (any implementation: tsnn in Node, tsnn/web in a
// page, a browser's own navigator.ml), with deterministic weights: the demo page's graph and the graph the browser
// benchmarks time in Node, in the page through tsnn and in the page through onnxruntime-web.
import type { MLGraphBuilder, MLOperand } from '../../src/core.js';

/** An inverted residual block: 1×1 expansion (skipped at ratio 1), 3×3 depthwise, 1×1 projection; skip when it fits. */
interface Block { out: number; expand: number; stride: number }

export const INPUT = { channels: 3, size: 112 };
export const CLASSES = 100;
const STEM = 16;
const BLOCKS: Block[] = [
  { out: 16, expand: 1, stride: 1 },
  { out: 24, expand: 6, stride: 2 }, { out: 24, expand: 6, stride: 1 },
  { out: 32, expand: 6, stride: 2 }, { out: 32, expand: 6, stride: 1 }, { out: 32, expand: 6, stride: 1 },
  { out: 64, expand: 6, stride: 2 }, { out: 64, expand: 6, stride: 1 }, { out: 64, expand: 6, stride: 1 },
];
const HEAD = 256;

/** Deterministic pseudo-random values in [lo, hi) (a linear congruential generator: same numbers everywhere). */
export function random(seed: number): (n: number, lo?: number, hi?: number) => Float32Array {
  let s = seed >>> 0;
  return (n, lo = -1, hi = 1) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out[i] = lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
    }
    return out;
  };
}

/** The network's input image: 1 × 3 × 112 × 112 values in [0, 1). */
export function sampleImage(): Float32Array {
  return random(7)(INPUT.channels * INPUT.size * INPUT.size, 0, 1);
}

/** Builds the stack on `builder`: input 'image' [1, 3, 112, 112] float32, output 'probs' [1, 100] (softmax). */
export function buildMobileNet(builder: MLGraphBuilder): { probs: MLOperand } {
  const rnd = random(1234);
  const constant = (shape: number[], data: Float32Array) => builder.constant({ dataType: 'float32', shape }, data);
  let labels = 0;
  const conv = (x: MLOperand, cin: number, cout: number, k: number, stride: number, groups: number, relu6: boolean, name: string): MLOperand => {
    const bound = Math.sqrt(3 / ((cin / groups) * k * k));
    const pad = (k - 1) / 2;
    let y = builder.conv2d(x, constant([cout, cin / groups, k, k], rnd(cout * (cin / groups) * k * k, -bound, bound)), {
      padding: [pad, pad, pad, pad], strides: [stride, stride], groups, label: `${name}.conv${labels++}`,
    });
    y = builder.batchNormalization(y, constant([cout], rnd(cout, -0.1, 0.1)), constant([cout], rnd(cout, 0.5, 1.5)), {
      scale: constant([cout], rnd(cout, 0.8, 1.2)), bias: constant([cout], rnd(cout, -0.1, 0.1)), epsilon: 1e-3, label: `${name}.bn`,
    });
    return relu6 ? builder.clamp(y, { minValue: 0, maxValue: 6, label: `${name}.relu6` }) : y;
  };
  let x = builder.input('image', { dataType: 'float32', shape: [1, INPUT.channels, INPUT.size, INPUT.size] });
  x = conv(x, INPUT.channels, STEM, 3, 2, 1, true, 'stem');
  let channels = STEM;
  BLOCKS.forEach((b, i) => {
    const name = `block${i + 1}`;
    const hidden = channels * b.expand;
    let y = b.expand === 1 ? x : conv(x, channels, hidden, 1, 1, 1, true, `${name}.expand`);
    y = conv(y, hidden, hidden, 3, b.stride, hidden, true, `${name}.depthwise`);
    y = conv(y, hidden, b.out, 1, 1, 1, false, `${name}.project`);
    x = b.stride === 1 && b.out === channels ? builder.add(x, y, { label: `${name}.residual` }) : y;
    channels = b.out;
  });
  x = conv(x, channels, HEAD, 1, 1, 1, true, 'head');
  x = builder.averagePool2d(x, { label: 'pool' }); // the whole spatial extent: global pooling
  x = builder.reshape(x, [1, HEAD]);
  const bound = Math.sqrt(3 / HEAD);
  x = builder.gemm(x, constant([CLASSES, HEAD], rnd(CLASSES * HEAD, -bound, bound)), {
    c: constant([CLASSES], rnd(CLASSES, -0.1, 0.1)), bTranspose: true, label: 'classifier',
  });
  return { probs: builder.softmax(x, 1, { label: 'softmax' }) };
}
