// tsnn for Node.js: the WebNN API (src/core.ts) on onnxruntime-node, with graph files on disk.
import { registerBackend } from './backends/registry.js';
import { onnxruntimeFactory } from './backends/onnxruntime/backend.js';

registerBackend(onnxruntimeFactory);

export * from './core.js';
export { saveGraph, loadGraph } from './format/io.js';
export type { LoadGraphOptions, SaveGraphOptions, SavedPaths } from './format/io.js';
export { importOnnx, convertOnnx, checkOnnx, OnnxImportError, DEFAULT_MAX_SIZE } from './import/node.js';
export type { ImportOnnxOptions, ImportedModel, ImportedOutput, CheckReport, CheckFailure, ImportedDim, ImportedInput, InputValue } from './import/node.js';
export { loadModel, LanguageModel, ModelLoadError, DEFAULT_MAX_LENGTH } from './llm/model.js';
export type { LoadModelOptions } from './llm/model.js';
export type { GenerateOptions, GeneratedPiece, Generation, GenerationStats, ChatSession } from './llm/generate.js';
export type { ChatMessage } from './llm/text.js';
export type { SamplingOptions } from './llm/sampling.js';
