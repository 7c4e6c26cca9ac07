// `tsnn info model.onnx`: what an ONNX model holds — inputs with their symbolic dimensions, outputs, opsets, an
// operator histogram (marking operators the importer has no translation for), parameters and file sizes.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeModel, OnnxDecodeError, type DecodedValueInfo } from '../onnx/decode.js';
import { onnxTypeName } from '../onnx/schema.js';
import { OnnxImportError } from '../import/importer.js';
import { findMapping } from '../import/registry.js';
import { rawByteLength } from '../import/values.js';
import { readDataFile } from './common.js';

export interface OnnxInfo {
  model: string;
  fileBytes: number;
  irVersion: number;
  producer: string;
  opsets: Record<string, number>;
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  /** Symbolic dimension names (dim_param) of the inputs. */
  symbolicDims: string[];
  nodes: number;
  /** op type (domain-qualified outside ai.onnx) → count, most frequent first. */
  ops: Record<string, number>;
  /** Op types the importer has no translation for at the model's opset. */
  untranslated: string[];
  initializers: number;
  parameterBytes: number;
  externalBytes: number;
}

function typeText(v: DecodedValueInfo): string {
  if (v.kind !== 'tensor') return v.kind;
  const shape = v.shape ? `[${v.shape.map((d) => (d === undefined ? '?' : typeof d === 'string' ? JSON.stringify(d) : d)).join(', ')}]` : '[?]';
  return `${onnxTypeName(v.elemType ?? 0)}${shape}`;
}

export function collectOnnxInfo(file: string): OnnxInfo {
  const bytes = readDataFile(file);
  let m;
  try {
    m = decodeModel(bytes);
  } catch (err) {
    if (err instanceof OnnxDecodeError) throw new OnnxImportError(`${basename(file)}: ${err.message}`);
    throw err;
  }
  const g = m.graph;
  const initNames = new Set(g.initializers.map((t) => t.name));
  const inputs = g.inputs.filter((i) => !initNames.has(i.name));
  const ops = new Map<string, number>();
  const untranslated = new Set<string>();
  for (const n of g.nodes) {
    const key = n.domain ? `${n.domain}.${n.opType}` : n.opType;
    ops.set(key, (ops.get(key) ?? 0) + 1);
    const opset = m.opsets.get(n.domain);
    if (opset === undefined || !findMapping(n.domain, n.opType, opset)) untranslated.add(key);
  }
  let parameterBytes = 0;
  let externalBytes = 0;
  for (const t of g.initializers) {
    let size = 0;
    try {
      size = rawByteLength(t.dataType, t.dims.reduce((a, b) => a * b, 1));
    } catch {
      size = t.raw?.byteLength ?? 0;
    }
    parameterBytes += size;
    if (t.external) externalBytes += size;
  }
  const symbolic = new Set<string>();
  for (const i of inputs) for (const d of i.shape ?? []) if (typeof d === 'string') symbolic.add(d);
  return {
    model: basename(file),
    fileBytes: statSync(file).size,
    irVersion: m.irVersion,
    producer: [m.producerName, m.producerVersion].filter(Boolean).join(' '),
    opsets: Object.fromEntries([...m.opsets].map(([d, v]) => [d || 'ai.onnx', v])),
    inputs: Object.fromEntries(inputs.map((i) => [i.name, typeText(i)])),
    outputs: Object.fromEntries(g.outputs.map((o) => [o.name, typeText(o)])),
    symbolicDims: [...symbolic],
    nodes: g.nodes.length,
    ops: Object.fromEntries([...ops].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    untranslated: [...untranslated].sort(),
    initializers: g.initializers.length,
    parameterBytes,
    externalBytes,
  };
}

function mb(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
}

export function formatOnnxInfo(i: OnnxInfo): string {
  return [
    `ONNX model ${i.model} (${mb(i.fileBytes)}; IR ${i.irVersion}${i.producer ? `; ${i.producer}` : ''})`,
    `opsets: ${Object.entries(i.opsets).map(([d, v]) => `${d} ${v}`).join(', ')}`,
    `inputs: ${Object.entries(i.inputs).map(([n, t]) => `${n}: ${t}`).join(', ') || 'none'}`,
    `outputs: ${Object.entries(i.outputs).map(([n, t]) => `${n}: ${t}`).join(', ') || 'none'}`,
    `symbolic dimensions: ${i.symbolicDims.join(', ') || 'none'}`,
    `nodes: ${i.nodes} (${Object.entries(i.ops).map(([op, n]) => `${op} ${n}`).join(', ') || 'none'})`,
    `initializers: ${i.initializers} (${mb(i.parameterBytes)}${i.externalBytes ? `, ${mb(i.externalBytes)} as external data` : ''})`,
    i.untranslated.length ? `no translation for: ${i.untranslated.join(', ')}` : 'every operator type has a translation (tsnn import --check tries them)',
  ].join('\n');
}
