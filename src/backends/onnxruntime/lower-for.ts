// The ONNX model an onnxruntime provider gets for a graph, shared by the onnxruntime-node and onnxruntime-web
// backends (and the benchmarks that run the same model through onnxruntime directly).
import type { GraphIR } from '../../graph/ir.js';
import { computeFloat16InFloat32 } from './float16.js';
import { lowerToOnnx, type LoweredModel } from './lower.js';
import { PROFILES, type ExecutionProvider } from './profiles.js';

/** The ONNX model tsnn compiles `ir` into for `provider` (exported for benchmarks that run it through onnxruntime). */
export function lowerFor(ir: GraphIR, provider: ExecutionProvider): LoweredModel {
  // The CPU provider computes float16 chains in float32 without rounding in between unless told otherwise (float16.ts).
  return lowerToOnnx(provider === 'cpu' ? computeFloat16InFloat32(ir) : ir, 'tsnn', PROFILES[provider]);
}
