// The onnxruntime-node backend: lowers the IR to ONNX at compile time, creates one InferenceSession per graph,
// and runs it with onnxruntime Tensors that wrap the MLTensors' own memory (no copies on the way in or out), in a
// worker thread of the context's own or on the JavaScript thread (ExecutionMode).
import { execFile } from 'node:child_process';
import ort from 'onnxruntime-node';
import type { GraphIR } from '../../graph/ir.js';
import { DTYPES } from '../../graph/dtypes.js';
import { cachedTensor } from './host-tensor.js';
import { boundaryDescriptor } from './subbyte.js';
import type { Backend, BackendFactory, BackendOptions, CompiledGraph, HostTensor, ResidentMemory } from '../backend.js';
import { encodeModel } from '../../onnx/schema.js';
import { encodeWithExternalData } from './external-data.js';
import { privateCopies } from './weights-copy.js';
import { onnxruntimePath, OrtWorker, WorkerMemory, type WireTensor } from './worker-client.js';
import { workOf } from './cost.js';
import { lowerToOnnx } from './lower.js';
import { lowerFor } from './lower-for.js';

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
  // TSNN_INTRA_OP_THREADS caps onnxruntime's threads per session (default: one per core), e.g. on a shared machine,
  // where thread pools that outnumber the free cores spin and stall each other.
  const threads = Number(process.env.TSNN_INTRA_OP_THREADS);
  return {
    executionProviders: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3, // errors only: constant-folding notes about float16 kernels are noise to users
    ...(Number.isInteger(threads) && threads > 0 ? { intraOpNumThreads: threads } : {}),
  };
}

export { lowerFor };

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

/** Runs shorter than this (ms) are waited for synchronously, for at most this long (WorkerGraph.run). */
const SHORT_RUN_MS = 1;

/**
 * A graph whose session lives in the context's worker thread. A run moves the tensors' memory to the worker and back
 * (ArrayBuffer transfer: nothing is copied), so the JavaScript thread is free while onnxruntime computes.
 */
const EMPTY = new Uint8Array(0);

/** Memory that was in a worker that died: reading it fails with the reason; writing the tensor gives it new memory. */
class LostMemory implements ResidentMemory {
  readonly resident = true;
  constructor(private readonly reason: Error) {}
  take(): Promise<Uint8Array> {
    return Promise.reject(new Error(`the tensor's memory was lost with the onnxruntime worker: ${this.reason.message}`));
  }
  release(): void {}
}

class WorkerGraph implements CompiledGraph {
  /** Tensors' memory stays in the worker after a run, so what only dispatches use never travels again. */
  readonly keepsMemory = true;
  /** Recent run time (ms, exponentially weighted); undefined before the first run. */
  private recentMs: number | undefined;

  constructor(
    private readonly worker: OrtWorker,
    private readonly id: number,
    private readonly inputNames: Map<string, string>,
    private readonly outputNames: Map<string, string>,
  ) {}

  async run(inputs: Readonly<Record<string, HostTensor>>, outputs: Readonly<Record<string, HostTensor>>): Promise<void> {
    const hosts = [...Object.values(inputs), ...Object.values(outputs)];
    const transfer: ArrayBuffer[] = [];
    // Memory already in this worker is named; other memory goes with the run (and stays there).
    const inWorker = (t: HostTensor) => (t.handle instanceof WorkerMemory && t.handle.worker === this.worker ? t.handle : undefined);
    const memories = hosts.map(inWorker);
    const wire = (names: Map<string, string>, named: Readonly<Record<string, HostTensor>>): WireTensor[] =>
      Object.entries(named).map(([name, t]) => {
        const { dataType, shape } = boundaryDescriptor({ dataType: t.dataType, shape: [...t.shape] });
        const byteLength = shape.reduce((a, d) => a * d, 1) * DTYPES[dataType].bytes;
        const memory = inWorker(t);
        if (memory) return { name: names.get(name)!, type: dataType, dims: shape, tensor: memory.id, byteOffset: 0, byteLength };
        const buffer = t.data.buffer as ArrayBuffer;
        transfer.push(buffer);
        return { name: names.get(name)!, type: dataType, dims: shape, tensor: this.worker.newTensorId(), buffer, byteOffset: t.data.byteOffset, byteLength };
      });
    const feeds = wire(this.inputNames, inputs);
    const fetches = wire(this.outputNames, outputs);
    const back = [...feeds, ...fetches];
    let reply;
    const t0 = performance.now();
    try {
      // A graph that recently ran in well under a millisecond is waited for on the spot (for at most that long):
      // an asynchronous wake-up would cost more than such a step. Longer runs leave the JavaScript thread free.
      const waitMs = this.recentMs !== undefined && this.recentMs < SHORT_RUN_MS ? SHORT_RUN_MS : 0;
      reply = await this.worker.request({ type: 'run', graph: this.id, feeds, fetches }, transfer, waitMs);
    } catch (err) {
      // The worker died with the memory it had (resident, or transferred with this run: its buffer is detached here):
      // those tensors are left empty; reads of them reject, a write gives them new memory.
      hosts.forEach((t, i) => {
        if (!memories[i] && t.data.buffer.byteLength > 0) return;
        t.data = EMPTY;
        t.handle = new LostMemory(err as Error);
      });
      throw err;
    }
    const ms = performance.now() - t0;
    this.recentMs = this.recentMs === undefined ? ms : 0.8 * this.recentMs + 0.2 * ms;
    // Every tensor's memory now lives in the worker (also when the run failed there).
    hosts.forEach((t, i) => {
      t.handle = memories[i] ?? new WorkerMemory(this.worker, back[i]!.tensor);
      t.data = EMPTY;
    });
    if (!reply.ok) throw new Error(reply.message);
  }

  async release(): Promise<void> {
    const reply = await this.worker.request({ type: 'release', graph: this.id });
    if (!reply.ok) throw new Error(reply.message);
  }
}

/**
 * Where a context's onnxruntime sessions run. 'worker': in a worker thread of the context's own, so that build and
 * dispatch never block the JavaScript thread and two contexts compute at the same time; each dispatch then pays
 * for handing the tensors to the worker and back (tens of microseconds, docs/benchmarks.md). 'inline': on the
 * JavaScript thread, which blocks timers and I/O while a graph computes. 'auto' (the default): each graph where it
 * fits — inline when its work per run (cost.ts) is small enough that a step takes well under a millisecond, so
 * small steps pay nothing extra, and in the worker otherwise.
 */
export type ExecutionMode = 'auto' | 'worker' | 'inline';

/** Graphs with less work per run than this (multiply-accumulates + elements moved) run inline under 'auto'. */
export const INLINE_WORK_LIMIT = 1 << 25;

class OrtBackend implements Backend {
  readonly name = 'onnxruntime';
  readonly externalConstants = true;
  #worker: OrtWorker | undefined;
  #graphs = 0;

  constructor(readonly provider: ExecutionProvider, readonly execution: ExecutionMode, private readonly note = '') {
    if (execution !== 'inline') this.#worker = new OrtWorker(); // started on first use
  }

  get accelerated(): boolean {
    return this.provider !== 'cpu';
  }

  get profile(): OrtProfile {
    return PROFILES[this.provider];
  }

  get description(): string {
    const where = { worker: ' on a worker thread', auto: ', large graphs on a worker thread', inline: '' }[this.execution];
    return `onnxruntime-node ${ortVersion}${where} (${this.provider}${this.note ? `; ${this.note}` : ''})`;
  }

  async compile(ir: GraphIR): Promise<CompiledGraph> {
    const { model, inputNames, outputNames } = lowerFor(ir, this.provider);
    const copies = await privateCopies(model.graph.initializer.flatMap((t) => (t.external ? [t.external] : [])));
    try {
      const { bytes, externalData, folder } = encodeWithExternalData(model, EXTERNAL_DATA_BYTES, copies.paths);
      const options: ort.InferenceSession.SessionOptions = { ...sessionOptions(this.provider), externalData };
      if (folder !== undefined) options.extra = { session: { model_external_initializers_file_folder_path: folder } };
      if (!this.#worker || (this.execution === 'auto' && workOf(ir) < INLINE_WORK_LIMIT)) {
        return new OrtGraph(await ort.InferenceSession.create(bytes, options), inputNames, outputNames);
      }
      const id = ++this.#graphs;
      const reply = await this.#worker.request({ type: 'compile', graph: id, bytes, options });
      if (!reply.ok) throw new Error(reply.message);
      return new WorkerGraph(this.#worker, id, inputNames, outputNames);
    } finally {
      copies.remove(); // onnxruntime has mapped what it needs (or failed)
    }
  }

  /** Releases the worker once everything sent to it is done (a computation in progress is never cut off). */
  async destroy(): Promise<void> {
    await this.#worker?.close();
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
    // In a child process: without a GPU, the WebGPU provider's native code writes warnings (no Vulkan library, ...)
    // straight to this process's stderr, where no option turns them off; a child's stderr is simply dropped.
    const script = `const ort = require(${JSON.stringify(onnxruntimePath)});
      ort.InferenceSession.create(Buffer.from(process.argv[1], 'base64'), { executionProviders: ['webgpu'], logSeverityLevel: 4 })
        .then((s) => s.release()).then(() => console.log(JSON.stringify({ ok: true })),
          (e) => console.log(JSON.stringify({ ok: false, message: String(e && e.message || e) })));`;
    const out = await new Promise<string>((resolve) => {
      execFile(process.execPath, ['-e', script, Buffer.from(encodeModel(model)).toString('base64')], { timeout: 60_000, maxBuffer: 1 << 20 },
        (err, stdout) => resolve(err && !stdout ? JSON.stringify({ ok: false, message: `the WebGPU probe failed: ${err.message}` }) : stdout));
    });
    try {
      const r = JSON.parse(out.trim().split('\n').pop() ?? '') as { ok: boolean; message?: string };
      return r.ok ? undefined : (r.message ?? 'unknown').split('\n')[0]!.replace(/^.*was false\. /, '');
    } catch {
      return `the WebGPU probe gave no answer: ${out.slice(0, 200)}`;
    }
  })();
  return webgpuProbe;
}

export const onnxruntimeFactory: BackendFactory = {
  name: 'onnxruntime',
  async create(options: BackendOptions): Promise<Backend> {
    const execution = options.execution ?? 'auto';
    if (!['auto', 'worker', 'inline'].includes(execution)) throw new TypeError(`execution '${String(execution)}' is not one of auto, worker, inline`);
    if (!options.accelerated) return new OrtBackend('cpu', execution);
    const problem = await probeWebGpu();
    // No usable GPU: serve the context on the CPU and say so (context.accelerated is false).
    return problem ? new OrtBackend('cpu', execution, `webgpu unavailable: ${problem}`) : new OrtBackend('webgpu', execution);
  },
};
