// The onnxruntime-node backend: lowers the IR to ONNX at compile time, creates one InferenceSession per graph,
// and runs it with onnxruntime Tensors that wrap the MLTensors' own memory (no copies on the way in or out).
import ort from 'onnxruntime-node';
import type { GraphIR } from '../../graph/ir.js';
import { cachedTensor } from './host-tensor.js';
import type { Backend, BackendFactory, BackendOptions, CompiledGraph, HostTensor } from '../backend.js';
import { encodeModel } from '../../onnx/schema.js';
import { encodeWithExternalData } from './external-data.js';
import { lowerToOnnx } from './lower.js';

import { PROFILES, type ExecutionProvider, type OrtProfile } from './profiles.js';

export type { ExecutionProvider };

/**
 * Constants at least this large reach onnxruntime as in-memory external data (the IR's own bytes) instead of being
 * copied into the protobuf model: one copy of big weights fewer while a graph compiles.
 */
const EXTERNAL_DATA_BYTES = 1 << 20;

export const ortVersion: string = ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown';

/** The session options tsnn compiles with (exported for benchmarks that compare against raw onnxruntime). */
export function sessionOptions(provider: ExecutionProvider): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3, // errors only: constant-folding notes about float16 kernels are noise to users
  };
}

/** An ort.Tensor over the host tensor's bytes (cached on the tensor: see host-tensor.ts). */
function ortTensor(t: HostTensor): ort.Tensor {
  return cachedTensor(t, (type, data, dims) => new ort.Tensor(type as 'float32', data as Float32Array, dims));
}

class OrtGraph implements CompiledGraph {
  /** Whether onnxruntime was seen writing results straight into the pre-allocated outputs (undefined: not yet run). */
  private writesInPlace: boolean | undefined;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly inputNames: Map<string, string>,
    private readonly outputNames: Map<string, string>,
  ) {}

  async run(inputs: Readonly<Record<string, HostTensor>>, outputs: Readonly<Record<string, HostTensor>>): Promise<void> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(inputs)) feeds[this.inputNames.get(name)!] = ortTensor(t);
    const fetches: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(outputs)) fetches[this.outputNames.get(name)!] = ortTensor(t);
    // onnxruntime-node fills pre-allocated fetches but hands back new Tensor objects. On the first run, the
    // outputs are poisoned and compared afterwards to learn whether the fetched memory received the results;
    // if it did not, results are copied from the returned tensors on every run.
    if (this.writesInPlace === undefined) for (const t of Object.values(outputs)) t.data.fill(0xa5);
    const results = await this.session.run(feeds, fetches);
    if (this.writesInPlace) return;
    let inPlace = true;
    for (const [name, t] of Object.entries(outputs)) {
      const r = results[this.outputNames.get(name)!]!;
      const src = r.data as ArrayBufferView;
      const bytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
      if (!Buffer.from(bytes).equals(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))) {
        inPlace = false;
        t.data.set(bytes);
      }
    }
    this.writesInPlace = inPlace;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

class OrtBackend implements Backend {
  readonly name = 'onnxruntime';
  readonly externalConstants = true;
  constructor(readonly provider: ExecutionProvider, private readonly note = '') {}

  get accelerated(): boolean {
    return this.provider !== 'cpu';
  }

  get profile(): OrtProfile {
    return PROFILES[this.provider];
  }

  get description(): string {
    return `onnxruntime-node ${ortVersion} (${this.provider}${this.note ? `; ${this.note}` : ''})`;
  }

  async compile(ir: GraphIR): Promise<CompiledGraph> {
    const { model, inputNames, outputNames } = lowerToOnnx(ir, 'tsnn', this.profile);
    const { bytes, externalData, folder } = encodeWithExternalData(model, EXTERNAL_DATA_BYTES);
    const options: ort.InferenceSession.SessionOptions = { ...sessionOptions(this.provider), externalData };
    if (folder !== undefined) options.extra = { session: { model_external_initializers_file_folder_path: folder } };
    const session = await ort.InferenceSession.create(bytes, options);
    return new OrtGraph(session, inputNames, outputNames);
  }
}

/** onnxruntime-node's providers that this build bundles. */
export function bundledProviders(): string[] {
  return ort.listSupportedBackends?.().filter((b) => b.bundled).map((b) => b.name) ?? ['cpu'];
}

let webgpuProbe: Promise<string | undefined> | undefined;

/** Whether the WebGPU provider finds an adapter: undefined when it works, else the reason. Probed once. */
function probeWebGpu(): Promise<string | undefined> {
  webgpuProbe ??= (async () => {
    if (!bundledProviders().includes('webgpu')) return 'this onnxruntime-node build has no WebGPU provider';
    // The smallest graph the lowering makes: y = relu(x) on one float.
    const desc = { dataType: 'float32' as const, shape: [1] };
    const { model } = lowerToOnnx({
      operands: [{ id: 0, desc, kind: 'input', name: 'x' }, { id: 1, desc, kind: 'intermediate', producer: 0 }],
      nodes: [{ id: 0, op: 'relu', inputs: [0], outputs: [1], attrs: {}, label: '' }],
      constants: new Map(), inputs: [{ name: 'x', operand: 0 }], outputs: [{ name: 'y', operand: 1 }],
    }, 'probe');
    try {
      const session = await ort.InferenceSession.create(encodeModel(model), { executionProviders: ['webgpu'], logSeverityLevel: 4 });
      await session.release();
      return undefined;
    } catch (err) {
      return (err as Error).message.split('\n')[0]!.replace(/^.*was false\. /, '');
    }
  })();
  return webgpuProbe;
}

export const onnxruntimeFactory: BackendFactory = {
  name: 'onnxruntime',
  async create(options: BackendOptions): Promise<Backend> {
    if (!options.accelerated) return new OrtBackend('cpu');
    const problem = await probeWebGpu();
    // No usable GPU: serve the context on the CPU and say so (context.accelerated is false).
    return problem ? new OrtBackend('cpu', `webgpu unavailable: ${problem}`) : new OrtBackend('webgpu');
  },
};
