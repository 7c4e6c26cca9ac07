// onnxruntime tensors over the MLTensors' own memory, shared by the onnxruntime-node and onnxruntime-web backends
// (each passes its package's Tensor constructor; both take typed arrays without copying them).
import { viewAs, type TypedArray } from '../../graph/dtypes.js';
import type { HostTensor } from '../backend.js';
import { boundaryDescriptor } from './subbyte.js';

/** Makes an onnxruntime Tensor of the ONNX boundary type (sub-byte types as packed uint8) over `data`. */
export type TensorMaker<T> = (dataType: string, data: TypedArray, dims: readonly number[]) => T;

/**
 * A tensor over the host tensor's bytes, cached on the tensor while its memory and shape stay the same (a graph with
 * dynamic dimensions runs a tensor at different active shapes over the start of its memory).
 */
export function cachedTensor<T>(t: HostTensor, make: TensorMaker<T>): T {
  const cached = t.handle as { data: Uint8Array; shape: readonly number[]; tensor: T } | undefined;
  if (cached && sameBytes(cached.data, t.data) && sameShape(cached.shape, t.shape)) return cached.tensor;
  const { dataType, shape } = boundaryDescriptor({ dataType: t.dataType, shape: [...t.shape] });
  const tensor = make(dataType, viewAs(dataType, t.data), shape);
  t.handle = { data: t.data, shape: t.shape, tensor };
  return tensor;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a === b || (a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.byteLength === b.byteLength);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a === b || (a.length === b.length && a.every((d, i) => d === b[i]));
}
