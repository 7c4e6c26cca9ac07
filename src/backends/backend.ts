// The contract between the WebNN API layer and an execution backend. The API layer hands a validated,
// pruned GraphIR to `compile` once (at build()); dispatch only binds host tensors and calls `run`.
import type { MLOperandDataType } from '../graph/dtypes.js';
import type { GraphIR } from '../graph/ir.js';
import type { MLTensorLimits } from '../ops/registry.js';
import type { GraphPass } from '../passes/pass.js';

export interface BackendOptions {
  /** The context asked for a massively parallel device (GPU). */
  accelerated: boolean;
  powerPreference: 'default' | 'high-performance' | 'low-power';
  /** Non-standard: where computation runs (onnxruntime: 'auto', the default, 'worker' or 'inline'); others may ignore it. */
  execution?: 'auto' | 'worker' | 'inline';
}

export interface HostTensor {
  readonly dataType: MLOperandDataType;
  readonly shape: readonly number[];
  /**
   * Bytes of the tensor; outputs are written in place. A backend that moves the memory elsewhere while it runs (to a
   * worker thread) puts a view of the returned memory here before run() settles.
   */
  data: Uint8Array;
  /** Backend-specific cache slot, kept with the tensor between runs. */
  handle?: unknown;
}

export interface CompiledGraph {
  /** Runs the graph; every output of the graph is written into `outputs[name].data`. */
  run(inputs: Readonly<Record<string, HostTensor>>, outputs: Readonly<Record<string, HostTensor>>): Promise<void>;
  release(): Promise<void>;
}

/** What a backend (or an execution provider within it) runs, where that differs from the operators' own limits. */
export interface BackendProfile {
  readonly name: string;
  /**
   * The limits of parameter `param` of operator `op` as this backend runs them, given the operator's own; absent:
   * the operators' limits hold. Drives validation and opSupportLimits() of the backend's contexts.
   */
  narrowLimits?(op: string, param: string, limits: MLTensorLimits): MLTensorLimits;
  /** IR → IR passes run on every graph before compile() (fusions into internal operators the backend lowers). */
  readonly passes?: readonly GraphPass[];
}

export interface Backend {
  readonly name: string;
  readonly profile: BackendProfile;
  /** Whether this backend runs on an accelerator (reported by MLContext.accelerated). */
  readonly accelerated: boolean;
  /** Human-readable description, e.g. "onnxruntime-node 1.30.0 (cpu)". */
  readonly description: string;
  /** Whether compile() accepts GraphIR.externalConstants (constants left in files); absent means no. */
  readonly externalConstants?: boolean;
  compile(ir: GraphIR): Promise<CompiledGraph>;
  /** Frees what the backend holds beyond its graphs (a worker thread); called once, after the context's last work. */
  destroy?(): Promise<void>;
}

export interface BackendFactory {
  readonly name: string;
  /** Creates a backend for the options, or throws when it cannot serve them. */
  create(options: BackendOptions): Promise<Backend>;
}
