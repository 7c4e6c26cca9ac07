// What each onnxruntime execution provider runs, as the lowerings and opSupportLimits() need it: the element types
// of the ONNX kernels whose type coverage varies (lowerings cast around the gaps), narrower operator limits where a
// provider cannot run an operator at all, and the graph passes whose fused operators it has kernels for.
import type { MLOperandDataType } from '../../graph/dtypes.js';
import type { BackendProfile } from '../backend.js';
import { fuseRmsNormalization } from '../../passes/rms-normalization.js';

export type ExecutionProvider = 'cpu' | 'webgpu';

/** ONNX kernels whose element types matter to a lowering (where it would otherwise cast around them). */
export type Kernel =
  | 'Relu' | 'Where' | 'Trilu' | 'CumSum' | 'Conv' | 'ConvTranspose' | 'MaxPool' | 'AveragePool' | 'LpPool' | 'Resize'
  | 'ArgMax' | 'ArgMin' | 'ReduceMax' | 'ReduceMin' | 'ReduceL1' | 'ReduceL2' | 'ReduceLogSum' | 'ReduceLogSumExp' | 'ReduceMean'
  | 'ReduceProd' | 'ReduceSum' | 'ReduceSumSquare';

export interface OrtProfile extends BackendProfile {
  readonly provider: ExecutionProvider;
  /** The element types each kernel runs (and runs accurately enough for the spec's tolerances) on this provider. */
  readonly kernels: Readonly<Record<Kernel, readonly MLOperandDataType[]>>;
}

const F32: readonly MLOperandDataType[] = ['float32'];
/** The types onnxruntime's order-based kernels (max, min, argmax, argmin) take. */
const ORDERED: readonly MLOperandDataType[] = ['float32', 'float16', 'int32', 'int64', 'int8', 'uint8'];

/**
 * onnxruntime-node's CPU provider, as found by probing one-node models (scripts/probe-ort-kernels.ts). Convolutions,
 * average/L2 pooling and float reductions run in float32: the provider's float16 kernels for them are missing or not
 * accurate enough for the spec's tolerances.
 */
export const CPU_PROFILE: OrtProfile = {
  name: 'onnxruntime cpu',
  provider: 'cpu',
  kernels: {
    Relu: ['float32', 'float16', 'int32', 'int8'],
    Where: ['float32', 'float16', 'int32', 'int64', 'uint8'],
    Trilu: ['float32', 'float16', 'int32', 'int64'],
    CumSum: ['float32', 'int32', 'int64'],
    Conv: F32,
    ConvTranspose: F32,
    MaxPool: ['float32', 'float16', 'int8', 'uint8'],
    AveragePool: F32,
    LpPool: F32,
    Resize: ['float32', 'int8', 'uint8'],
    ArgMax: ORDERED, ArgMin: ORDERED, ReduceMax: ORDERED, ReduceMin: ORDERED,
    ReduceL1: F32, ReduceL2: F32, ReduceLogSum: F32, ReduceLogSumExp: F32, ReduceMean: F32, ReduceProd: F32,
    ReduceSum: F32, ReduceSumSquare: F32,
  },
  passes: [fuseRmsNormalization],
};

/**
 * onnxruntime-node's WebGPU provider. Nodes it has no kernel for are placed on the CPU provider by onnxruntime
 * (sessions list both), so every operator still runs; the kernel table is the CPU's until measured on a GPU.
 */
export const WEBGPU_PROFILE: OrtProfile = { ...CPU_PROFILE, name: 'onnxruntime webgpu', provider: 'webgpu' };

export const PROFILES: Readonly<Record<ExecutionProvider, OrtProfile>> = { cpu: CPU_PROFILE, webgpu: WEBGPU_PROFILE };
