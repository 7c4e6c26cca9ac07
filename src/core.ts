// The platform-neutral WebNN API: graph building, validation, the IR, passes and the ONNX lowering — no file
// access, no Node or browser APIs, no backend. Each entry point (src/index.ts for Node) re-exports it and registers
// the backends of its platform.
// The WebIDL shape of every interface (enumerable members, brand checks, argument conversions), applied once.
import './api/interfaces.js';
export { ml, ML } from './api/ml.js';
export { installGlobals } from './api/globals.js';
export { MLContext } from './api/context.js';
export type { MLNamedTensors, MLComputeResult, MLComputeInput } from './api/context.js';
export { MLGraphBuilder } from './api/builder.js';
export type { MLNamedOperands } from './api/builder.js';
export { MLGraph } from './api/graph.js';
export { MLOperand } from './api/operand.js';
export { MLTensor } from './api/tensor.js';
export type * from './api/types.js';
export { ALL_DATA_TYPES, DATA_TYPES } from './graph/dtypes.js';
export { toFloat16Bits, fromFloat16Bits } from './graph/float16.js';
export type * from './ops/recurrent.js';
export type * from './ops/activation.js';
export type * from './ops/convolution.js';
export type * from './ops/gather.js';
export type * from './ops/matmul.js';
export type * from './ops/normalization.js';
export type * from './ops/pooling.js';
export type * from './ops/reduction.js';
export type * from './ops/resample.js';
export type * from './ops/shaping.js';
export { registerBackend } from './backends/registry.js';
export type { Backend, BackendFactory, BackendOptions, BackendProfile, CompiledGraph, HostTensor } from './backends/backend.js';
export { parseWebnn } from './format/parser.js';
export { printWebnn } from './format/printer.js';
export { graphFromJson, toGraphJson } from './format/json.js';
export { GraphFileError } from './format/model.js';
export type { GraphFile } from './format/model.js';
