// A built graph as an ONNX model file (the same lowering tsnn compiles with). Initializers of at least
// `externalThreshold` bytes go to a side file as ONNX external data (location/offset/length), which keeps the model
// under protobuf's 2 GiB limit and lets onnxruntime read big weights without a protobuf copy.
import { basename } from 'node:path';
import { graphInternals, type MLGraph } from '../api/graph.js';
import { lowerToOnnx } from '../backends/onnxruntime/lower.js';
import { ModelProto } from '../onnx/schema.js';
import { readExternalConstant } from './external.js';
import { writeFilesAtomically } from './atomic.js';

const EXTERNAL = 1; // TensorProto.DataLocation.EXTERNAL
const ALIGN = 4096; // page-aligned offsets let onnxruntime map the data file

export interface OnnxExport { model: string; data?: string; externalTensors: number }

export function exportOnnx(graph: MLGraph, path: string, opts: { name?: string; externalThreshold?: number } = {}): OnnxExport {
  const state = graphInternals(graph);
  if (!state) throw new TypeError('exportOnnx: argument is not an MLGraph');
  const { model } = lowerToOnnx(state.ir, opts.name ?? 'tsnn');
  const threshold = opts.externalThreshold ?? 1024;
  const dataPath = `${path}.data`;
  const sizeOf = (t: (typeof model.graph.initializer)[number]) => (t.external ? t.external.byteLength : t.rawData.byteLength);
  const hasData = model.graph.initializer.some((t) => sizeOf(t) >= threshold);
  // The data file and the model are written under temporary names and renamed together: never half an export.
  return writeFilesAtomically(hasData ? [dataPath, path] : [path], (files) => {
    const data = hasData ? files[0]! : undefined;
    let offset = 0;
    const initializer = model.graph.initializer.map((t) => {
      if (t.external) t = { name: t.name, dims: t.dims, dataType: t.dataType, rawData: readExternalConstant(t.external) };
      if (!data || t.rawData.byteLength < threshold) return t;
      const pad = (ALIGN - (offset % ALIGN)) % ALIGN;
      if (pad) data.write(new Uint8Array(pad));
      offset += pad;
      data.write(t.rawData);
      const entry = {
        name: t.name, dims: t.dims, dataType: t.dataType, dataLocation: EXTERNAL,
        externalData: [
          { key: 'location', value: basename(dataPath) },
          { key: 'offset', value: String(offset) },
          { key: 'length', value: String(t.rawData.byteLength) },
        ],
      };
      offset += t.rawData.byteLength;
      return entry;
    });
    files[files.length - 1]!.write(ModelProto.encode(ModelProto.fromObject({ ...model, graph: { ...model.graph, initializer } })).finish());
    return { model: path, ...(hasData ? { data: dataPath } : {}), externalTensors: initializer.filter((t) => 'externalData' in t).length };
  });
}
