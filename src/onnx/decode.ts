// Decoding an ONNX ModelProto into plain typed structures for the importer (src/import) and `tsnn info`.
// Platform-neutral: bytes in, data out; external data is only located here (the caller reads the files).
//
// 64-bit integers: protobufjs hands int64 fields over as Long objects (its `long` dependency) or, without it, as
// doubles. Attribute integers become bigints here, exactly (Slice's INT64_MAX ends, Clip's int64 bounds); tensor
// dims and the like become numbers and must be safe integers. Bytes (raw_data) are views into the model's buffer,
// never copies, so decoding a large model does not double its memory.
import { GraphProto, ModelProto, OnnxDataType, onnxTypeName } from './schema.js';

export class OnnxDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxDecodeError';
  }
}

export interface ExternalLocation {
  /** The file, relative to the model's directory. */
  location: string;
  offset: number;
  /** Absent: to the end of the file. */
  length?: number;
}

export interface DecodedTensor {
  name: string;
  /** ONNX TensorProto.DataType code. */
  dataType: number;
  dims: number[];
  /** Little-endian element bytes in the layout of ONNX raw_data (also built from the typed *_data fields). */
  raw?: Uint8Array;
  /** Where the bytes lie when they are ONNX external data. */
  external?: ExternalLocation;
  /** STRING tensors. */
  strings?: Uint8Array[];
}

export interface DecodedAttribute {
  name: string;
  /** AttributeProto.AttributeType (inferred from the field present in models that leave it unset). */
  type: number;
  f?: number;
  i?: bigint;
  s?: Uint8Array;
  t?: DecodedTensor;
  g?: DecodedGraph;
  floats?: number[];
  ints?: bigint[];
  strings?: Uint8Array[];
  tensors?: DecodedTensor[];
  graphs?: DecodedGraph[];
  /** Set in function bodies only: the attribute refers to one of the function's attributes. */
  refAttrName?: string;
}

export interface DecodedNode {
  name: string;
  opType: string;
  /** '' for the default domain (written as '' or 'ai.onnx'). */
  domain: string;
  input: string[];
  output: string[];
  attributes: Map<string, DecodedAttribute>;
}

export type ValueKind = 'tensor' | 'sequence' | 'map' | 'optional' | 'sparse_tensor' | 'unknown';

/** A dimension of a value's declared shape: a size, a symbolic name, or undefined where neither is given. */
export type DecodedDim = number | string | undefined;

export interface DecodedValueInfo {
  name: string;
  kind: ValueKind;
  elemType?: number;
  /** Absent when the shape is not given (unknown rank). */
  shape?: DecodedDim[];
}

export interface DecodedGraph {
  name: string;
  nodes: DecodedNode[];
  initializers: DecodedTensor[];
  inputs: DecodedValueInfo[];
  outputs: DecodedValueInfo[];
  valueInfo: DecodedValueInfo[];
  /** Names of sparse initializers (the importer refuses them). */
  sparseInitializers: string[];
}

export interface DecodedModel {
  irVersion: number;
  /** Domain ('' for the default domain) → imported opset version. */
  opsets: Map<string, number>;
  producerName: string;
  producerVersion: string;
  graph: DecodedGraph;
  /** Model-local functions (domain and name), which nodes may call like operators. */
  functions: { domain: string; name: string }[];
  metadata: Record<string, string>;
}

// ---- 64-bit integers ------------------------------------------------------------------------------------------------

interface LongLike { low: number; high: number; unsigned?: boolean }

function isLong(v: unknown): v is LongLike {
  return typeof v === 'object' && v !== null && typeof (v as LongLike).low === 'number' && typeof (v as LongLike).high === 'number';
}

/** An int64/uint64 field as a bigint, exactly when protobufjs delivered a Long. */
export function toBigInt(v: unknown, unsigned = false): bigint {
  if (typeof v === 'bigint') return v;
  if (isLong(v)) {
    const bits = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
    return unsigned || v.unsigned ? bits : BigInt.asIntN(64, bits);
  }
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'string') return BigInt(v);
  return 0n;
}

/** An int64 field that must be a safe integer (sizes, counts, versions). */
function toSafe(v: unknown, what: string): number {
  const b = toBigInt(v);
  if (b > BigInt(Number.MAX_SAFE_INTEGER) || b < BigInt(Number.MIN_SAFE_INTEGER)) throw new OnnxDecodeError(`${what} ${b} is beyond 2^53`);
  return Number(b);
}

// ---- tensors --------------------------------------------------------------------------------------------------------

type Msg = Record<string, unknown>;

const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Bytes per element of the types that int32_data carries one element per entry, with each entry's width. */
const INT32_FIELD_WIDTH: Record<number, number> = {
  [OnnxDataType.INT32]: 4, [OnnxDataType.INT16]: 2, [OnnxDataType.UINT16]: 2, [OnnxDataType.INT8]: 1,
  [OnnxDataType.UINT8]: 1, [OnnxDataType.BOOL]: 1, [OnnxDataType.FLOAT16]: 2, [OnnxDataType.BFLOAT16]: 2,
  [OnnxDataType.FLOAT8E4M3FN]: 1, [OnnxDataType.FLOAT8E4M3FNUZ]: 1, [OnnxDataType.FLOAT8E5M2]: 1, [OnnxDataType.FLOAT8E5M2FNUZ]: 1,
  // 4-bit types: each entry holds one byte of two packed elements.
  [OnnxDataType.INT4]: 1, [OnnxDataType.UINT4]: 1, [OnnxDataType.FLOAT4E2M1]: 1,
};

/** The typed *_data field of a tensor as raw little-endian bytes (the layout raw_data would have). */
function typedFieldBytes(t: Msg, dataType: number, name: string): Uint8Array | undefined {
  const floats = arr<number>(t.floatData);
  const int32s = arr<number>(t.int32Data);
  const int64s = arr<unknown>(t.int64Data);
  const doubles = arr<number>(t.doubleData);
  const uint64s = arr<unknown>(t.uint64Data);
  const any = floats.length + int32s.length + int64s.length + doubles.length + uint64s.length;
  if (any === 0) return undefined;
  switch (dataType) {
    case OnnxDataType.FLOAT: return bytesOf(Float32Array.from(floats));
    case OnnxDataType.DOUBLE: return bytesOf(Float64Array.from(doubles));
    case OnnxDataType.INT64: return bytesOf(BigInt64Array.from(int64s, (v) => toBigInt(v)));
    case OnnxDataType.UINT64: return bytesOf(BigUint64Array.from(uint64s, (v) => BigInt.asUintN(64, toBigInt(v, true))));
    case OnnxDataType.UINT32: return bytesOf(Uint32Array.from(uint64s, (v) => Number(BigInt.asUintN(32, toBigInt(v, true)))));
    default: {
      const width = INT32_FIELD_WIDTH[dataType];
      if (width === undefined) throw new OnnxDecodeError(`tensor '${name}' of ${onnxTypeName(dataType)} has typed data fields ONNX does not define for it`);
      const out = new Uint8Array(int32s.length * width);
      const view = new DataView(out.buffer);
      int32s.forEach((v, i) => {
        if (width === 4) view.setInt32(i * 4, v, true);
        else if (width === 2) view.setUint16(i * 2, v & 0xffff, true);
        else out[i] = v & 0xff;
      });
      return out;
    }
  }
}

function plain(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function decodeTensor(t: Msg): DecodedTensor {
  const name = str(t.name);
  const dataType = num(t.dataType);
  const dims = arr<unknown>(t.dims).map((d) => {
    const n = toSafe(d, `tensor '${name}': dimension`);
    if (n < 0) throw new OnnxDecodeError(`tensor '${name}' has a negative dimension ${n}`);
    return n;
  });
  const out: DecodedTensor = { name, dataType, dims };
  if (t.segment) throw new OnnxDecodeError(`tensor '${name}' is a segment of a larger tensor, which ONNX models do not use`);
  const external = arr<Msg>(t.externalData);
  if (num(t.dataLocation) === 1 || external.length > 0) {
    const entry = (k: string) => external.find((e) => e.key === k)?.value as string | undefined;
    const location = entry('location');
    if (!location) throw new OnnxDecodeError(`tensor '${name}' is external data without a location`);
    const offset = entry('offset');
    const length = entry('length');
    const parse = (v: string, what: string) => {
      if (!/^[0-9]+$/.test(v)) throw new OnnxDecodeError(`tensor '${name}': external data ${what} '${v}' is not a number`);
      return Number(v);
    };
    out.external = { location, offset: offset === undefined ? 0 : parse(offset, 'offset'), ...(length === undefined ? {} : { length: parse(length, 'length') }) };
    return out;
  }
  if (dataType === OnnxDataType.STRING) {
    out.strings = arr<Uint8Array>(t.stringData);
    return out;
  }
  // A plain Uint8Array view (protobufjs hands out Buffers in Node, whose slice() does not copy).
  const raw = t.rawData instanceof Uint8Array && t.rawData.byteLength > 0 ? plain(t.rawData) : typedFieldBytes(t, dataType, name);
  out.raw = raw ?? new Uint8Array(0);
  return out;
}

// ---- value infos ----------------------------------------------------------------------------------------------------

function decodeValueInfo(v: Msg): DecodedValueInfo {
  const name = str(v.name);
  const type = v.type as Msg | undefined;
  if (!type) return { name, kind: 'unknown' };
  const tensor = (type.tensorType ?? type.sparseTensorType) as Msg | undefined;
  const kind: ValueKind = type.tensorType ? 'tensor' : type.sparseTensorType ? 'sparse_tensor' : type.sequenceType ? 'sequence'
    : type.mapType ? 'map' : type.optionalType ? 'optional' : 'unknown';
  if (!tensor) return { name, kind };
  const out: DecodedValueInfo = { name, kind, elemType: num(tensor.elemType) };
  const shape = tensor.shape as Msg | undefined;
  if (shape) {
    out.shape = arr<Msg>(shape.dim).map((d) => {
      // A oneof: only the member present in the bytes is an own property (the other reads the prototype's default).
      if (Object.hasOwn(d, 'dimValue')) {
        const n = toSafe(d.dimValue, `value '${name}': dimension`);
        return n >= 0 ? n : undefined;
      }
      return Object.hasOwn(d, 'dimParam') && typeof d.dimParam === 'string' && d.dimParam !== '' ? d.dimParam : undefined;
    });
  }
  return out;
}

// ---- attributes, nodes, graphs --------------------------------------------------------------------------------------

const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9, GRAPHS: 10, SPARSE_TENSOR: 11, SPARSE_TENSORS: 12 };

function decodeAttribute(a: Msg, depth: number): DecodedAttribute {
  const name = str(a.name);
  let type = num(a.type);
  const floats = arr<number>(a.floats);
  const ints = arr<unknown>(a.ints);
  const strings = arr<Uint8Array>(a.strings);
  const tensors = arr<Msg>(a.tensors);
  const graphs = arr<Msg>(a.graphs);
  if (type === 0) {
    // IR version < 3 models leave the type unset: take it from the field that is present.
    type = a.g ? ATTR.GRAPH : a.t ? ATTR.TENSOR : a.s && (a.s as Uint8Array).length ? ATTR.STRING
      : floats.length ? ATTR.FLOATS : ints.length ? ATTR.INTS : strings.length ? ATTR.STRINGS
        : a.i !== undefined && toBigInt(a.i) !== 0n ? ATTR.INT : a.f ? ATTR.FLOAT : 0;
  }
  const out: DecodedAttribute = { name, type };
  if (a.refAttrName) out.refAttrName = str(a.refAttrName);
  switch (type) {
    case ATTR.FLOAT: out.f = num(a.f); break;
    case ATTR.INT: out.i = toBigInt(a.i); break;
    case ATTR.STRING: out.s = (a.s as Uint8Array | undefined) ?? new Uint8Array(0); break;
    case ATTR.TENSOR: if (a.t) out.t = decodeTensor(a.t as Msg); break;
    case ATTR.GRAPH: if (a.g) out.g = decodeGraph(a.g as Msg, depth + 1); break;
    case ATTR.FLOATS: out.floats = floats; break;
    case ATTR.INTS: out.ints = ints.map((v) => toBigInt(v)); break;
    case ATTR.STRINGS: out.strings = strings; break;
    case ATTR.TENSORS: out.tensors = tensors.map(decodeTensor); break;
    case ATTR.GRAPHS: out.graphs = graphs.map((g) => decodeGraph(g, depth + 1)); break;
    default: break; // sparse tensors and type protos: the type says what it was; handlers refuse what they cannot use
  }
  return out;
}

/** Subgraphs (If branches) nest; a model nesting deeper than this is refused rather than overflowing the stack. */
const MAX_GRAPH_DEPTH = 64;

function decodeGraph(g: Msg, depth: number): DecodedGraph {
  if (depth > MAX_GRAPH_DEPTH) throw new OnnxDecodeError(`subgraphs nest more than ${MAX_GRAPH_DEPTH} deep`);
  return {
    name: str(g.name),
    nodes: arr<Msg>(g.node).map((n) => {
      const attributes = new Map<string, DecodedAttribute>();
      for (const a of arr<Msg>(n.attribute)) {
        const attr = decodeAttribute(a, depth);
        attributes.set(attr.name, attr);
      }
      const domain = str(n.domain);
      return {
        name: str(n.name),
        opType: str(n.opType),
        domain: domain === 'ai.onnx' ? '' : domain,
        input: arr<string>(n.input),
        output: arr<string>(n.output),
        attributes,
      };
    }),
    initializers: arr<Msg>(g.initializer).map(decodeTensor),
    inputs: arr<Msg>(g.input).map(decodeValueInfo),
    outputs: arr<Msg>(g.output).map(decodeValueInfo),
    valueInfo: arr<Msg>(g.valueInfo).map(decodeValueInfo),
    sparseInitializers: arr<Msg>(g.sparseInitializer).map((s) => str((s.values as Msg | undefined)?.name) || '(unnamed)'),
  };
}

function protobufError(err: unknown): OnnxDecodeError {
  const why = (err as Error).message;
  return new OnnxDecodeError(`not a valid ONNX model: the protobuf is truncated or corrupt (${why})`);
}

/** Decodes a serialized ModelProto. Errors are OnnxDecodeErrors saying what is wrong. */
export function decodeModel(bytes: Uint8Array): DecodedModel {
  if (bytes.byteLength === 0) throw new OnnxDecodeError('not a valid ONNX model: the file is empty');
  let m: Msg;
  try {
    m = ModelProto.decode(bytes) as unknown as Msg;
  } catch (err) {
    throw protobufError(err);
  }
  if (!m.graph) throw new OnnxDecodeError('not a valid ONNX model: it has no graph');
  const opsets = new Map<string, number>();
  for (const o of arr<Msg>(m.opsetImport)) {
    const domain = str(o.domain);
    opsets.set(domain === 'ai.onnx' ? '' : domain, toSafe(o.version, 'opset version'));
  }
  const metadata: Record<string, string> = {};
  for (const e of arr<Msg>(m.metadataProps)) metadata[str(e.key)] = str(e.value);
  return {
    irVersion: toSafe(m.irVersion ?? 0, 'ir_version'),
    opsets,
    producerName: str(m.producerName),
    producerVersion: str(m.producerVersion),
    graph: decodeGraph(m.graph as Msg, 0),
    functions: arr<Msg>(m.functions).map((f) => ({ domain: str(f.domain), name: str(f.name) })),
    metadata,
  };
}

/** Decodes a serialized GraphProto (for tests and tools that hold a bare graph). */
export function decodeGraphBytes(bytes: Uint8Array): DecodedGraph {
  try {
    return decodeGraph(GraphProto.decode(bytes) as unknown as Msg, 0);
  } catch (err) {
    throw err instanceof OnnxDecodeError ? err : protobufError(err);
  }
}

/** The attribute's string value as text. */
export function attrText(a: DecodedAttribute): string {
  return new TextDecoder().decode(a.s ?? new Uint8Array(0));
}
