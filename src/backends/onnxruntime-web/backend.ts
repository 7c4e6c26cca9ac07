// The onnxruntime-web backend (browsers; also runs in Node on onnxruntime-web's WebAssembly build): the same ONNX
// lowering as the onnxruntime-node backend, compiled into onnxruntime-web sessions. The CPU provider is
// onnxruntime's WebAssembly build (multi-threaded when the page is cross-origin isolated, which onnxruntime-web
// decides itself); accelerated contexts use its WebGPU provider where the browser gives an adapter.
import * as ort from 'onnxruntime-web';
import type { GraphIR } from '../../graph/ir.js';
import { encodeModel } from '../../onnx/schema.js';
import type { Backend, BackendFactory, BackendOptions, CompiledGraph, HostTensor } from '../backend.js';
import { cachedTensor } from '../onnxruntime/host-tensor.js';
import { lowerFor } from '../onnxruntime/lower-for.js';
import { PROFILES, type ExecutionProvider, type OrtProfile } from '../onnxruntime/profiles.js';

export const ortWebVersion: string = ort.env.versions?.web ?? ort.env.versions?.common ?? 'unknown';

/** The session options tsnn compiles with (exported so that benchmarks run raw onnxruntime-web the same way). */
export function webSessionOptions(provider: ExecutionProvider): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: provider === 'cpu' ? ['wasm'] : ['webgpu', 'wasm'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3, // errors only, as in the Node backend
  };
}

function ortTensor(t: HostTensor): ort.Tensor {
  return cachedTensor(t, (type, data, dims) => new ort.Tensor(type as 'float32', data as Float32Array, dims));
}

class WebGraph implements CompiledGraph {
  constructor(
    private readonly session: ort.InferenceSession,
    private readonly inputNames: Map<string, string>,
    private readonly outputNames: Map<string, string>,
  ) {}

  async run(inputs: Readonly<Record<string, HostTensor>>, outputs: Readonly<Record<string, HostTensor>>): Promise<void> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(inputs)) feeds[this.inputNames.get(name)!] = ortTensor(t);
    // onnxruntime-web computes in WebAssembly memory and hands results back as new arrays whatever fetches are
    // given (pre-allocated CPU outputs would only add a copy in), so the results are copied into the outputs once.
    const wanted = Object.keys(outputs).map((name) => this.outputNames.get(name)!);
    const results = await this.session.run(feeds, wanted);
    for (const [name, t] of Object.entries(outputs)) {
      const src = results[this.outputNames.get(name)!]!.data as ArrayBufferView;
      t.data.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
    }
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

class WebBackend implements Backend {
  readonly name = 'onnxruntime-web';
  constructor(readonly provider: ExecutionProvider, private readonly note = '') {}

  get accelerated(): boolean {
    return this.provider !== 'cpu';
  }

  get profile(): OrtProfile {
    return PROFILES[this.provider];
  }

  get description(): string {
    // onnxruntime-web settles the thread count when its WebAssembly starts (the first session): until then 0.
    const threads = ort.env.wasm.numThreads;
    const where = this.provider === 'cpu' ? `wasm${threads ? `, ${threads} thread${threads === 1 ? '' : 's'}` : ''}` : 'webgpu';
    return `onnxruntime-web ${ortWebVersion} (${where}${this.note ? `; ${this.note}` : ''})`;
  }

  async compile(ir: GraphIR): Promise<CompiledGraph> {
    // As on onnxruntime-node: the WebAssembly CPU provider is the same onnxruntime, float16 handling included.
    const { model, inputNames, outputNames } = lowerFor(ir, this.provider);
    const session = await ort.InferenceSession.create(encodeModel(model), webSessionOptions(this.provider));
    return new WebGraph(session, inputNames, outputNames);
  }
}

/** The part of the WebGPU API the probe uses (typed here: the project compiles without the DOM library). */
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<object | null>;
}

/** A WebGPU adapter for the context's power preference, or why there is none. */
async function findAdapter(options: BackendOptions): Promise<{ adapter?: object; problem?: string }> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (!gpu) return { problem: 'this browser has no WebGPU (navigator.gpu)' };
  try {
    const adapter = await gpu.requestAdapter(options.powerPreference === 'default' ? {} : { powerPreference: options.powerPreference });
    return adapter ? { adapter } : { problem: 'navigator.gpu.requestAdapter() found no adapter' };
  } catch (err) {
    return { problem: `navigator.gpu.requestAdapter() failed: ${(err as Error).message}` };
  }
}

export const onnxruntimeWebFactory: BackendFactory = {
  name: 'onnxruntime-web',
  async create(options: BackendOptions): Promise<Backend> {
    if (!options.accelerated) return new WebBackend('cpu');
    const { adapter, problem } = await findAdapter(options);
    // No adapter: serve the context on WebAssembly and say so (context.accelerated is false).
    if (!adapter) return new WebBackend('cpu', `webgpu unavailable: ${problem}`);
    // onnxruntime-web takes the adapter to create its device on (the first WebGPU session fixes it).
    if (!ort.env.webgpu.adapter) (ort.env.webgpu as { adapter: unknown }).adapter = adapter;
    return new WebBackend('webgpu');
  },
};
