// What the graph viewer draws, computed from a graph's IR (platform-neutral: the `tsnn view` command and pages that
// build graphs both make it): operators as nodes, graph inputs and outputs as nodes of their own, one edge per use
// of a value with its data type and shape (dynamic dimensions marked), and constants folded into the nodes that use
// them instead of drawn as nodes.
import { graphInternals, type MLGraph } from '../api/graph.js';
import { DTYPES, viewAs } from '../graph/dtypes.js';
import { fromFloat16Bits, toFloat16Bits } from '../graph/float16.js';
import { isDynamic } from '../graph/dims.js';
import { dimsOf, type AttrValue, type GraphIR, type IrNode, type OperandDescriptor } from '../graph/ir.js';
import { getOp } from '../ops/registry.js';

export interface ViewConstant {
  /** The argument it is passed as ('filter', 'bias', ...), where the builder call is recorded. */
  arg?: string;
  /** "f32[64, 3, 3, 3]" */
  type: string;
  /** The values of constants of at most a few elements ("0.5", "[1, 2]"). */
  value?: string;
  bytes: number;
}

export interface ViewNode {
  id: number;
  kind: 'input' | 'output' | 'op';
  /** The operator, or 'input'/'output'. */
  op: string;
  /** The node's label (MLOperatorOptions.label), the input's or output's name, or '' when it has none. */
  name: string;
  /** Constants this node uses, in argument order. */
  constants: ViewConstant[];
  /** The operator's attributes as `key: value` lines (long values shortened). */
  attrs: string[];
}

export interface ViewEdge {
  from: number;
  to: number;
  /** "f32 [1, seq, 64]": the value's data type and shape. */
  label: string;
  /** Whether the shape has a dynamic dimension. */
  dynamic: boolean;
}

export interface GraphView {
  name: string;
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Operators, constants and their bytes, for the header. */
  stats: { operators: number; constants: number; constantBytes: number };
}

const MAX_ATTR = 60;
const MAX_VALUES = 4;

/** "f32[1, seq≤128, 64]" parts: the data type's short name and the dimensions. */
export function typeText(desc: OperandDescriptor): { text: string; dynamic: boolean } {
  const dims = dimsOf(desc);
  const shown = dims.map((d) => (isDynamic(d) ? `${d.name}≤${d.maxSize}` : String(d)));
  return { text: `${DTYPES[desc.dataType].short}[${shown.join(', ')}]`, dynamic: dims.some(isDynamic) };
}

function attrText(v: AttrValue): string {
  let text: string;
  try {
    text = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > MAX_ATTR ? `${text.slice(0, MAX_ATTR - 1)}…` : text;
}

/** The fewest significant digits that still read back as the same value in its type (1e-5, not 0.000009999999747). */
function shortest(x: number, same: (y: number) => boolean): string {
  if (!Number.isFinite(x)) return String(x);
  for (let p = 1; p < 17; p++) {
    const y = Number(x.toPrecision(p));
    if (same(y)) return String(y);
  }
  return String(x);
}

/** The values of a small constant, or undefined when it is large or its bytes are not in memory. */
function valueText(desc: OperandDescriptor, bytes: Uint8Array | undefined): string | undefined {
  const d = DTYPES[desc.dataType];
  const count = desc.shape.reduce((a, b) => a * b, 1);
  if (!bytes || count > MAX_VALUES || d.bits < 8 || bytes.byteLength !== count * d.bytes) return undefined;
  const view = viewAs(desc.dataType, bytes);
  const values = Array.from({ length: count }, (_, i) => {
    const x = view[i]!;
    if (desc.dataType === 'float16') return shortest(fromFloat16Bits(x as number), (y) => toFloat16Bits(y) === x);
    if (desc.dataType === 'float32') return shortest(x as number, (y) => Math.fround(y) === x);
    return String(x);
  });
  return desc.shape.length === 0 ? values[0] : `[${values.join(', ')}]`;
}

/** Operand id → the builder argument it was passed as, read from the node's recorded call. */
function argumentNames(n: IrNode): Map<number, string> {
  const names = new Map<number, string>();
  const def = getOp(n.op);
  if (!n.call || !def) return names;
  const note = (v: AttrValue | undefined, name: string) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof v.$operand === 'number' && !names.has(v.$operand)) names.set(v.$operand, name);
  };
  def.params.forEach((p, i) => {
    const v = n.call![i];
    if (p.kind === 'operands' && Array.isArray(v)) v.forEach((x, j) => note(x, `${p.name}[${j}]`));
    else if (p.kind === 'operand') note(v, p.name);
  });
  const options = n.call[def.params.length];
  if (options && typeof options === 'object' && !Array.isArray(options)) for (const k of def.operandOptions) note(options[k], k);
  return names;
}

function irOf(graph: MLGraph | GraphIR): GraphIR {
  if ('operands' in graph && 'nodes' in graph) return graph;
  const state = graphInternals(graph);
  if (!state) throw new TypeError('graphView: expected an MLGraph or a graph IR');
  return state.ir;
}

export interface GraphViewOptions {
  /** Show the values of small constants (default true; false where the constants' bytes are stand-ins). */
  values?: boolean;
}

/** The viewer's form of a graph (the graph as built, before backend passes). */
export function graphView(graph: MLGraph | GraphIR, name = 'graph', options: GraphViewOptions = {}): GraphView {
  const ir = irOf(graph);
  const nodes: ViewNode[] = [];
  const edges: ViewEdge[] = [];
  /** Operand id → the view node that produces it (graph inputs and operators). */
  const source = new Map<number, number>();
  const edge = (operand: number, to: number) => {
    const from = source.get(operand);
    if (from === undefined) return;
    const { text, dynamic } = typeText(ir.operands[operand]!.desc);
    edges.push({ from, to, label: text, dynamic });
  };
  for (const input of ir.inputs) {
    const id = nodes.length;
    nodes.push({ id, kind: 'input', op: 'input', name: input.name, constants: [], attrs: [] });
    source.set(input.operand, id);
  }
  let constantBytes = 0;
  const constantIds = new Set<number>();
  for (const n of ir.nodes) {
    const id = nodes.length;
    const constants: ViewConstant[] = [];
    const args = argumentNames(n);
    for (const operand of n.inputs) {
      if (operand === null) continue;
      const o = ir.operands[operand]!;
      if (o.kind !== 'constant') {
        edge(operand, id);
        continue;
      }
      const bytes = ir.constants.get(operand);
      const size = bytes?.byteLength ?? ir.externalConstants?.get(operand)?.byteLength ?? 0;
      if (!constantIds.has(operand)) {
        constantIds.add(operand);
        constantBytes += size;
      }
      const value = options.values === false ? undefined : valueText(o.desc, bytes);
      const arg = args.get(operand);
      constants.push({ ...(arg !== undefined ? { arg } : {}), type: typeText(o.desc).text, bytes: size, ...(value !== undefined ? { value } : {}) });
    }
    const attrs = Object.entries(n.attrs).map(([k, v]) => `${k}: ${attrText(v)}`);
    nodes.push({ id, kind: 'op', op: n.op, name: n.label, constants, attrs });
    for (const out of n.outputs) source.set(out, id);
  }
  for (const output of ir.outputs) {
    const id = nodes.length;
    nodes.push({ id, kind: 'output', op: 'output', name: output.name, constants: [], attrs: [] });
    edge(output.operand, id);
  }
  return { name, nodes, edges, stats: { operators: ir.nodes.length, constants: constantIds.size, constantBytes } };
}
