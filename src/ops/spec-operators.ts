// The 95 MLGraphBuilder operators of the WebNN spec (webmachinelearning/webnn index.bs @ c515210, 2026-06-27).
// Used to report coverage (tsnn info, docs/conformance.md); implemented ones live in src/ops.
export const SPEC_OPERATORS: readonly string[] = [
  'abs', 'add', 'argMax', 'argMin', 'averagePool2d', 'batchNormalization', 'cast', 'ceil',
  'clamp', 'concat', 'conv2d', 'convTranspose2d', 'cos', 'cumulativeSum', 'dequantizeLinear', 'div',
  'elu', 'equal', 'erf', 'exp', 'expand', 'floor', 'gather', 'gatherElements',
  'gatherND', 'gelu', 'gemm', 'greater', 'greaterOrEqual', 'gru', 'gruCell', 'hardSigmoid',
  'hardSwish', 'identity', 'instanceNormalization', 'isInfinite', 'isNaN', 'l2Pool2d', 'layerNormalization', 'leakyRelu',
  'lesser', 'lesserOrEqual', 'linear', 'log', 'logicalAnd', 'logicalNot', 'logicalOr', 'logicalXor',
  'lstm', 'lstmCell', 'matmul', 'max', 'maxPool2d', 'min', 'mul', 'neg',
  'notEqual', 'pad', 'pow', 'prelu', 'quantizeLinear', 'reciprocal', 'reduceL1', 'reduceL2',
  'reduceLogSum', 'reduceLogSumExp', 'reduceMax', 'reduceMean', 'reduceMin', 'reduceProduct', 'reduceSum', 'reduceSumSquare',
  'relu', 'resample2d', 'reshape', 'reverse', 'roundEven', 'scatterElements', 'scatterND', 'sigmoid',
  'sign', 'sin', 'slice', 'softmax', 'softplus', 'softsign', 'split', 'sqrt',
  'sub', 'tan', 'tanh', 'tile', 'transpose', 'triangular', 'where',
];
