// ONNX external data for onnxruntime-node sessions: large initializers reach onnxruntime as named in-memory files
// (or stay in the graph file's weights, which onnxruntime maps), so big weights are not copied into the protobuf.
import { basename, dirname } from 'node:path';
import { readExternalConstant } from '../../format/external.js';
import { ModelProto, type OnnxModel, type OnnxTensor } from '../../onnx/schema.js';

/**
 * Encodes `model` with every initializer of at least `threshold` bytes moved out as ONNX external data (TensorProto
 * data_location EXTERNAL, one named in-memory file per tensor) for onnxruntime's `externalData` session option; the
 * returned `data` arrays are the initializers' own bytes, not copies. Constants in files are read by onnxruntime
 * from the file `files` maps theirs to (a private copy, weights-copy.ts); those whose file it does not map are read here.
 */
export function encodeWithExternalData(model: OnnxModel, threshold: number, files: ReadonlyMap<string, string> = new Map()): {
  bytes: Uint8Array; externalData: { path: string; data: Uint8Array }[]; folder?: string;
} {
  const externalData: { path: string; data: Uint8Array }[] = [];
  // onnxruntime reads files from one folder per session (it maps them when their offsets are page-aligned).
  const first = model.graph.initializer.find((t) => t.external && files.has(t.external.path))?.external;
  const folder = first ? dirname(files.get(first.path)!) : undefined;
  const initializer = model.graph.initializer.map((t, i) => {
    const file = t.external && files.get(t.external.path);
    if (t.external && file !== undefined && dirname(file) === folder) {
      return externalTensor(t, basename(file), t.external.byteOffset, t.external.byteLength);
    }
    if (t.external) t = { ...t, rawData: readExternalConstant(t.external) };
    if (t.rawData.byteLength < threshold) {
      const { external: _, ...plain } = t;
      return plain;
    }
    const path = `tsnn-constant-${i}.bin`;
    externalData.push({ path, data: t.rawData });
    return externalTensor(t, path, 0, t.rawData.byteLength);
  });
  const bytes = ModelProto.encode(ModelProto.fromObject({ ...model, graph: { ...model.graph, initializer } })).finish();
  return { bytes, externalData, ...(folder !== undefined ? { folder } : {}) };
}

/** A TensorProto whose data is external (TensorProto.DataLocation EXTERNAL = 1). */
export function externalTensor(t: OnnxTensor, location: string, offset: number, length: number) {
  return {
    name: t.name, dims: t.dims, dataType: t.dataType, dataLocation: 1,
    externalData: [{ key: 'location', value: location }, { key: 'offset', value: String(offset) }, { key: 'length', value: String(length) }],
  };
}
