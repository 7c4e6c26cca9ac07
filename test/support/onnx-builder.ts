// Writing small ONNX models in tests with the project's own encoder, and running them in onnxruntime-node as the
// reference the importer is compared against.
import * as ort from 'onnxruntime-node';
import { AttributeType, encodeModel, OnnxDataType, type OnnxAttribute, type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from '../../src/onnx/schema.js';

export const TT = OnnxDataType;

export type AttrInput = number | bigint | string | number[] | bigint[] | string[] | OnnxTensor | { graph: OnnxGraph } | { floats: number[] } | { float: number };

function attribute(name: string, v: AttrInput): OnnxAttribute {
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: AttributeType.INT, i: v } : { name, type: AttributeType.FLOAT, f: v };
  if (typeof v === 'bigint') return { name, type: AttributeType.INT, i: v.toString() };
  if (typeof v === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) {
    if (v.length && typeof v[0] === 'string') return { name, type: AttributeType.STRINGS, strings: (v as string[]).map((s) => new TextEncoder().encode(s)) };
    if (v.some((x) => typeof x === 'number' && !Number.isInteger(x))) return { name, type: AttributeType.FLOATS, floats: v as number[] };
    return { name, type: AttributeType.INTS, ints: (v as (number | bigint)[]).map((x) => (typeof x === 'bigint' ? x.toString() : x)) };
  }
  if ('graph' in v) return { name, type: AttributeType.GRAPH, g: v.graph };
  if ('floats' in v) return { name, type: AttributeType.FLOATS, floats: v.floats };
  if ('float' in v) return { name, type: AttributeType.FLOAT, f: v.float };
  return { name, type: AttributeType.TENSOR, t: v };
}

export function node(opType: string, input: string[], output: string[], attrs: Record<string, AttrInput> = {}, domain = '', name = ''): OnnxNode {
  return { opType, input, output, name: name || `${opType}_${output[0]}`, domain, attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) };
}

type Data = Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Uint16Array | Float64Array;

export function tensor(name: string, dataType: number, dims: number[], data: Data): OnnxTensor {
  return { name, dataType, dims, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

export function f32(name: string, dims: number[], data: ArrayLike<number>): OnnxTensor {
  return tensor(name, TT.FLOAT, dims, Float32Array.from(data));
}

export function i64(name: string, dims: number[], data: ArrayLike<number | bigint>): OnnxTensor {
  return tensor(name, TT.INT64, dims, BigInt64Array.from(Array.from(data, (x) => BigInt(x))));
}

export function valueInfo(name: string, elemType: number, shape: (number | string)[]): OnnxValueInfo {
  return { name, type: { tensorType: { elemType, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } };
}

export interface ModelSpec {
  nodes: OnnxNode[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers?: OnnxTensor[];
  opset?: number;
  /** Extra opset imports, e.g. { 'com.microsoft': 1 }. */
  domains?: Record<string, number>;
  valueInfo?: OnnxValueInfo[];
}

export function graph(spec: Omit<ModelSpec, 'opset' | 'domains'>, name = 'g'): OnnxGraph {
  return { name, node: spec.nodes, initializer: spec.initializers ?? [], input: spec.inputs, output: spec.outputs, valueInfo: spec.valueInfo };
}

export function model(spec: ModelSpec): Uint8Array {
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: spec.opset ?? 17 }, ...Object.entries(spec.domains ?? {}).map(([domain, version]) => ({ domain, version }))],
    producerName: 'tsnn-test',
    producerVersion: '0',
    graph: graph(spec),
  });
}

/** Deterministic pseudo-random values in [lo, hi). */
export function random(seed: number) {
  let s = seed >>> 0;
  return (n: number, lo = -1, hi = 1): Float32Array => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out[i] = lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
    }
    return out;
  };
}

export type Feed = { data: Data; shape: number[] };

/** Runs a model in onnxruntime-node's CPU provider (no graph optimizations beyond the defaults). */
export async function runOrt(bytes: Uint8Array, feeds: Record<string, Feed>): Promise<Record<string, { data: ArrayLike<number | bigint>; shape: number[] }>> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], logSeverityLevel: 3 });
  const inputs: Record<string, ort.Tensor> = {};
  for (const [k, f] of Object.entries(feeds)) inputs[k] = new ort.Tensor(ortType(f.data), f.data as Float32Array, f.shape);
  const out = await session.run(inputs);
  await session.release();
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { data: t.data as ArrayLike<number | bigint>, shape: [...t.dims] }]));
}

function ortType(d: Data): ort.Tensor.Type {
  if (d instanceof Float32Array) return 'float32';
  if (d instanceof Int32Array) return 'int32';
  if (d instanceof BigInt64Array) return 'int64';
  if (d instanceof Int8Array) return 'int8';
  if (d instanceof Float64Array) return 'float64';
  if (d instanceof Uint16Array) return 'float16';
  return 'bool';
}

/** Largest |a - b| / (atol + rtol * |b|) over the elements (≤ 1 means within tolerance); NaNs must match. */
export function closeness(a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>, atol: number, rtol: number): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return Infinity;
      continue;
    }
    if (x === y) continue;
    worst = Math.max(worst, Math.abs(x - y) / (atol + rtol * Math.abs(y)));
  }
  return worst;
}
