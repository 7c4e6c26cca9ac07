// A mutable view of a GraphIR for passes: who produces and who consumes each operand, constant values, and
// replacement of a node in place. Nodes left without consumers are dropped when the editor finishes.
import { DTYPES } from '../graph/dtypes.js';
import { fromFloat16Bits } from '../graph/float16.js';
import type { AttrsOf } from '../ops/registry.js';
import { pruneToOutputs, type GraphIR, type IrNode, type IrOperand } from '../graph/ir.js';

/** The attributes of `node`, an `op` node, as that operator's create step recorded them. */
export function attrsOf<N extends string>(node: IrNode, op: N): Readonly<AttrsOf<N>> {
  if (node.op !== op) throw new Error(`internal: attrsOf('${op}') of a ${node.op} node`);
  return node.attrs as Readonly<AttrsOf<N>>;
}

export class GraphEditor {
  readonly #ir: GraphIR;
  readonly #nodes: IrNode[];
  /** Operand id → ids of the nodes that read it (a node reading it twice is listed once). */
  readonly #consumers = new Map<number, number[]>();
  readonly #outputs: Set<number>;

  constructor(ir: GraphIR) {
    this.#nodes = [...ir.nodes];
    this.#ir = { ...ir, nodes: this.#nodes };
    this.#outputs = new Set(ir.outputs.map((o) => o.operand));
    for (const node of this.#nodes) this.#index(node);
  }

  #index(node: IrNode): void {
    for (const id of new Set(node.inputs)) {
      if (id === null) continue;
      let list = this.#consumers.get(id);
      if (!list) this.#consumers.set(id, (list = []));
      if (!list.includes(node.id)) list.push(node.id);
    }
  }

  get nodes(): readonly IrNode[] {
    return this.#nodes;
  }

  operand(id: number): IrOperand {
    return this.#ir.operands[id]!;
  }

  /** The node that computes operand `id` (undefined for inputs and constants). */
  producer(id: number): IrNode | undefined {
    const p = this.#ir.operands[id]?.producer;
    return p === undefined ? undefined : this.#nodes[p];
  }

  consumers(id: number): IrNode[] {
    return (this.#consumers.get(id) ?? []).map((n) => this.#nodes[n]!);
  }

  /** The one node that reads `id`, when exactly one does and `id` is not a graph output (so it may be fused away). */
  soleConsumer(id: number): IrNode | undefined {
    const list = this.#consumers.get(id);
    return list?.length === 1 && !this.#outputs.has(id) ? this.#nodes[list[0]!] : undefined;
  }

  /** The value of a one-element float constant (whatever its rank), else undefined. */
  scalarConstant(id: number): number | undefined {
    const op = this.#ir.operands[id];
    const bytes = this.#ir.constants.get(id);
    if (!op || op.kind !== 'constant' || !bytes || op.desc.shape.some((d) => d !== 1)) return undefined;
    const info = DTYPES[op.desc.dataType];
    if (info.kind !== 'float') return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return op.desc.dataType === 'float16' ? fromFloat16Bits(view.getUint16(0, true)) : view.getFloat32(0, true);
  }

  /**
   * Replaces node `at` by `node`, which takes its id and must produce the same outputs. Nodes that only fed the
   * old one are dropped at finish() if nothing else reads them.
   */
  replace(at: IrNode, node: Omit<IrNode, 'id' | 'outputs'>): void {
    const replacement: IrNode = { ...node, id: at.id, outputs: [...at.outputs] };
    for (const id of at.inputs) {
      const list = id === null ? undefined : this.#consumers.get(id);
      if (list) list.splice(list.indexOf(at.id), 1);
    }
    this.#nodes[at.id] = replacement;
    this.#index(replacement);
  }

  /** The edited graph, without the nodes no output depends on any more. */
  finish(): GraphIR {
    return pruneToOutputs(this.#ir, this.#ir.outputs);
  }
}
