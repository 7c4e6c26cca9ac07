// The browser benchmark's page module (bundled by bench/browser.ts with tsnn's browser entry; onnxruntime-web comes
// from the page's import map, so tsnn and the raw sessions share one onnxruntime-web): a graph through tsnn
// (dispatch + readTensor) and the ONNX model tsnn compiles for it run directly with onnxruntime-web. Two graphs: the
// MobileNet-style network, and a one-operator graph whose compute is negligible (what tsnn adds per dispatch).
import * as ort from 'onnxruntime-web';
import { ml, MLGraphBuilder, type MLContext, type MLGraph, type MLOperand, type MLTensor } from '../../src/web.js';
import { graphInternals } from '../../src/api/graph.js';
import { lowerFor } from '../../src/backends/onnxruntime/lower-for.js';
import { webSessionOptions } from '../../src/backends/onnxruntime-web/backend.js';
import { encodeModel } from '../../src/onnx/schema.js';
import { buildMobileNet, CLASSES, INPUT, sampleImage } from '../../examples/browser/mobilenet.js';

interface Workload { tsnn(): Promise<Float32Array>; raw(): Promise<Float32Array> }
const workloads = new Map<string, Workload>();

/** Both ways of running `build`'s graph, on one input `name` of `shape` holding `data` and one output `out`. */
async function prepare(context: MLContext, build: (b: MLGraphBuilder) => MLOperand, name: string, shape: number[], data: Float32Array, out: number[]): Promise<Workload> {
  const b = new MLGraphBuilder(context);
  const graph: MLGraph = await b.build({ out: build(b) });
  const input: MLTensor = await context.createTensor({ dataType: 'float32', shape, writable: true });
  const output: MLTensor = await context.createTensor({ dataType: 'float32', shape: out, readable: true });
  context.writeTensor(input, data);
  // The model tsnn compiled: the graph after the CPU profile's passes, lowered for the CPU provider.
  const { model } = lowerFor(graphInternals(graph)!.optimized.ir, 'cpu');
  const session = await ort.InferenceSession.create(encodeModel(model), webSessionOptions('cpu'));
  const feeds = { [name]: new ort.Tensor('float32', data, shape) };
  return {
    async tsnn() {
      context.dispatch(graph, { [name]: input }, { out: output });
      return new Float32Array(await context.readTensor(output));
    },
    async raw() {
      return (await session.run(feeds)).out!.data as Float32Array;
    },
  };
}

async function setup(): Promise<{ backend: string; threads: number; maxDiff: number; isolated: boolean }> {
  const context = await ml.createContext();
  const image = [1, INPUT.channels, INPUT.size, INPUT.size];
  workloads.set('mobilenet', await prepare(context, (b) => buildMobileNet(b).probs, 'image', image, sampleImage(), [1, CLASSES]));
  const one = new Float32Array(64).fill(1);
  workloads.set('tiny', await prepare(context, (b) => b.relu(b.input('x', { dataType: 'float32', shape: [1, 64] })), 'x', [1, 64], one, [1, 64]));
  const w = workloads.get('mobilenet')!;
  const ours = await w.tsnn();
  const raw = await w.raw();
  const maxDiff = Math.max(...ours.map((v, i) => Math.abs(v - raw[i]!)));
  return { backend: context.backend, threads: ort.env.wasm.numThreads ?? 0, maxDiff, isolated: Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated) };
}

/**
 * `n` runs of each side of a workload interleaved one by one, in ABBA order, so that both see the same load from
 * other processes (on a shared machine the load changes faster than a block of runs takes).
 */
async function interleaved(workload: string, n: number): Promise<{ tsnn: number[]; raw: number[] }> {
  const w = workloads.get(workload)!;
  const out = { tsnn: [] as number[], raw: [] as number[] };
  for (let i = 0; i < n; i++) {
    for (const side of i % 2 ? (['raw', 'tsnn'] as const) : (['tsnn', 'raw'] as const)) {
      const t = performance.now();
      await w[side]();
      out[side].push(performance.now() - t);
    }
  }
  return out;
}

(globalThis as { bench?: unknown }).bench = { setup, interleaved };
