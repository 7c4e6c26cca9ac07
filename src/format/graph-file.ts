// A GraphFile ⇄ MLGraphBuilder calls. Loading replays every node as the builder method of the same name, so each
// one goes through exactly the validation the API applies; saving turns an MLGraph's recorded calls back into
// nodes. The signature table says which arguments are operands and which are literals.
import { adoptConstant, adoptExternalConstant, MLGraphBuilder, type MLNamedOperands } from '../api/builder.js';
import type { MLContext } from '../api/context.js';
import { byteLength, checkDescriptor } from '../api/descriptor.js';
import { graphInternals, type MLGraph } from '../api/graph.js';
import type { MLOperand } from '../api/operand.js';
import { encodeScalar } from '../graph/cast.js';
import { DTYPES } from '../graph/dtypes.js';
import { dimsOf, type AttrValue } from '../graph/ir.js';
import { readConstant } from './external.js';
import { getOp } from '../ops/registry.js';
import { describeValue, GraphFileError, hasEntry, IDENT, putEntry, emptyGraphFile, isDynamic, posOf, type ConstDecl, type GraphFile, type NodeDecl, type Pos, type Value } from './model.js';
import { outputPositions } from './parser.js';
import { signatureOf } from './signatures.js';
import type { TensorData, WeightSource } from './weights.js';

function where(node: NodeDecl, index: number): { pos?: Pos; prefix: string } {
  const pos = posOf(node);
  return { pos, prefix: pos ? '' : `nodes[${index}] ('${node.id}'): ` };
}

function outputsOf(node: NodeDecl): string[] {
  return node.outputs ?? [node.id];
}

/**
 * Checks that every name is defined once and every reference is defined, and orders the nodes so that each comes
 * after the nodes it uses (files may list them in any order); a cycle is an error.
 */
export function orderNodes(g: GraphFile): NodeDecl[] {
  const defined = new Map<string, string>();
  for (const n of Object.keys(g.inputs)) defined.set(n, 'input');
  for (const n of Object.keys(g.consts)) {
    if (defined.has(n)) throw new GraphFileError(`'${n}' is declared as both an input and a constant: expected unique names`, posOf(g.consts[n]));
    defined.set(n, 'constant');
  }
  const producer = new Map<string, number>();
  g.nodes.forEach((node, i) => {
    const at = where(node, i);
    if (node.outputs && node.outputs[0] !== node.id) throw new GraphFileError(`${at.prefix}id '${node.id}' must be the first of its outputs [${node.outputs.join(', ')}]`, at.pos);
    for (const o of outputsOf(node)) {
      const first = producer.has(o) ? posOf(g.nodes[producer.get(o)!]) : undefined;
      if (defined.has(o)) {
        throw new GraphFileError(`${at.prefix}'${o}' is already defined${first ? ` at ${first.line}:${first.column}` : ` as ${defined.get(o)}`}: expected a new name`, at.pos);
      }
      defined.set(o, 'value');
      producer.set(o, i);
    }
  });
  const deps = g.nodes.map((node, i) => {
    const at = where(node, i);
    const refs = [...node.inputs, ...operandOptionRefs(node, i)];
    for (const r of refs) {
      if (!defined.has(r)) throw new GraphFileError(`${at.prefix}'${r}' is not defined: expected the name of an input, a constant or a node's output`, at.pos);
    }
    return refs.filter((r) => producer.has(r)).map((r) => producer.get(r)!);
  });
  // Depth-first with an explicit stack (a long chain of nodes must not overflow the call stack).
  const state = new Uint8Array(g.nodes.length); // 0 new, 1 on the path, 2 done
  const order: NodeDecl[] = [];
  const path: number[] = [];
  const nextDep: number[] = [];
  for (let root = 0; root < g.nodes.length; root++) {
    if (state[root] !== 0) continue;
    state[root] = 1;
    path.push(root);
    nextDep.push(0);
    while (path.length > 0) {
      const top = path.length - 1;
      const i = path[top]!;
      const d = deps[i]![nextDep[top]!++];
      if (d === undefined) {
        state[i] = 2;
        order.push(g.nodes[i]!);
        path.pop();
        nextDep.pop();
      } else if (state[d] === 1) {
        const cycle = [...path.slice(path.indexOf(d)), d].map((k) => `'${g.nodes[k]!.id}'`);
        const at = where(g.nodes[d]!, d);
        throw new GraphFileError(`${at.prefix}cycle: ${cycle.join(' → ')} (expected every value to depend only on values computed before it)`, at.pos);
      } else if (state[d] === 0) {
        state[d] = 1;
        path.push(d);
        nextDep.push(0);
      }
    }
  }
  for (const [name, ref] of Object.entries(g.outputs)) {
    if (!defined.has(ref)) throw new GraphFileError(`output '${name}' refers to '${ref}', which is not defined: expected a node's output`, outputPositions(g).get(name));
  }
  return order;
}

function operandOptionRefs(node: NodeDecl, index: number): string[] {
  const sig = signatureOf(node.op);
  if (!sig) return [];
  const refs: string[] = [];
  for (const k of sig.operandOptions) {
    const v = node.options[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') {
      const at = where(node, index);
      throw new GraphFileError(`${at.prefix}${node.op} option '${k}' must name an operand, found ${describeValue(v)}`, at.pos);
    }
    refs.push(v);
  }
  return refs;
}

/** A constant's bytes from its initialiser. */
export function constantBytes(name: string, c: ConstDecl, weights: WeightSource | undefined): Uint8Array {
  checkWeights(name, c, weights);
  return c.init.kind === 'weights' ? weights!.read(c.init.ref) : inlineBytes(name, c);
}

/** Constants this large stay in their weights file when the backend can read them there. */
const EXTERNAL_FROM = 1 << 20;

/** The builder's descriptor checks, before any bytes are read or made: a huge declared shape is an error, not an allocation. */
function checkConstDescriptor(name: string, c: ConstDecl): void {
  try {
    checkDescriptor({ dataType: c.dataType, shape: c.shape }, `constant '${name}'`);
  } catch (err) {
    throw new GraphFileError((err as Error).message, posOf(c));
  }
}

function inlineBytes(name: string, c: ConstDecl): Uint8Array {
  checkConstDescriptor(name, c);
  const pos = posOf(c);
  const expected = byteLength({ dataType: c.dataType, shape: c.shape });
  const declared = `${DTYPES[c.dataType].short}[${c.shape.join(', ')}]`;
  if (c.init.kind === 'inlineBytes') {
    if (c.init.bytes.length !== expected) throw new GraphFileError(`constant '${name}': @bytes has ${c.init.bytes.length} bytes, expected ${expected} for ${declared}`, pos);
    return Uint8Array.from(c.init.bytes);
  }
  if (c.init.kind === 'scalar') {
    if (DTYPES[c.dataType].bits < 8) throw new GraphFileError(`constant '${name}': @scalar cannot fill a ${c.dataType} tensor (packed below a byte); use @bytes or @weights`, pos);
    const one = encodeScalar(c.dataType, c.init.value);
    const out = new Uint8Array(expected);
    for (let o = 0; o + one.length <= expected; o += one.length) out.set(one, o);
    return out;
  }
  throw new GraphFileError(`constant '${name}' takes its bytes from weights, not inline`, pos);
}

/** Checks a @weights constant against its tensor in the weights (nothing to check for other initialisers). */
function checkWeights(name: string, c: ConstDecl, weights: WeightSource | undefined): void {
  if (c.init.kind !== 'weights') return;
  checkConstDescriptor(name, c);
  const pos = posOf(c);
  const expected = byteLength({ dataType: c.dataType, shape: c.shape });
  const declared = `${DTYPES[c.dataType].short}[${c.shape.join(', ')}]`;
  const ref = c.init.ref;
  if (!weights) throw new GraphFileError(`constant '${name}' uses @weights("${ref}") but no weights were given: expected a weights file and manifest, or a .safetensors file`, pos);
  const info = weights.info(ref);
  if (!info) throw new GraphFileError(`constant '${name}': no tensor '${ref}' in ${weights.file}`, pos);
  const found = `${DTYPES[info.dataType].short}[${info.shape.join(', ')}]`;
  const sameShape = info.shape.length === c.shape.length && info.shape.every((d, i) => d === c.shape[i]);
  if (info.dataType !== c.dataType || !sameShape) {
    throw new GraphFileError(`constant '${name}' is declared ${declared} but weights '${ref}' in ${weights.file} is ${found}: expected the same data type and shape`, pos);
  }
  if (info.byteLength !== expected) throw new GraphFileError(`constant '${name}': weights '${ref}' has ${info.byteLength} bytes, expected ${expected} for ${declared}`, pos);
}

export interface Replayed {
  builder: MLGraphBuilder;
  outputs: MLNamedOperands;
}

type BuilderMethod = (...args: unknown[]) => MLOperand | MLOperand[];

/** Makes the builder calls a graph file describes; every node is validated by the builder as it is added. */
export function replay(context: MLContext, g: GraphFile, weights?: WeightSource): Replayed {
  const order = orderNodes(g);
  const builder = new MLGraphBuilder(context);
  const values = new Map<string, MLOperand>();
  const rethrow = (err: unknown, pos: Pos | undefined, prefix: string): never => {
    if (err instanceof GraphFileError) throw err;
    throw new GraphFileError(`${prefix}${(err as Error).message}`, pos);
  };
  for (const [name, d] of Object.entries(g.inputs)) {
    try {
      values.set(name, builder.input(name, { dataType: d.dataType, shape: d.shape as number[] }));
    } catch (err) {
      rethrow(err, posOf(d), '');
    }
  }
  for (const [name, c] of Object.entries(g.consts)) {
    const desc = { dataType: c.dataType, shape: c.shape };
    try {
      checkWeights(name, c, weights);
      // Large weights stay in their file where the backend reads them itself (onnxruntime maps them); others are
      // read into buffers of their own and handed over rather than copied by the builder.
      const ext = c.init.kind === 'weights' ? weights!.locate?.(c.init.ref) : undefined;
      const external = ext && ext.byteLength >= EXTERNAL_FROM ? adoptExternalConstant(builder, desc, ext) : undefined;
      values.set(name, external ?? adoptConstant(builder, desc, c.init.kind === 'weights' ? weights!.read(c.init.ref) : inlineBytes(name, c)));
    } catch (err) {
      rethrow(err, posOf(c), `constant '${name}': `);
    }
  }
  const indexOf = new Map(g.nodes.map((n, i) => [n, i]));
  for (const node of order) {
    const at = where(node, indexOf.get(node)!);
    const sig = signatureOf(node.op);
    const method = (builder as unknown as Record<string, unknown>)[node.op];
    if (!sig || typeof method !== 'function' || !getOp(node.op)) {
      throw new GraphFileError(`${at.prefix}unknown operator '${node.op}'${sig ? ': tsnn does not implement it yet' : ': expected a WebNN operator name'}`, at.pos);
    }
    const operand = (n: string) => values.get(n)!;
    const args: unknown[] = [];
    const options: Record<string, unknown> = {};
    const single = sig.params.filter((p) => p.kind === 'operand').length;
    let next = 0;
    for (const p of sig.params) {
      if (p.kind === 'operand') args.push(next < node.inputs.length ? operand(node.inputs[next++]!) : undefined);
      else if (p.kind === 'operands') {
        const count = Math.max(0, node.inputs.length - single);
        args.push(node.inputs.slice(next, next + count).map(operand));
        next += count;
      } else args.push(node.options[p.name]);
    }
    if (next < node.inputs.length) {
      throw new GraphFileError(`${at.prefix}${node.op} takes ${single} operand${single === 1 ? '' : 's'} (${sig.params.filter((p) => p.kind !== 'value').map((p) => p.name).join(', ')}), found ${node.inputs.length}`, at.pos);
    }
    for (const [k, v] of Object.entries(node.options)) {
      if (sig.params.some((p) => p.name === k)) continue;
      putEntry(options, k, sig.operandOptions.includes(k) && typeof v === 'string' ? operand(v) : v);
    }
    args.push(options);
    let result: MLOperand | MLOperand[];
    try {
      result = (method as BuilderMethod).apply(builder, args);
    } catch (err) {
      return rethrow(err, at.pos, at.prefix);
    }
    const names = outputsOf(node);
    const results = Array.isArray(result) ? result : [result];
    if (results.length !== names.length || Array.isArray(result) !== Boolean(node.outputs)) {
      throw new GraphFileError(`${at.prefix}${node.op} returns ${results.length} operand${results.length === 1 ? '' : 's'}${Array.isArray(result) ? ' (write [a, b, ...] = ...)' : ''}, the file names ${names.length}`, at.pos);
    }
    names.forEach((n, i) => values.set(n, results[i]!));
  }
  const outputs: MLNamedOperands = {};
  for (const [name, ref] of Object.entries(g.outputs)) {
    if (hasEntry(g.inputs, ref) || hasEntry(g.consts, ref)) {
      throw new GraphFileError(`output '${name}' names ${hasEntry(g.inputs, ref) ? 'input' : 'constant'} '${ref}': expected a node's output`, outputPositions(g).get(name));
    }
    putEntry(outputs, name, values.get(ref)!);
  }
  if (Object.keys(outputs).length === 0) throw new GraphFileError('the graph has no outputs: expected at least one name in the outputs block');
  return { builder, outputs };
}

/** Replays the file and compiles the graph. */
export async function buildGraphFile(context: MLContext, g: GraphFile, weights?: WeightSource): Promise<MLGraph> {
  const { builder, outputs } = replay(context, g, weights);
  return builder.build(outputs);
}

// ---- MLGraph → GraphFile -------------------------------------------------------------------------------------------

export interface LazyTensor extends Omit<TensorData, 'bytes'> {
  bytes(): Uint8Array;
}

export interface SavedGraph {
  file: GraphFile;
  /**
   * Constant tensors by weights key (empty when constants are written inline); their bytes are read on demand, as
   * constants left in a weights file are read from it.
   */
  tensors: Map<string, LazyTensor>;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The save id of the file each graph was loaded from, where its weights carried the same id: the graph's constants
 * are then that save's weights, and saving it again gives that id again (the id is a digest of the weights).
 */
const loadedSaveIds = new WeakMap<MLGraph, string>();

export function rememberSaveId(graph: MLGraph, saveId: string): void {
  loadedSaveIds.set(graph, saveId);
}

function isRef(v: AttrValue): v is { $operand: number } {
  return !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { $operand?: unknown }).$operand === 'number';
}

/** The graph file of a built graph; constants become @weights (or @bytes with `inline`). */
export function graphToFile(graph: MLGraph, opts: { name?: string; inline?: boolean } = {}): SavedGraph {
  const state = graphInternals(graph);
  if (!state) throw new TypeError('saveGraph: argument is not an MLGraph');
  const ir = state.ir;
  const file = emptyGraphFile(opts.name ?? 'graph');
  const tensors = new Map<string, LazyTensor>();
  const names = new Map<number, string>();
  const used = new Set<string>();
  const claim = (id: number, n: string) => {
    names.set(id, n);
    used.add(n);
  };
  const fresh = (base: string): string => {
    let n = base;
    for (let k = 1; used.has(n); k++) n = `${base}_${k}`;
    return n;
  };
  for (const input of ir.inputs) claim(input.operand, input.name);
  for (const out of ir.outputs) if (!names.has(out.operand) && IDENT.test(out.name) && !used.has(out.name)) claim(out.operand, out.name);
  // Sequential names (c0, c1, ... and v0, v1, ...) so that saving a loaded graph gives the same file again.
  let constants = 0;
  let values = 0;
  for (const op of ir.operands) if (!names.has(op.id)) claim(op.id, fresh(op.kind === 'constant' ? `c${constants++}` : `v${values++}`));

  let dynamic = false;
  for (const input of ir.inputs) {
    const desc = ir.operands[input.operand]!.desc;
    const shape = dimsOf(desc);
    dynamic ||= shape.some(isDynamic);
    putEntry(file.inputs, input.name, { dataType: desc.dataType, shape: shape.map((d) => (isDynamic(d) ? { name: d.name, maxSize: d.maxSize } : d)) });
  }
  file.version = dynamic ? 2 : 1;
  const saveId = opts.inline ? undefined : loadedSaveIds.get(graph);
  if (saveId !== undefined) file.saveId = saveId;
  const constantIds = [...ir.constants.keys(), ...(ir.externalConstants?.keys() ?? [])].sort((a, b) => a - b);
  for (const id of constantIds) {
    const { dataType, shape } = ir.operands[id]!.desc;
    const name = names.get(id)!;
    if (opts.inline) putEntry(file.consts, name, { dataType, shape: [...shape], init: { kind: 'inlineBytes', bytes: [...readConstant(ir, id)!] } });
    else {
      putEntry(file.consts, name, { dataType, shape: [...shape], init: { kind: 'weights', ref: name } });
      tensors.set(name, { dataType, shape: [...shape], bytes: () => readConstant(ir, id)! });
    }
  }
  const toValue = (v: AttrValue): Value => {
    if (isRef(v)) return names.get(v.$operand)!;
    // A bigint the file form can hold as a plain number casts the same either way; only larger ones stay bigints
    // (the text and JSON forms read integers beyond 2^53 as bigints and all others as numbers).
    if (typeof v === 'bigint') return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
    if (Array.isArray(v)) return v.map(toValue);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toValue(x)]));
    return v;
  };
  for (const node of ir.nodes) {
    const sig = signatureOf(node.op);
    if (!node.call || !sig) throw new TypeError(`saveGraph: node ${node.id} (${node.op}) has no recorded builder call to save`);
    const decl: NodeDecl = { id: names.get(node.outputs[0]!)!, op: node.op, inputs: [], options: {} };
    sig.params.forEach((p, i) => {
      const a = node.call![i] ?? null;
      if (p.kind === 'value') {
        putEntry(decl.options, p.name, toValue(a));
      } else {
        for (const x of Array.isArray(a) ? a : [a]) if (isRef(x)) decl.inputs.push(names.get(x.$operand)!);
      }
    });
    const options = node.call[sig.params.length];
    if (options && typeof options === 'object' && !Array.isArray(options)) {
      for (const [k, v] of Object.entries(options)) if (!(k === 'label' && v === '')) putEntry(decl.options, k, toValue(v));
    }
    if (getOp(node.op)?.multipleOutputs) decl.outputs = node.outputs.map((o) => names.get(o)!);
    file.nodes.push(decl);
  }
  for (const out of ir.outputs) putEntry(file.outputs, out.name, names.get(out.operand)!);
  return { file, tensors };
}
