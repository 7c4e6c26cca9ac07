// How each WebNN operator's builder method takes its arguments, as graph files need it: the positional parameters
// in the spec's order (%name: one MLOperand, *name: a sequence<MLOperand>, bare name: a literal such as an axis,
// a shape or a data type) and, after '|', the options members that are MLOperands (named by a value in the file).
// Derived from the spec's IDL (shared/spec/operators.md); covers all 95 operators whether or not tsnn
// implements them yet, so a file naming an unimplemented operator parses and fails only at validation.

const TABLE: Record<string, string> = {
  argMin: "%input axis",
  argMax: "%input axis",
  batchNormalization: "%input %mean %variance | scale bias",
  cast: "%input dataType",
  clamp: "%input",
  concat: "*inputs axis",
  conv2d: "%input %filter | bias",
  convTranspose2d: "%input %filter | bias",
  cumulativeSum: "%input axis",
  add: "%a %b",
  sub: "%a %b",
  mul: "%a %b",
  div: "%a %b",
  max: "%a %b",
  min: "%a %b",
  pow: "%a %b",
  equal: "%a %b",
  notEqual: "%a %b",
  greater: "%a %b",
  greaterOrEqual: "%a %b",
  lesser: "%a %b",
  lesserOrEqual: "%a %b",
  logicalNot: "%a",
  logicalAnd: "%a %b",
  logicalOr: "%a %b",
  logicalXor: "%a %b",
  isNaN: "%a",
  isInfinite: "%a",
  abs: "%input",
  ceil: "%input",
  cos: "%input",
  erf: "%input",
  exp: "%input",
  floor: "%input",
  identity: "%input",
  log: "%input",
  neg: "%input",
  reciprocal: "%input",
  roundEven: "%input",
  sin: "%input",
  sign: "%input",
  sqrt: "%input",
  tan: "%input",
  dequantizeLinear: "%input %scale %zeroPoint",
  quantizeLinear: "%input %scale %zeroPoint",
  elu: "%input",
  expand: "%input newShape",
  gather: "%input %indices",
  gatherElements: "%input %indices",
  gatherND: "%input %indices",
  gelu: "%input",
  gemm: "%a %b | c",
  gru: "%input %weight %recurrentWeight steps hiddenSize | bias recurrentBias initialHiddenState",
  gruCell: "%input %weight %recurrentWeight %hiddenState hiddenSize | bias recurrentBias",
  hardSigmoid: "%input",
  hardSwish: "%input",
  instanceNormalization: "%input | scale bias",
  layerNormalization: "%input | scale bias",
  leakyRelu: "%input",
  linear: "%input",
  lstm: "%input %weight %recurrentWeight steps hiddenSize | bias recurrentBias peepholeWeight initialHiddenState initialCellState",
  lstmCell: "%input %weight %recurrentWeight %hiddenState %cellState hiddenSize | bias recurrentBias peepholeWeight",
  matmul: "%a %b",
  pad: "%input beginningPadding endingPadding",
  averagePool2d: "%input",
  l2Pool2d: "%input",
  maxPool2d: "%input",
  prelu: "%input %slope",
  reduceL1: "%input",
  reduceL2: "%input",
  reduceLogSum: "%input",
  reduceLogSumExp: "%input",
  reduceMax: "%input",
  reduceMean: "%input",
  reduceMin: "%input",
  reduceProduct: "%input",
  reduceSum: "%input",
  reduceSumSquare: "%input",
  relu: "%input",
  resample2d: "%input",
  reshape: "%input newShape",
  reverse: "%input",
  scatterElements: "%input %indices %updates",
  scatterND: "%input %indices %updates",
  sigmoid: "%input",
  slice: "%input starts sizes",
  softmax: "%input axis",
  softplus: "%input",
  softsign: "%input",
  split: "%input splits",
  tanh: "%input",
  tile: "%input repetitions",
  transpose: "%input",
  triangular: "%input",
  where: "%condition %trueValue %falseValue",};

export type ParamKind = 'operand' | 'operands' | 'value';
export interface Param { readonly name: string; readonly kind: ParamKind }
export interface Signature {
  readonly op: string;
  readonly params: readonly Param[];
  /** Options members whose value is an MLOperand. */
  readonly operandOptions: readonly string[];
}

const signatures = new Map<string, Signature>();
for (const [op, spec] of Object.entries(TABLE)) {
  const [positional = '', options = ''] = spec.split('|');
  const params = positional.trim().split(/\s+/).filter(Boolean).map((p): Param => {
    if (p.startsWith('%')) return { name: p.slice(1), kind: 'operand' };
    if (p.startsWith('*')) return { name: p.slice(1), kind: 'operands' };
    return { name: p, kind: 'value' };
  });
  signatures.set(op, { op, params, operandOptions: options.trim().split(/\s+/).filter(Boolean) });
}

/** The operator's signature, or undefined when the name is not a WebNN operator. */
export function signatureOf(op: string): Signature | undefined {
  return signatures.get(op);
}

export function operatorNames(): string[] {
  return [...signatures.keys()];
}
