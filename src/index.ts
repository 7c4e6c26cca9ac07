// tsnn: the W3C WebNN API for Node.js.
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
export { DATA_TYPES } from './graph/dtypes.js';
export { toFloat16Bits, fromFloat16Bits } from './graph/float16.js';
