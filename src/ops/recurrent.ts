// Recurrent networks (spec §gru, §gruCell, §lstm, §lstmCell). GRU and LSTM differ only in their gate count, weight
// layouts, default activations and LSTM's extra cell state and peepholes, so one table describes both and the
// network (sequence) and cell (single step) validations are written once each.
import { FLOAT_TYPES } from '../graph/dtypes.js';
import { isValidDimension, shapeToString } from '../graph/shape.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperatorOptions } from '../api/types.js';
import type { OpContext, OperandRef } from './context.js';
import { defineOp, limits, type AttrsOf, type MLTensorLimits, type ParamKind } from './registry.js';

export type MLRecurrentNetworkActivation = 'relu' | 'sigmoid' | 'tanh';
export type MLRecurrentNetworkDirection = 'forward' | 'backward' | 'both';
export type MLGruWeightLayout = 'zrn' | 'rzn';
export type MLLstmWeightLayout = 'iofg' | 'ifgo';

export interface MLGruCellOptions extends MLOperatorOptions {
  bias?: MLOperand;
  recurrentBias?: MLOperand;
  resetAfter?: boolean;
  layout?: MLGruWeightLayout;
  activations?: MLRecurrentNetworkActivation[];
}
export interface MLGruOptions extends MLGruCellOptions {
  initialHiddenState?: MLOperand;
  returnSequence?: boolean;
  direction?: MLRecurrentNetworkDirection;
}
export interface MLLstmCellOptions extends MLOperatorOptions {
  bias?: MLOperand;
  recurrentBias?: MLOperand;
  peepholeWeight?: MLOperand;
  layout?: MLLstmWeightLayout;
  activations?: MLRecurrentNetworkActivation[];
}
export interface MLLstmOptions extends MLLstmCellOptions {
  initialHiddenState?: MLOperand;
  initialCellState?: MLOperand;
  returnSequence?: boolean;
  direction?: MLRecurrentNetworkDirection;
}

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    gru(input: MLOperand, weight: MLOperand, recurrentWeight: MLOperand, steps: number, hiddenSize: number,
      options?: MLGruOptions): MLOperand[];
    gruCell(input: MLOperand, weight: MLOperand, recurrentWeight: MLOperand, hiddenState: MLOperand, hiddenSize: number,
      options?: MLGruCellOptions): MLOperand;
    lstm(input: MLOperand, weight: MLOperand, recurrentWeight: MLOperand, steps: number, hiddenSize: number,
      options?: MLLstmOptions): MLOperand[];
    lstmCell(input: MLOperand, weight: MLOperand, recurrentWeight: MLOperand, hiddenState: MLOperand, cellState: MLOperand,
      hiddenSize: number, options?: MLLstmCellOptions): MLOperand[];
  }
}

interface RecurrentAttrs {
  hiddenSize: number;
  activations: MLRecurrentNetworkActivation[];
}
interface NetworkAttrs extends RecurrentAttrs {
  steps: number;
  direction: MLRecurrentNetworkDirection;
  returnSequence: boolean;
}
export type GruAttrs = NetworkAttrs & { layout: MLGruWeightLayout; resetAfter: boolean };
export type LstmAttrs = NetworkAttrs & { layout: MLLstmWeightLayout };
export type GruCellAttrs = RecurrentAttrs & { layout: MLGruWeightLayout; resetAfter: boolean };
export type LstmCellAttrs = RecurrentAttrs & { layout: MLLstmWeightLayout };

declare module './registry.js' {
  interface OpAttrs {
    gru: GruAttrs;
    lstm: LstmAttrs;
    gruCell: GruCellAttrs;
    lstmCell: LstmCellAttrs;
  }
}

const ACTIVATIONS: readonly MLRecurrentNetworkActivation[] = ['relu', 'sigmoid', 'tanh'];
const DIRECTIONS: readonly MLRecurrentNetworkDirection[] = ['forward', 'backward', 'both'];

interface Kind {
  /** Gates packed along the weights' gate dimension. */
  readonly gates: number;
  /** Weight layouts; the first is the default. */
  readonly layouts: readonly string[];
  readonly defaultActivations: readonly MLRecurrentNetworkActivation[];
  /** LSTM: a cell state beside the hidden state, and peephole weights for the i, o, f gates. */
  readonly hasCellState: boolean;
}

const GRU: Kind = { gates: 3, layouts: ['zrn', 'rzn'], defaultActivations: ['sigmoid', 'tanh'], hasCellState: false };
const LSTM: Kind = { gates: 4, layouts: ['iofg', 'ifgo'], defaultActivations: ['sigmoid', 'tanh', 'tanh'], hasCellState: true };

// Every parameter of these ops is float32/float16 with one exact rank.
const exact = (rank: number): MLTensorLimits => limits(FLOAT_TYPES, rank, rank);

function checkSameType(c: OpContext, x: OperandRef, param: string, input: OperandRef): void {
  if (x.dataType !== input.dataType) c.fail(`'${param}' has data type ${x.dataType}, but input has ${input.dataType}`);
}

function checkShape(c: OpContext, x: OperandRef | null, param: string, expected: readonly number[]): void {
  if (!x) return;
  if (x.rank !== expected.length || x.shape.some((d, i) => d !== expected[i])) {
    c.fail(`'${param}' has shape ${shapeToString(x.shape)}, expected ${shapeToString(expected)}`);
  }
}

function activationList(c: OpContext, value: unknown, kind: Kind): MLRecurrentNetworkActivation[] {
  if (value === undefined) return [...kind.defaultActivations];
  if (value === null || typeof value !== 'object' || !(Symbol.iterator in value)) {
    c.fail('activations must be a sequence of MLRecurrentNetworkActivation');
  }
  const list = [...(value as Iterable<unknown>)].map((a, i) => c.requiredEnum(a, ACTIVATIONS, `activations[${i}]`));
  if (list.length !== kind.defaultActivations.length) {
    c.fail(`activations must have ${kind.defaultActivations.length} entries, got ${list.length}`);
  }
  return list;
}

/** The operand options shared by the network and the cell, type-checked against input. */
function optionalOperands(c: OpContext, o: Readonly<Record<string, unknown>>, names: readonly string[], input: OperandRef): (OperandRef | null)[] {
  return names.map((name) => {
    const x = o[name] as OperandRef | null;
    if (x) checkSameType(c, x, name, input);
    return x;
  });
}

function checkHiddenSize(c: OpContext, kind: Kind, hiddenSize: number): void {
  // Some platforms take bias and recurrentBias as one concatenated tensor, so twice the gate width must be a dimension.
  if (!isValidDimension(hiddenSize * kind.gates * 2)) {
    c.fail(`hiddenSize ${hiddenSize} times ${kind.gates * 2} is not a valid dimension`);
  }
}

/**
 * gru/lstm: `steps` time steps in one or two directions. IR inputs: input, weight, recurrentWeight, bias,
 * recurrentBias, [peepholeWeight], initialHiddenState, [initialCellState] (bracketed ones LSTM only).
 */
function defineNetwork<N extends 'gru' | 'lstm'>(name: N, kind: Kind): void {
  const outputs = kind.hasCellState ? ['output0', 'output1', 'output2'] : ['output0', 'output1'];
  const optional = kind.hasCellState
    ? ['bias', 'recurrentBias', 'peepholeWeight', 'initialHiddenState', 'initialCellState']
    : ['bias', 'recurrentBias', 'initialHiddenState'];
  defineOp({
    name,
    params: { input: 'operand', weight: 'operand', recurrentWeight: 'operand', steps: 'uint', hiddenSize: 'uint' },
    operandOptions: optional,
    multipleOutputs: true,
    limits: {
      input: exact(3), weight: exact(3), recurrentWeight: exact(3), bias: exact(2), recurrentBias: exact(2),
      ...(kind.hasCellState ? { peepholeWeight: exact(2) } : {}),
      initialHiddenState: exact(3),
      ...(kind.hasCellState ? { initialCellState: exact(3) } : {}),
      ...Object.fromEntries(outputs.map((o, i) => [o, exact(i === outputs.length - 1 ? 4 : 3)])),
    },
    create(c, { input, weight, recurrentWeight, steps: stepsArg, hiddenSize: hiddenSizeArg }, o) {
      checkSameType(c, weight, 'weight', input);
      checkSameType(c, recurrentWeight, 'recurrentWeight', input);
      const opts = optionalOperands(c, o, optional, input);
      const steps = c.uint(stepsArg, 'steps');
      const hiddenSize = c.uint(hiddenSizeArg, 'hiddenSize');
      const direction = c.enumValue(o.direction, DIRECTIONS, 'direction', 'forward');
      const layout = c.enumValue(o.layout, kind.layouts, 'layout', kind.layouts[0]!);
      const resetAfter = c.bool(o.resetAfter, true);
      const returnSequence = c.bool(o.returnSequence, false);

      if (steps === 0) c.fail('steps must be greater than 0');
      if (input.shape[0] !== steps) c.fail(`input's first dimension (${input.shape[0]}, of ${shapeToString(input.shape)}) must equal steps ${steps}`);
      const [, batchSize, inputSize] = input.shape as [number, number, number];
      const numDirections = direction === 'both' ? 2 : 1;
      const gateWidth = kind.gates * hiddenSize;
      checkShape(c, weight, 'weight', [numDirections, gateWidth, inputSize]);
      checkShape(c, recurrentWeight, 'recurrentWeight', [numDirections, gateWidth, hiddenSize]);
      checkHiddenSize(c, kind, hiddenSize);
      const expected: Record<string, number[]> = {
        bias: [numDirections, gateWidth],
        recurrentBias: [numDirections, gateWidth],
        peepholeWeight: [numDirections, 3 * hiddenSize],
        initialHiddenState: [numDirections, batchSize, hiddenSize],
        initialCellState: [numDirections, batchSize, hiddenSize],
      };
      optional.forEach((param, i) => checkShape(c, opts[i]!, param, expected[param]!));
      const activations = activationList(c, o.activations, kind);

      const state = [numDirections, batchSize, hiddenSize];
      const descs = [c.output(input.dataType, state, 'output0')];
      if (kind.hasCellState) descs.push(c.output(input.dataType, state, 'output1'));
      if (returnSequence) descs.push(c.output(input.dataType, [steps, ...state], outputs[outputs.length - 1]));
      return {
        inputs: [input, weight, recurrentWeight, ...opts],
        attrs: { steps, hiddenSize, direction, layout, activations, returnSequence, ...(kind.hasCellState ? {} : { resetAfter }) } as AttrsOf<N>,
        outputs: descs,
      };
    },
  });
}

/**
 * gruCell/lstmCell: one time step. IR inputs: input, weight, recurrentWeight, hiddenState, [cellState], bias,
 * recurrentBias, [peepholeWeight] (bracketed ones LSTM only).
 */
function defineCell<N extends 'gruCell' | 'lstmCell'>(name: N, kind: Kind): void {
  const states = kind.hasCellState ? ['hiddenState', 'cellState'] : ['hiddenState'];
  const optional = kind.hasCellState ? ['bias', 'recurrentBias', 'peepholeWeight'] : ['bias', 'recurrentBias'];
  const outputs = kind.hasCellState ? ['output0', 'output1'] : ['output'];
  const params: Record<string, ParamKind> = { input: 'operand', weight: 'operand', recurrentWeight: 'operand' };
  for (const s of states) params[s] = 'operand';
  params.hiddenSize = 'uint';
  defineOp({
    name,
    params,
    operandOptions: optional,
    multipleOutputs: kind.hasCellState,
    limits: {
      input: exact(2), weight: exact(2), recurrentWeight: exact(2),
      ...Object.fromEntries(states.map((s) => [s, exact(2)])),
      ...Object.fromEntries(optional.map((p) => [p, exact(1)])),
      ...Object.fromEntries(outputs.map((p) => [p, exact(2)])),
    },
    create(c, args, o) {
      // The cells' parameters depend on the kind (lstmCell adds cellState), so they are declared as a record.
      const operands = args as Readonly<Record<string, OperandRef>>;
      const { input, weight, recurrentWeight } = operands as Record<'input' | 'weight' | 'recurrentWeight', OperandRef>;
      const stateRefs = states.map((s) => operands[s]!);
      checkSameType(c, weight, 'weight', input);
      checkSameType(c, recurrentWeight, 'recurrentWeight', input);
      states.forEach((s, i) => checkSameType(c, stateRefs[i]!, s, input));
      const opts = optionalOperands(c, o, optional, input);
      const hiddenSize = c.uint(args.hiddenSize, 'hiddenSize');
      const layout = c.enumValue(o.layout, kind.layouts, 'layout', kind.layouts[0]!);
      const resetAfter = c.bool(o.resetAfter, true);

      const [batchSize, inputSize] = input.shape as [number, number];
      const gateWidth = kind.gates * hiddenSize;
      checkShape(c, weight, 'weight', [gateWidth, inputSize]);
      checkShape(c, recurrentWeight, 'recurrentWeight', [gateWidth, hiddenSize]);
      states.forEach((s, i) => checkShape(c, stateRefs[i]!, s, [batchSize, hiddenSize]));
      checkHiddenSize(c, kind, hiddenSize);
      const expected: Record<string, number[]> = { bias: [gateWidth], recurrentBias: [gateWidth], peepholeWeight: [3 * hiddenSize] };
      optional.forEach((param, i) => checkShape(c, opts[i]!, param, expected[param]!));
      const activations = activationList(c, o.activations, kind);

      return {
        inputs: [input, weight, recurrentWeight, ...stateRefs, ...opts],
        attrs: { hiddenSize, layout, activations, ...(kind.hasCellState ? {} : { resetAfter }) } as AttrsOf<N>,
        outputs: outputs.map((p) => c.output(input.dataType, [batchSize, hiddenSize], p)),
      };
    },
  });
}

defineNetwork('gru', GRU);
defineCell('gruCell', GRU);
defineNetwork('lstm', LSTM);
defineCell('lstmCell', LSTM);
