// gru/gruCell/lstm/lstmCell → ONNX, decomposed rather than mapped onto ONNX GRU/LSTM: those differ from WebNN in gate
// order, in where LSTM's output-gate peephole reads the cell state, and in the activations they accept. A cell step
// is emitted once as MatMul/Add/activation/Mul nodes following the spec's formulas (and its order of additions, so
// that results match the reference to the last bits); the networks unroll it over the static `steps` per direction.
// Everything is computed in float32: float16 operands are cast on the way in and the results on the way out.
import type { MLOperandDataType } from '../../../graph/dtypes.js';
import { defineLowering, int, ints, type Emitter, type LoweringNode } from '../emitter.js';

type Activation = 'relu' | 'sigmoid' | 'tanh';
const ONNX_ACTIVATION: Record<Activation, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh' };

/** One gate's parameters, prepared once and reused by every step: weights transposed to [in, hidden]. */
interface Gate {
  weight: string;
  recurrentWeight: string;
  bias: string | null;
  recurrentBias: string | null;
  /** LSTM i, o, f gates: the peephole weight multiplying the cell state. */
  peephole: string | null;
}

class Recurrent {
  readonly one: string;

  constructor(readonly e: Emitter, readonly hiddenSize: number) {
    this.one = e.initializer('float32', [], new Uint8Array(new Float32Array([1]).buffer));
  }

  op(type: string, ...inputs: string[]): string {
    return this.e.op(type, inputs);
  }

  /** a + b, where an absent term is left out (the spec adds a zero). */
  add(a: string | null, b: string): string {
    return a === null ? b : this.op('Add', a, b);
  }

  activation(a: Activation, x: string): string {
    return this.op(ONNX_ACTIVATION[a], x);
  }

  /** Rows [k * hiddenSize, (k + 1) * hiddenSize) of a packed weight or bias: gate k's part. */
  slice(x: string, k: number): string {
    const e = this.e;
    return e.op('Slice', [x, e.int64s([k * this.hiddenSize]), e.int64s([(k + 1) * this.hiddenSize]), e.int64s([0])]);
  }

  /** Direction d's slice of a per-direction operand ([numDirections, ...] → [...]). */
  direction(x: string | null, d: number): string | null {
    return x === null ? null : this.e.op('Gather', [x, this.e.int64s([d], [])], { axis: int(0) });
  }

  /** The gate at position `k` of the packed weights (k from the layout), with peephole slice `p` if any. */
  gate(weight: string, recurrentWeight: string, bias: string | null, recurrentBias: string | null, k: number,
    peephole: string | null = null, p = 0): Gate {
    const t = (x: string) => this.e.op('Transpose', [this.slice(x, k)], { perm: ints([1, 0]) });
    return {
      weight: t(weight),
      recurrentWeight: t(recurrentWeight),
      bias: bias && this.slice(bias, k),
      recurrentBias: recurrentBias && this.slice(recurrentBias, k),
      peephole: peephole && this.slice(peephole, p),
    };
  }

  /** (bias + recurrentBias) + (x·Wᵀ + h·Rᵀ): a gate's pre-activation, in the spec's order of additions. */
  gateInput(g: Gate, x: string, h: string): string {
    const product = this.op('Add', this.op('MatMul', x, g.weight), this.op('MatMul', h, g.recurrentWeight));
    const bias = g.bias && g.recurrentBias ? this.op('Add', g.bias, g.recurrentBias) : g.bias ?? g.recurrentBias;
    return this.add(bias, product);
  }

  zeros(shape: readonly number[]): string {
    return this.e.op('ConstantOfShape', [this.e.int64s(shape)]);
  }
}

// ---- GRU ---------------------------------------------------------------------------------------------------------

interface GruGates { z: Gate; r: Gate; n: Gate }

function gruGates(rc: Recurrent, layout: string, w: string, r: string, b: string | null, rb: string | null): GruGates {
  const at = (gate: string) => rc.gate(w, r, b, rb, layout.indexOf(gate));
  return { z: at('z'), r: at('r'), n: at('n') };
}

function gruStep(rc: Recurrent, g: GruGates, x: string, h: string, activations: Activation[], resetAfter: boolean): string {
  const [fGate, fNew] = activations as [Activation, Activation];
  const z = rc.activation(fGate, rc.gateInput(g.z, x, h));
  const r = rc.activation(fGate, rc.gateInput(g.r, x, h));
  const xn = rc.op('MatMul', x, g.n.weight);
  let n: string;
  if (resetAfter) {
    const hn = rc.add(g.n.recurrentBias, rc.op('MatMul', h, g.n.recurrentWeight));
    n = rc.add(g.n.bias, rc.op('Add', xn, rc.op('Mul', r, hn)));
  } else {
    const bias = g.n.bias && g.n.recurrentBias ? rc.op('Add', g.n.bias, g.n.recurrentBias) : g.n.bias ?? g.n.recurrentBias;
    n = rc.add(bias, rc.op('Add', xn, rc.op('MatMul', rc.op('Mul', r, h), g.n.recurrentWeight)));
  }
  n = rc.activation(fNew, n);
  return rc.op('Add', rc.op('Mul', z, h), rc.op('Mul', n, rc.op('Sub', rc.one, z)));
}

// ---- LSTM --------------------------------------------------------------------------------------------------------

interface LstmGates { i: Gate; o: Gate; f: Gate; g: Gate }

function lstmGates(rc: Recurrent, layout: string, w: string, r: string, b: string | null, rb: string | null, p: string | null): LstmGates {
  // Peephole weights are always packed i, o, f whatever the layout.
  const at = (gate: string, peephole = -1) => rc.gate(w, r, b, rb, layout.indexOf(gate), peephole < 0 ? null : p, peephole);
  return { i: at('i', 0), o: at('o', 1), f: at('f', 2), g: at('g') };
}

function lstmStep(rc: Recurrent, g: LstmGates, x: string, h: string, c: string, activations: Activation[]): [string, string] {
  const [fGate, fCell, fOut] = activations as [Activation, Activation, Activation];
  // The peephole terms read the incoming cell state, the output gate's included.
  const gated = (gate: Gate) =>
    rc.activation(fGate, rc.add(gate.peephole && rc.op('Mul', c, gate.peephole), rc.gateInput(gate, x, h)));
  const i = gated(g.i);
  const f = gated(g.f);
  const cellGate = rc.activation(fCell, rc.gateInput(g.g, x, h));
  const o = gated(g.o);
  const ct = rc.op('Add', rc.op('Mul', f, c), rc.op('Mul', i, cellGate));
  const ht = rc.op('Mul', o, rc.activation(fOut, ct));
  return [ht, ct];
}

// ---- lowerings ---------------------------------------------------------------------------------------------------

/** Inputs in float32, absent ones null; the first three (input, weight, recurrentWeight) are always there. */
function float32Inputs(n: LoweringNode, e: Emitter): [string, string, string, ...(string | null)[]] {
  const xs = n.inputs.map((x, i) => (x === null || n.inputTypes[i] === 'float32' ? x : e.cast(x, 'float32')));
  return [xs[0]!, xs[1]!, xs[2]!, ...xs.slice(3)];
}

/** Writes a float32 result into the node's output `k`, in the output's type. */
function writeOutput(n: LoweringNode, e: Emitter, k: number, value: string): void {
  const type: MLOperandDataType = n.outputTypes[k]!;
  if (type === 'float32') e.node('Identity', [value], [n.outputs[k]!]);
  else e.cast(value, type, n.outputs[k]!);
}

interface NetworkAttrs {
  steps: number;
  hiddenSize: number;
  direction: 'forward' | 'backward' | 'both';
  layout: string;
  activations: Activation[];
  returnSequence: boolean;
  resetAfter?: boolean;
}

/**
 * Unrolls a network: for each direction, `step` maps (x_t, states) → new states, the first being the hidden state.
 * Writes the final states (one output each, [numDirections, batch, hidden]) and, with returnSequence, every step's
 * hidden state ([steps, numDirections, batch, hidden]) as the last output.
 */
function unroll(n: LoweringNode, e: Emitter, input: string, initial: (d: number) => string[],
  step: (d: number) => (x: string, states: string[]) => string[]): void {
  const a = n.attrs as unknown as NetworkAttrs;
  const [, batch] = n.inputShapes[0]! as [number, number, number];
  const numDirections = a.direction === 'both' ? 2 : 1;
  const finals: string[][] = [];
  const sequence: string[][] = Array.from({ length: a.steps }, () => []);
  for (let d = 0; d < numDirections; d++) {
    const cell = step(d);
    let states = initial(d);
    const backward = a.direction === 'backward' || d === 1;
    for (let s = 0; s < a.steps; s++) {
      const t = backward ? a.steps - 1 - s : s;
      states = cell(e.op('Gather', [input, e.int64s([t], [])], { axis: int(0) }), states);
      sequence[t]![d] = states[0]!;
    }
    finals.push(states);
  }
  const stack = (values: string[], shape: number[]) =>
    e.op('Reshape', [e.op('Concat', values, { axis: int(0) }), e.int64s(shape)]);
  const stateShape = [numDirections, batch, a.hiddenSize];
  finals[0]!.forEach((_, k) => writeOutput(n, e, k, stack(finals.map((f) => f[k]!), stateShape)));
  if (a.returnSequence) writeOutput(n, e, finals[0]!.length, stack(sequence.flat(), [a.steps, ...stateShape]));
}

defineLowering('gru', (n, e) => {
  const a = n.attrs as unknown as NetworkAttrs;
  const [input, weight, recurrentWeight, bias, recurrentBias, initialHidden] = float32Inputs(n, e);
  const rc = new Recurrent(e, a.hiddenSize);
  const batch = n.inputShapes[0]![1]!;
  unroll(n, e, input,
    (d) => [rc.direction(initialHidden, d) ?? rc.zeros([batch, a.hiddenSize])],
    (d) => {
      const gates = gruGates(rc, a.layout, rc.direction(weight, d)!, rc.direction(recurrentWeight, d)!,
        rc.direction(bias, d), rc.direction(recurrentBias, d));
      return (x, [h]) => [gruStep(rc, gates, x, h!, a.activations, a.resetAfter ?? true)];
    });
});

defineLowering('lstm', (n, e) => {
  const a = n.attrs as unknown as NetworkAttrs;
  const [input, weight, recurrentWeight, bias, recurrentBias, peephole, initialHidden, initialCell] = float32Inputs(n, e);
  const rc = new Recurrent(e, a.hiddenSize);
  const batch = n.inputShapes[0]![1]!;
  unroll(n, e, input,
    (d) => [initialHidden, initialCell].map((s) => rc.direction(s, d) ?? rc.zeros([batch, a.hiddenSize])),
    (d) => {
      const gates = lstmGates(rc, a.layout, rc.direction(weight, d)!, rc.direction(recurrentWeight, d)!,
        rc.direction(bias, d), rc.direction(recurrentBias, d), rc.direction(peephole, d));
      return (x, [h, c]) => lstmStep(rc, gates, x, h!, c!, a.activations);
    });
});

defineLowering('gruCell', (n, e) => {
  const a = n.attrs as unknown as NetworkAttrs;
  const [input, weight, recurrentWeight, hidden, bias, recurrentBias] = float32Inputs(n, e);
  const rc = new Recurrent(e, a.hiddenSize);
  const gates = gruGates(rc, a.layout, weight, recurrentWeight, bias, recurrentBias);
  writeOutput(n, e, 0, gruStep(rc, gates, input, hidden!, a.activations, a.resetAfter ?? true));
});

defineLowering('lstmCell', (n, e) => {
  const a = n.attrs as unknown as NetworkAttrs;
  const [input, weight, recurrentWeight, hidden, cell, bias, recurrentBias, peephole] = float32Inputs(n, e);
  const rc = new Recurrent(e, a.hiddenSize);
  const gates = lstmGates(rc, a.layout, weight, recurrentWeight, bias, recurrentBias, peephole);
  lstmStep(rc, gates, input, hidden!, cell!, a.activations).forEach((v, k) => writeOutput(n, e, k, v));
});
