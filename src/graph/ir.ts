// The platform-independent graph (IR) that MLGraphBuilder records and backends compile.
// Plain data: operands by index, nodes with JSON-able attributes, constants as bytes (or references to bytes in a
// file, which only platforms with files create). Serialisable with toJSON/fromJSON.
import { fromBase64, toBase64 } from './base64.js';
import { isDataType, type MLOperandDataType } from './dtypes.js';
import { baseNames, hasDynamic, isDynamic, maxSizes, canonicalName, type Dim } from './dims.js';

export interface OperandDescriptor {
  dataType: MLOperandDataType;
  /** Static sizes; for a dynamic dimension, its maxSize. */
  shape: number[];
  /** Present only when some dimension is dynamic (see graph/dims.ts); `shape` then holds the bounds. */
  dims?: Dim[];
}

/** The descriptor's dimensions, dynamic ones included. */
export function dimsOf(desc: OperandDescriptor): readonly Dim[] {
  return desc.dims ?? desc.shape;
}

/** A descriptor from Dims: `dims` is kept only when one of them is dynamic, so static IR stays as it was. */
export function descriptorOf(dataType: MLOperandDataType, dims: readonly Dim[]): OperandDescriptor {
  return hasDynamic(dims) ? { dataType, shape: maxSizes(dims), dims: [...dims] } : { dataType, shape: [...dims] as number[] };
}

export type OperandKind = 'input' | 'constant' | 'intermediate';

export interface IrOperand {
  id: number;
  desc: OperandDescriptor;
  kind: OperandKind;
  /** Graph input name (kind 'input'). */
  name?: string;
  /** Index of the producing node (kind 'intermediate'). */
  producer?: number;
}

/** Attribute values are JSON data; bigints (MLNumber options on 64-bit types) are kept as bigint. */
export type AttrValue = number | bigint | string | boolean | null | AttrValue[] | { [key: string]: AttrValue };
export type Attrs = Record<string, AttrValue>;

export interface IrNode {
  id: number;
  op: string;
  /** Operand ids, positional as the operator defines them; null for an absent optional operand. */
  inputs: (number | null)[];
  outputs: number[];
  attrs: Attrs;
  label: string;
  /**
   * The builder call's arguments as given (operands as {$operand: id}), so a graph can be written back as the
   * calls that made it (graph files). Absent on nodes not recorded by MLGraphBuilder.
   */
  call?: AttrValue[];
}

/** `v` with every {$operand: id} in it passed through `f`. */
export function mapOperandRefs(v: AttrValue, f: (id: number) => number): AttrValue {
  if (Array.isArray(v)) return v.map((x) => mapOperandRefs(x, f));
  if (v && typeof v === 'object') {
    if (typeof v.$operand === 'number' && Object.keys(v).length === 1) return { $operand: f(v.$operand) };
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapOperandRefs(x, f)]));
  }
  return v;
}

export interface GraphIR {
  operands: IrOperand[];
  nodes: IrNode[];
  /** Constant bytes by operand id. */
  constants: Map<number, Uint8Array>;
  /**
   * Constants whose bytes stay in a file (graph files with large weights), by operand id; only built for backends
   * that declare `externalConstants`. Read them where files are (src/format/external.ts).
   */
  externalConstants?: Map<number, ExternalConstant>;
  inputs: { name: string; operand: number }[];
  outputs: { name: string; operand: number }[];
}

/** Bytes of a constant that lie in a file. */
export interface ExternalConstant {
  /** Absolute path. */
  path: string;
  byteOffset: number;
  byteLength: number;
}

export function emptyGraph(): GraphIR {
  return { operands: [], nodes: [], constants: new Map(), inputs: [], outputs: [] };
}

/**
 * The part of `ir` that the named outputs depend on, renumbered densely and in topological order
 * (node order is already topological: a node can only use operands created before it).
 */
export function pruneToOutputs(ir: GraphIR, outputs: { name: string; operand: number }[]): GraphIR {
  const neededOperands = new Set<number>();
  const neededNodes = new Set<number>();
  const stack = outputs.map((o) => o.operand);
  while (stack.length) {
    const id = stack.pop()!;
    if (neededOperands.has(id)) continue;
    neededOperands.add(id);
    const producer = ir.operands[id]!.producer;
    if (producer !== undefined && !neededNodes.has(producer)) {
      neededNodes.add(producer);
      const node = ir.nodes[producer]!;
      for (const i of node.inputs) if (i !== null) stack.push(i);
      for (const o of node.outputs) neededOperands.add(o);
    }
  }
  keepDimensionSources(ir, neededOperands);
  const remap = new Map<number, number>();
  const operands: IrOperand[] = [];
  for (const op of ir.operands) {
    if (!neededOperands.has(op.id)) continue;
    remap.set(op.id, operands.length);
    operands.push({ ...op, id: operands.length, desc: { ...op.desc, shape: [...op.desc.shape] } });
  }
  const nodes: IrNode[] = [];
  const nodeRemap = new Map<number, number>();
  for (const node of ir.nodes) {
    if (!neededNodes.has(node.id)) continue;
    nodeRemap.set(node.id, nodes.length);
    nodes.push({
      ...node,
      id: nodes.length,
      inputs: node.inputs.map((i) => (i === null ? null : remap.get(i)!)),
      outputs: node.outputs.map((o) => remap.get(o)!),
      ...(node.call ? { call: node.call.map((a) => mapOperandRefs(a, (id) => remap.get(id)!)) } : {}),
    });
  }
  for (const op of operands) if (op.producer !== undefined) op.producer = nodeRemap.get(op.producer)!;
  const constants = new Map<number, Uint8Array>();
  for (const [id, bytes] of ir.constants) if (remap.has(id)) constants.set(remap.get(id)!, bytes);
  const external = new Map<number, ExternalConstant>();
  for (const [id, ext] of ir.externalConstants ?? []) if (remap.has(id)) external.set(remap.get(id)!, ext);
  return {
    operands,
    nodes,
    constants,
    ...(external.size ? { externalConstants: external } : {}),
    inputs: ir.inputs.filter((i) => remap.has(i.operand)).map((i) => ({ name: i.name, operand: remap.get(i.operand)! })),
    outputs: outputs.map((o) => ({ name: o.name, operand: remap.get(o.operand)! })),
  };
}

/**
 * Keeps, besides the inputs the outputs depend on, an input that is the only carrier of a dynamic dimension name a
 * kept operand uses (e.g. expand(x, [y.shape[0]]) with y otherwise unused): its size is bound at dispatch from that
 * input, and the compiled model reads it from that input's shape.
 */
function keepDimensionSources(ir: GraphIR, needed: Set<number>): void {
  const used = new Set<string>();
  for (const id of needed) for (const d of dimsOf(ir.operands[id]!.desc)) for (const name of baseNames(d)) used.add(name);
  if (used.size === 0) return;
  for (const input of ir.inputs) {
    if (!needed.has(input.operand)) continue;
    for (const d of dimsOf(ir.operands[input.operand]!.desc)) if (isDynamic(d)) used.delete(d.name);
  }
  for (const input of ir.inputs) {
    if (used.size === 0) return;
    const names = dimsOf(ir.operands[input.operand]!.desc).filter(isDynamic).map((d) => d.name);
    if (!names.some((name) => used.has(name))) continue;
    needed.add(input.operand);
    for (const name of names) used.delete(name);
  }
}

// ---- JSON form -------------------------------------------------------------------------------------------------

export interface GraphIRJson {
  format: 'tsnn-ir';
  version: 1;
  operands: IrOperand[];
  nodes: IrNode[];
  constants: Record<string, string>; // operand id → base64
  /** Constants left in files, by operand id (references, not bytes). */
  externalConstants?: Record<string, ExternalConstant>;
  inputs: { name: string; operand: number }[];
  outputs: { name: string; operand: number }[];
}

function encodeAttr(v: AttrValue): unknown {
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  if (Array.isArray(v)) return v.map(encodeAttr);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeAttr(x)]));
  if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
  return v;
}

function decodeAttr(v: unknown): AttrValue {
  if (Array.isArray(v)) return v.map(decodeAttr);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$bigint === 'string') return BigInt(o.$bigint);
    if (typeof o.$number === 'string') return Number(o.$number);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeAttr(x)]));
  }
  return v as AttrValue;
}

export function toJSON(ir: GraphIR): GraphIRJson {
  const constants: Record<string, string> = {};
  for (const [id, bytes] of ir.constants) constants[String(id)] = toBase64(bytes);
  return {
    format: 'tsnn-ir',
    version: 1,
    operands: ir.operands,
    nodes: ir.nodes.map((n) => ({ ...n, attrs: encodeAttr(n.attrs) as Attrs })),
    constants,
    ...(ir.externalConstants?.size ? { externalConstants: Object.fromEntries([...ir.externalConstants].map(([id, ext]) => [String(id), { ...ext }])) } : {}),
    inputs: ir.inputs,
    outputs: ir.outputs,
  };
}

function validDims(desc: OperandDescriptor): boolean {
  if (desc.dims === undefined) return true;
  if (!Array.isArray(desc.dims) || desc.dims.length !== desc.shape.length || !hasDynamic(desc.dims)) return false;
  return desc.dims.every((d, i) => {
    if (!isDynamic(d)) return d === desc.shape[i];
    if (d.maxSize !== desc.shape[i] || typeof d.name !== 'string') return false;
    try {
      return canonicalName(d.name) === d.name && Number.isInteger(d.maxSize) && d.maxSize >= 1;
    } catch {
      return false;
    }
  });
}

export function fromJSON(json: unknown): GraphIR {
  const j = json as Partial<GraphIRJson>;
  if (!j || j.format !== 'tsnn-ir' || j.version !== 1) throw new TypeError('not a tsnn-ir version 1 document');
  const operands = j.operands ?? [];
  operands.forEach((o, i) => {
    if (o.id !== i || !isDataType(o.desc?.dataType) || !Array.isArray(o.desc.shape) || !validDims(o.desc)) {
      throw new TypeError(`tsnn-ir: operand ${i} is malformed`);
    }
  });
  const constants = new Map<number, Uint8Array>();
  for (const [id, b64] of Object.entries(j.constants ?? {})) constants.set(Number(id), fromBase64(b64));
  const external = new Map(Object.entries(j.externalConstants ?? {}).map(([id, ext]) => [Number(id), { ...ext }]));
  return {
    operands,
    nodes: (j.nodes ?? []).map((n) => ({ ...n, attrs: decodeAttr(n.attrs) as Attrs })),
    constants,
    ...(external.size ? { externalConstants: external } : {}),
    inputs: j.inputs ?? [],
    outputs: j.outputs ?? [],
  };
}
