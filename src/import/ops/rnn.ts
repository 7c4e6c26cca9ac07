// GRU and LSTM: WebNN gru/lstm share ONNX's weight layouts (zrn gates; iofg gates) and output shapes; ONNX's
// combined bias is split into WebNN's bias and recurrentBias. Static sequence length (WebNN's steps).
import type { MLOperand } from '../../api/operand.js';
import { isDynamic } from '../../graph/dims.js';
import type { NodeContext } from '../context.js';
import { family } from '../table.js';
import type { Val } from '../values.js';

type Activation = 'sigmoid' | 'tanh' | 'relu';
const ACTIVATIONS: Record<string, Activation> = { Sigmoid: 'sigmoid', Tanh: 'tanh', Relu: 'relu' };

function common(c: NodeContext, defaults: string[]) {
  if (c.has(4)) c.fail('sequence_lens is not supported');
  if (c.hasAttr('clip')) c.fail('clip is not supported');
  const dirAttr = c.string('direction', 'forward');
  const direction = dirAttr === 'forward' ? 'forward' : dirAttr === 'reverse' ? 'backward' : dirAttr === 'bidirectional' ? 'both' : c.fail(`direction '${dirAttr}' is not supported`);
  const dirs = direction === 'both' ? 2 : 1;
  const names = c.stringList('activations') ?? [...defaults, ...(dirs === 2 ? defaults : [])];
  if (names.length !== defaults.length * dirs) c.fail(`activations has ${names.length} entries, ${defaults.length * dirs} expected`);
  if (dirs === 2 && names.slice(0, defaults.length).some((n, i) => n !== names[defaults.length + i])) c.fail('different activations per direction are not supported');
  const activations = names.slice(0, defaults.length).map((n) => ACTIVATIONS[n] ?? c.fail(`activation '${n}' is not supported`));
  const batchFirst = c.opset >= 14 && c.int('layout', 0) === 1;
  let x = c.op(0);
  if (batchFirst) x = c.b.transpose(x, { permutation: [1, 0, 2] });
  const steps = x.dimensions[0]!;
  if (isDynamic(steps)) c.fail(`the sequence length is dynamic dimension '${steps.name}'; WebNN recurrent networks need a static number of steps (fix it with --dim)`);
  const hidden = c.int('hidden_size') ?? (c.op(2).dimensions[2] as number);
  let bias: MLOperand | undefined;
  let recurrentBias: MLOperand | undefined;
  if (c.has(3)) {
    const [bi, rb] = c.b.split(c.op(3), 2, { axis: 1 });
    bias = bi;
    recurrentBias = rb;
  }
  const state = (i: number) => {
    if (!c.has(i)) return undefined;
    const s = c.op(i);
    return batchFirst ? c.b.transpose(s, { permutation: [1, 0, 2] }) : s;
  };
  return { x, steps, hidden, direction, activations, batchFirst, bias, recurrentBias, state } as const;
}

/** Y as ONNX lays it out ([seq, dirs, batch, hidden], or batch-first [batch, seq, dirs, hidden]). */
function sequenceOut(c: NodeContext, seq: MLOperand | undefined, batchFirst: boolean): MLOperand | undefined {
  if (!seq) return undefined;
  return batchFirst ? c.b.transpose(seq, { permutation: [2, 0, 1, 3] }) : seq;
}

function stateOut(c: NodeContext, s: MLOperand, batchFirst: boolean): MLOperand {
  return batchFirst ? c.b.transpose(s, { permutation: [1, 0, 2] }) : s;
}

function gru(c: NodeContext): (Val | undefined)[] {
  const g = common(c, ['Sigmoid', 'Tanh']);
  const wantSeq = Boolean(c.node.output[0]);
  const init = g.state(5);
  const outs = c.b.gru(g.x, c.op(1), c.op(2), g.steps as number, g.hidden, {
    ...(g.bias ? { bias: g.bias, recurrentBias: g.recurrentBias } : {}),
    ...(init ? { initialHiddenState: init } : {}),
    resetAfter: c.int('linear_before_reset', 0) === 1,
    returnSequence: wantSeq,
    direction: g.direction,
    layout: 'zrn',
    activations: g.activations,
  });
  const type = c.in(0).type;
  const y = sequenceOut(c, wantSeq ? outs[1] : undefined, g.batchFirst);
  return [y && c.out(y, type), c.out(stateOut(c, outs[0]!, g.batchFirst), type)];
}

function lstm(c: NodeContext): (Val | undefined)[] {
  const g = common(c, ['Sigmoid', 'Tanh', 'Tanh']);
  if (c.int('input_forget', 0) !== 0) c.fail('input_forget is not supported');
  const wantSeq = Boolean(c.node.output[0]);
  if (c.has(7)) {
    // ONNX's output-gate peephole reads the new cell state, WebNN's the incoming one: only a zero one maps.
    const p = c.konst(7);
    const values = p ? Array.from(p.values(), Number) : undefined;
    const dirs = g.direction === 'both' ? 2 : 1;
    const oPart = values?.filter((_, i) => Math.floor((i % (3 * g.hidden)) / g.hidden) === 1);
    if (!oPart || oPart.some((x) => x !== 0) || values!.length !== dirs * 3 * g.hidden) {
      c.fail('peepholes on the output gate are not supported (ONNX applies them to the new cell state, WebNN to the previous one)');
    }
  }
  const h0 = g.state(5);
  const c0 = g.state(6);
  const outs = c.b.lstm(g.x, c.op(1), c.op(2), g.steps as number, g.hidden, {
    ...(g.bias ? { bias: g.bias, recurrentBias: g.recurrentBias } : {}),
    ...(h0 ? { initialHiddenState: h0 } : {}),
    ...(c0 ? { initialCellState: c0 } : {}),
    ...(c.has(7) ? { peepholeWeight: c.op(7) } : {}),
    returnSequence: wantSeq,
    direction: g.direction,
    layout: 'iofg',
    activations: g.activations,
  });
  const type = c.in(0).type;
  const y = sequenceOut(c, wantSeq ? outs[2] : undefined, g.batchFirst);
  return [y && c.out(y, type), c.out(stateOut(c, outs[0]!, g.batchFirst), type), c.out(stateOut(c, outs[1]!, g.batchFirst), type)];
}

export const rnnOps = family('rnn', [
  { op: 'GRU', note: 'gru (zrn gates; bias split into bias and recurrentBias; static steps)', handler: gru },
  { op: 'LSTM', note: 'lstm (iofg gates; input/forget peepholes; static steps)', handler: lstm },
]);
