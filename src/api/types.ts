// Public WebNN dictionaries and typedefs (names from the spec's IDL).
import type { MLOperandDataType } from '../graph/dtypes.js';
import type { MLTensorLimits } from '../ops/registry.js';

export type { MLOperandDataType, TypedArray } from '../graph/dtypes.js';
export type { MLNumber } from '../graph/cast.js';
export type { MLRankRange, MLTensorLimits } from '../ops/registry.js';

export type MLPowerPreference = 'default' | 'high-performance' | 'low-power';
/** Pre-2025 device selection, still accepted: 'gpu' and 'npu' ask for an accelerated context. */
export type MLDeviceType = 'cpu' | 'gpu' | 'npu';

export interface MLContextOptions {
  powerPreference?: MLPowerPreference;
  accelerated?: boolean;
  /** @deprecated Removed from the spec; 'gpu'/'npu' map to an accelerated context. */
  deviceType?: MLDeviceType;
  /**
   * Non-standard: where graphs compute. 'worker': in a worker thread of the context's own, so that build() and
   * dispatch() never block the JavaScript thread; 'inline': on the JavaScript thread, which saves the hand-over to the
   * worker on every dispatch but blocks timers and I/O while a graph computes; 'auto' (default): each graph inline if
   * its steps are small (well under a millisecond), else in the worker (docs/benchmarks.md).
   */
  execution?: 'auto' | 'worker' | 'inline';
}

export interface MLContextLostInfo {
  message: string;
}

export interface MLOperandDescriptor {
  dataType: MLOperandDataType;
  shape: readonly number[];
}

/**
 * Non-standard (flexible inputs): a dimension whose size is chosen at dispatch, from 0 to maxSize. Dimensions with
 * the same name have the same size. Operators derive names such as 'past + seq' for the sizes they compute.
 */
export interface MLDynamicDimension {
  name: string;
  maxSize: number;
}

export type MLDimension = number | MLDynamicDimension;

/** MLGraphBuilder.input()'s descriptor: MLOperandDescriptor whose shape may hold dynamic dimensions. */
export interface MLInputOperandDescriptor {
  dataType: MLOperandDataType;
  shape: readonly MLDimension[];
}

/**
 * Non-standard 4th argument of MLContext.dispatch() (flexible inputs): active shapes of tensors, by input or output
 * name, where they differ from the tensors' own shapes. A tensor created for the maximum size then holds the
 * smaller tensor packed densely, row-major, at the start of its memory; the rest of its memory is left as it was.
 */
export interface MLDispatchOptions {
  inputShapes?: Record<string, readonly number[]>;
  /** Must be what MLGraph.outputShapes() gives for the inputs' shapes. */
  outputShapes?: Record<string, readonly number[]>;
}

export interface MLTensorDescriptor extends MLOperandDescriptor {
  readable?: boolean;
  writable?: boolean;
}

export interface MLOperatorOptions {
  label?: string;
}

export interface MLTransposeOptions extends MLOperatorOptions {
  permutation?: readonly number[];
}

export type MLInputOperandLayout = 'nchw' | 'nhwc';

/** Per-operator limits: parameter name → tensor limits. */
export type MLOperatorSupportLimits = Record<string, MLTensorLimits>;

export interface MLOpSupportLimits {
  preferredInputLayout: MLInputOperandLayout;
  maxTensorByteLength: number;
  input: MLTensorLimits;
  constant: MLTensorLimits;
  output: MLTensorLimits;
  [operator: string]: MLOperatorSupportLimits | MLTensorLimits | MLInputOperandLayout | number;
}

export type AllowSharedBufferSource = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;
