// The platform-neutral importer: ONNX bytes in, an MLGraphBuilder with its outputs out (src/import/node.ts adds
// paths, external data files and graph files for Node.js).
export { importModel, Importer, OnnxImportError, DEFAULT_MAX_SIZE } from './importer.js';
export type { ImportOptions, ImportResult, ImportedInput, ImportedDim, CheckFailure, ExternalDataSource, InputValue } from './importer.js';
export { allMappings, findMapping } from './registry.js';
export { MIN_OPSET, MAX_OPSET, MICROSOFT } from './table.js';
