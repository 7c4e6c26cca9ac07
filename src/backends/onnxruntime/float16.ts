// float16 on onnxruntime's CPU provider: every operator that touches float16 computes in float32 between casts that
// tsnn writes itself, so each WebNN operator's result is rounded to float16 as the spec has it.
//
// The CPU provider has float16 kernels for few operators. For the others onnxruntime inserts Cast nodes around the
// operator (float16 → float32 → float16) and then removes every pair of its own inserted casts that meets between
// two such operators, and runs isolated float16-capable operators in float32 too: a chain of float16 operators is
// computed in float32 with no rounding in between (x = 60000: add(x, x) cast to float32 gives 120000, where float16
// has only Infinity). Casts that the model itself contains are never removed when they narrow (float32 → float16),
// so widening each float16 operator here keeps the rounding after every operator.
import type { GraphIR, IrNode, IrOperand } from '../../graph/ir.js';

/** `ir` with every float16 operand of every operator other than `cast` read and written through float32 casts. */
export function computeFloat16InFloat32(ir: GraphIR): GraphIR {
  const touches = (n: IrNode) => [...n.inputs, ...n.outputs].some((id) => id !== null && ir.operands[id]!.desc.dataType === 'float16');
  if (!ir.nodes.some((n) => n.op !== 'cast' && touches(n))) return ir;
  const operands: IrOperand[] = ir.operands.map((o) => ({ ...o }));
  const nodes: IrNode[] = [];
  const widened = new Map<number, number>(); // float16 operand → its float32 cast
  const addOperand = (from: IrOperand, dataType: 'float32' | 'float16', producer: number): number => {
    const id = operands.length;
    operands.push({ id, desc: { ...from.desc, dataType }, kind: 'intermediate', producer });
    return id;
  };
  const addCast = (input: number, output: number, to: 'float32' | 'float16'): void => {
    nodes.push({ id: nodes.length, op: 'cast', inputs: [input], outputs: [output], attrs: { to }, label: '' });
  };
  for (const node of ir.nodes) {
    if (node.op === 'cast' || !touches(node)) {
      nodes.push({ ...node, id: nodes.length });
      for (const o of node.outputs) operands[o]!.producer = nodes.length - 1;
      continue;
    }
    const inputs = node.inputs.map((i) => {
      if (i === null || operands[i]!.desc.dataType !== 'float16') return i;
      let w = widened.get(i);
      if (w === undefined) {
        w = addOperand(operands[i]!, 'float32', nodes.length);
        addCast(i, w, 'float32');
        widened.set(i, w);
      }
      return w;
    });
    const narrow: [number, number][] = [];
    const outputs = node.outputs.map((o) => {
      if (operands[o]!.desc.dataType !== 'float16') return o;
      const wide = addOperand(operands[o]!, 'float32', nodes.length);
      narrow.push([wide, o]);
      return wide;
    });
    const id = nodes.length;
    nodes.push({ ...node, id, inputs, outputs });
    for (const o of outputs) operands[o]!.producer = id;
    for (const [wide, o] of narrow) {
      operands[o]!.producer = nodes.length;
      addCast(wide, o, 'float16');
    }
  }
  return { ...ir, operands, nodes };
}
