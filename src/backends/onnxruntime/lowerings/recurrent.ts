// gru/gruCell/lstm/lstmCell → ONNX, decomposed rather than mapped onto ONNX GRU/LSTM: ONNX LSTM's output-gate peephole
// reads the new cell state where WebNN's reads the incoming one, the layouts rzn/ifgo would need repacked weights,
// and a decomposition keeps the spec's order of additions, so results match the reference to the last bits. A cell
// step is written once as MatMul/Add/activation/Mul nodes; the networks unroll it over the static `steps` per
// direction. Everything is computed in float32: float16 operands are cast on the way in, results on the way out.
import type { MLOperandDataType } from '../../../graph/dtypes.js';
import type { GruAttrs, LstmAttrs } from '../../../ops/recurrent.js';
import { defineLowering, int, ints, type Emitter, type LoweringNode } from '../emitter.js';

type Activation = 'relu' | 'sigmoid' | 'tanh';
const ONNX_ACTIVATION: Record<Activation, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh' };

/** One gate's parameters, prepared once and reused by every step: weights transposed to [in, hidden]. */
interface Gate {
  weight: string;
  recurrentWeight: string;
  bias: string | null;
  recurrentBias: string | null;
  /** bias + recurrentBias, added once rather than at every step (null when both are absent or kept apart). */
  biasSum: string | null;
  /** LSTM i, o, f gates: the peephole weight multiplying the cell state. */
  peephole: string | null;
}

/** Gates by their letter (z, r, n for GRU; i, o, f, g for LSTM). */
type Gates<G extends string> = Record<G, Gate>;
/** x·Wᵀ per gate. */
type Projections<G extends string> = Record<G, string>;

class Recurrent {
  #one: string | undefined;

  constructor(readonly e: Emitter, readonly hiddenSize: number) {}

  /** The float32 scalar 1 (GRU's 1 - z), emitted once on first use. */
  get one(): string {
    return (this.#one ??= this.e.initializer('float32', [], new Uint8Array(new Float32Array([1]).buffer)));
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

  /** Index i of axis 0, which is dropped ([numDirections, ...] → [...], [steps, ...] → [...]). */
  pick<T extends string | null>(x: T, i: number): T {
    return (x === null ? null : this.e.op('Gather', [x, this.e.int64s([i], [])], { axis: int(0) })) as T;
  }

  /**
   * The gate at position `k` of the packed weights and biases (k from the layout), with peephole slice `p` if any.
   * `sumBiases` false keeps the two biases apart (GRU's new gate with resetAfter).
   */
  gate(weight: string, recurrentWeight: string, bias: string | null, recurrentBias: string | null, k: number,
    { sumBiases = true, peephole = null as string | null, p = 0 } = {}): Gate {
    const t = (x: string) => this.e.op('Transpose', [this.slice(x, k)], { perm: ints([1, 0]) });
    const b = bias && this.slice(bias, k);
    const rb = recurrentBias && this.slice(recurrentBias, k);
    return {
      weight: t(weight),
      recurrentWeight: t(recurrentWeight),
      bias: b,
      recurrentBias: rb,
      biasSum: !sumBiases ? null : b && rb ? this.op('Add', b, rb) : b ?? rb,
      peephole: peephole && this.slice(peephole, p),
    };
  }

  /** x·Wᵀ for every gate: x is [batch, input], or [steps, batch, input] to project a whole sequence at once. */
  project<G extends string>(gates: Gates<G>, x: string): Projections<G> {
    return mapGates(gates, (g) => this.op('MatMul', x, g.weight));
  }

  /** (bias + recurrentBias) + (x·Wᵀ + h·Rᵀ): a gate's pre-activation, in the spec's order of additions. */
  gateInput(g: Gate, xw: string, h: string): string {
    return this.add(g.biasSum, this.op('Add', xw, this.op('MatMul', h, g.recurrentWeight)));
  }

  zeros(shape: readonly number[]): string {
    return this.e.op('ConstantOfShape', [this.e.int64s(shape)]);
  }
}

function mapGates<G extends string, T>(gates: Record<G, T>, f: (x: T) => string): Record<G, string> {
  return Object.fromEntries(Object.entries<T>(gates).map(([k, v]) => [k, f(v)])) as Record<G, string>;
}

// ---- GRU ---------------------------------------------------------------------------------------------------------

type GruGate = 'z' | 'r' | 'n';

function gruGates(rc: Recurrent, layout: string, resetAfter: boolean, w: string, r: string, b: string | null,
  rb: string | null): Gates<GruGate> {
  const at = (gate: GruGate) => rc.gate(w, r, b, rb, layout.indexOf(gate), { sumBiases: gate !== 'n' || !resetAfter });
  return { z: at('z'), r: at('r'), n: at('n') };
}

function gruStep(rc: Recurrent, g: Gates<GruGate>, xw: Projections<GruGate>, h: string, activations: Activation[],
  resetAfter: boolean): string {
  const [fGate, fNew] = activations as [Activation, Activation];
  const z = rc.activation(fGate, rc.gateInput(g.z, xw.z, h));
  const r = rc.activation(fGate, rc.gateInput(g.r, xw.r, h));
  // The new gate: the reset gate scales h·Rᵀ (plus its bias) after the product, or h before it.
  const n = resetAfter
    ? rc.add(g.n.bias, rc.op('Add', xw.n, rc.op('Mul', r, rc.add(g.n.recurrentBias, rc.op('MatMul', h, g.n.recurrentWeight)))))
    : rc.add(g.n.biasSum, rc.op('Add', xw.n, rc.op('MatMul', rc.op('Mul', r, h), g.n.recurrentWeight)));
  const newGate = rc.activation(fNew, n);
  return rc.op('Add', rc.op('Mul', z, h), rc.op('Mul', newGate, rc.op('Sub', rc.one, z)));
}

// ---- LSTM --------------------------------------------------------------------------------------------------------

type LstmGate = 'i' | 'o' | 'f' | 'g';

function lstmGates(rc: Recurrent, layout: string, w: string, r: string, b: string | null, rb: string | null,
  peephole: string | null): Gates<LstmGate> {
  // Peephole weights are always packed i, o, f whatever the layout.
  const at = (gate: LstmGate, p = -1) => rc.gate(w, r, b, rb, layout.indexOf(gate), p < 0 ? {} : { peephole, p });
  return { i: at('i', 0), o: at('o', 1), f: at('f', 2), g: at('g') };
}

function lstmStep(rc: Recurrent, g: Gates<LstmGate>, xw: Projections<LstmGate>, h: string, c: string,
  activations: Activation[]): [string, string] {
  const [fGate, fCell, fOut] = activations as [Activation, Activation, Activation];
  // The peephole terms read the incoming cell state, the output gate's included.
  const gated = (gate: 'i' | 'o' | 'f') =>
    rc.activation(fGate, rc.add(g[gate].peephole && rc.op('Mul', c, g[gate].peephole), rc.gateInput(g[gate], xw[gate], h)));
  const i = gated('i');
  const f = gated('f');
  const cellGate = rc.activation(fCell, rc.gateInput(g.g, xw.g, h));
  const o = gated('o');
  const ct = rc.op('Add', rc.op('Mul', f, c), rc.op('Mul', i, cellGate));
  const ht = rc.op('Mul', o, rc.activation(fOut, ct));
  return [ht, ct];
}

// ---- lowerings ---------------------------------------------------------------------------------------------------

/** Inputs in float32, absent ones null; the first three (input, weight, recurrentWeight) are always there. */
type Optional = string | null;
/** The node's inputs in float32: the three weights-and-input operands, then up to five optional ones (null if absent). */
function float32Inputs(n: LoweringNode<unknown>, e: Emitter): [string, string, string, Optional, Optional, Optional, Optional, Optional] {
  const xs = n.inputs.map((x, i) => (x === null || n.inputTypes[i] === 'float32' ? x : e.cast(x, 'float32')));
  const at = (i: number): Optional => xs[i] ?? null;
  return [xs[0]!, xs[1]!, xs[2]!, at(3), at(4), at(5), at(6), at(7)];
}

/** Writes a float32 result into the node's output `k`, in the output's type. */
function writeOutput(n: LoweringNode<unknown>, e: Emitter, k: number, value: string): void {
  const type: MLOperandDataType = n.outputTypes[k]!;
  if (type === 'float32') e.node('Identity', [value], [n.outputs[k]!]);
  else e.cast(value, type, n.outputs[k]!);
}

/**
 * Unrolls a network. Per direction, `prepare` gives the gates and initial states, and `step` maps a step's input
 * projections and the states to the new states, the hidden state first. The input projections of all steps are one
 * MatMul per gate, as the recurrence does not need them. Writes the final states (one output each,
 * [numDirections, batch, hidden]) and, with returnSequence, every step's hidden state
 * ([steps, numDirections, batch, hidden]) as the last output.
 */
function unroll<G extends string>(n: LoweringNode<GruAttrs | LstmAttrs>, rc: Recurrent, input: string,
  prepare: (d: number) => { gates: Gates<G>; initial: string[] },
  step: (gates: Gates<G>, xw: Projections<G>, states: string[]) => string[]): void {
  const e = rc.e;
  const a = n.attrs;
  const [, batch] = n.inputShapes[0]! as [number, number, number];
  const numDirections = a.direction === 'both' ? 2 : 1;
  const finals: string[][] = [];
  const sequence: string[][] = Array.from({ length: a.steps }, () => []);
  for (let d = 0; d < numDirections; d++) {
    const { gates, initial } = prepare(d);
    const projections = rc.project(gates, input);
    let states = initial;
    const backward = a.direction === 'backward' || d === 1;
    for (let s = 0; s < a.steps; s++) {
      const t = backward ? a.steps - 1 - s : s;
      states = step(gates, mapGates(projections, (p) => rc.pick(p, t)), states);
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
  const a = n.attrs;
  const resetAfter = a.resetAfter;
  const [input, weight, recurrentWeight, bias, recurrentBias, initialHidden] = float32Inputs(n, e);
  const rc = new Recurrent(e, a.hiddenSize);
  const batch = n.inputShapes[0]![1]!;
  unroll(n, rc, input,
    (d) => ({
      gates: gruGates(rc, a.layout, resetAfter, rc.pick(weight, d), rc.pick(recurrentWeight, d), rc.pick(bias, d),
        rc.pick(recurrentBias, d)),
      initial: [rc.pick(initialHidden, d) ?? rc.zeros([batch, a.hiddenSize])],
    }),
    (gates, xw, [h]) => [gruStep(rc, gates, xw, h!, a.activations, resetAfter)]);
});

defineLowering('lstm', (n, e) => {
  const a = n.attrs;
  const [input, weight, recurrentWeight, bias, recurrentBias, peephole, initialHidden, initialCell] = float32Inputs(n, e);
  const rc = new Recurrent(e, a.hiddenSize);
  const batch = n.inputShapes[0]![1]!;
  unroll(n, rc, input,
    (d) => ({
      gates: lstmGates(rc, a.layout, rc.pick(weight, d), rc.pick(recurrentWeight, d), rc.pick(bias, d),
        rc.pick(recurrentBias, d), rc.pick(peephole, d)),
      initial: [initialHidden, initialCell].map((s) => rc.pick(s, d) ?? rc.zeros([batch, a.hiddenSize])),
    }),
    (gates, xw, [h, c]) => lstmStep(rc, gates, xw, h!, c!, a.activations));
});

defineLowering('gruCell', (n, e) => {
  const a = n.attrs;
  const resetAfter = a.resetAfter;
  const [input, weight, recurrentWeight, hidden, bias, recurrentBias] = float32Inputs(n, e);
  const rc = new Recurrent(e, a.hiddenSize);
  const gates = gruGates(rc, a.layout, resetAfter, weight, recurrentWeight, bias, recurrentBias);
  writeOutput(n, e, 0, gruStep(rc, gates, rc.project(gates, input), hidden!, a.activations, resetAfter));
});

defineLowering('lstmCell', (n, e) => {
  const a = n.attrs;
  const [input, weight, recurrentWeight, hidden, cell, bias, recurrentBias, peephole] = float32Inputs(n, e);
  const rc = new Recurrent(e, a.hiddenSize);
  const gates = lstmGates(rc, a.layout, weight, recurrentWeight, bias, recurrentBias, peephole);
  lstmStep(rc, gates, rc.project(gates, input), hidden!, cell!, a.activations).forEach((v, k) => writeOutput(n, e, k, v));
});
