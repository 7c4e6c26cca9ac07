// A built graph as an ONNX model file (the same lowering tsnn compiles with). Initializers of at least
// `externalThreshold` bytes go to a side file as ONNX external data (location/offset/length), which keeps the model
// under protobuf's 2 GiB limit and lets onnxruntime read big weights without a protobuf copy.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { graphInternals, type MLGraph } from '../api/graph.js';
import { lowerToOnnx } from '../backends/onnxruntime/lower.js';
import { ModelProto } from '../backends/onnxruntime/onnx-proto.js';
import { readExternalConstant } from '../graph/ir.js';

const EXTERNAL = 1; // TensorProto.DataLocation.EXTERNAL
const ALIGN = 4096; // page-aligned offsets let onnxruntime map the data file

export interface OnnxExport { model: string; data?: string; externalTensors: number }

export function exportOnnx(graph: MLGraph, path: string, opts: { name?: string; externalThreshold?: number } = {}): OnnxExport {
  const state = graphInternals(graph);
  if (!state) throw new TypeError('exportOnnx: argument is not an MLGraph');
  const { model } = lowerToOnnx(state.ir, opts.name ?? 'tsnn');
  const threshold = opts.externalThreshold ?? 1024;
  const dataPath = `${path}.data`;
  let fd: number | undefined;
  let offset = 0;
  const initializer = model.graph.initializer.map((t) => {
    if (t.external) t = { name: t.name, dims: t.dims, dataType: t.dataType, rawData: readExternalConstant(t.external) };
    if (t.rawData.byteLength < threshold) return t;
    fd ??= openSync(dataPath, 'w');
    const pad = (ALIGN - (offset % ALIGN)) % ALIGN;
    if (pad) writeSync(fd, Buffer.alloc(pad));
    offset += pad;
    let done = 0;
    while (done < t.rawData.byteLength) done += writeSync(fd, t.rawData, done, t.rawData.byteLength - done);
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
  if (fd !== undefined) closeSync(fd);
  const bytes = ModelProto.encode(ModelProto.fromObject({ ...model, graph: { ...model.graph, initializer } })).finish();
  writeFileSync(path, bytes);
  return { model: path, ...(fd !== undefined ? { data: dataPath } : {}), externalTensors: initializer.filter((t) => 'externalData' in t).length };
}
