// tsnn for Node.js: the WebNN API (src/core.ts) on onnxruntime-node, with graph files on disk.
import { registerBackend } from './backends/registry.js';
import { onnxruntimeFactory } from './backends/onnxruntime/backend.js';

registerBackend(onnxruntimeFactory);

export * from './core.js';
export { saveGraph, loadGraph } from './format/io.js';
export type { LoadGraphOptions, SaveGraphOptions, SavedPaths } from './format/io.js';
export { importOnnx, convertOnnx, checkOnnx, OnnxImportError, DEFAULT_MAX_SIZE } from './import/node.js';
export type { ImportOnnxOptions, ImportedModel, ImportedOutput, CheckReport, CheckFailure, ImportedDim, ImportedInput, InputValue } from './import/node.js';
