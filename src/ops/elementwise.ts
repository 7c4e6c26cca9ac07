// Element-wise binary and unary operators (spec §"Element-wise binary operations", §"Element-wise unary operations").
import { DATA_TYPES, FLOAT_TYPES, SIGNED_TYPES, type MLOperandDataType } from '../graph/dtypes.js';
import { broadcastDims, broadcastHint, dimsToString } from '../graph/dims.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperatorOptions } from '../api/types.js';
import { defineOp, limits } from './registry.js';

declare module '../api/builder.js' {
  interface MLGraphBuilder {
    add(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    sub(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    mul(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    div(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    max(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    min(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    pow(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
    abs(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    neg(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    exp(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    log(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    sqrt(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    identity(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    ceil(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    floor(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    roundEven(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    cos(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    sin(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    tan(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    erf(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    reciprocal(input: MLOperand, options?: MLOperatorOptions): MLOperand;
    sign(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  }
}

/** a ⊕ b with bidirectional broadcasting; the output has a's type, or `outputType` (uint8 for comparisons and logic). */
export function defineBinary(name: string, types: readonly MLOperandDataType[] = DATA_TYPES, outputType?: MLOperandDataType): void {
  defineOp({
    name,
    params: { a: 'operand', b: 'operand' },
    limits: { a: limits(types), b: limits(types), output: limits(outputType ? [outputType] : types) },
    dynamic: true,
    create(c, { a: A, b: B }) {
      if (A.dataType !== B.dataType) c.fail(`a (${A.dataType}) and b (${B.dataType}) must have the same data type`);
      const dims = broadcastDims(A.dims, B.dims);
      if (!dims) return c.fail(`shapes ${dimsToString(A.dims)} and ${dimsToString(B.dims)} are not broadcastable${broadcastHint(A.dims, B.dims)}`);
      return { inputs: [A, B], attrs: {}, outputs: [c.outputDims(outputType ?? A.dataType, dims)] };
    },
  });
}

/** f(input) element-wise; the output copies the input's descriptor. */
export function defineUnary(name: string, types: readonly MLOperandDataType[]): void {
  defineOp({
    name,
    params: { input: 'operand' },
    limits: { input: limits(types), output: limits(types) },
    dynamic: true,
    create(c, { input: x }) {
      return { inputs: [x], attrs: {}, outputs: [c.outputDims(x.dataType, x.dims)] };
    },
  });
}

for (const name of ['add', 'sub', 'mul', 'div', 'max', 'min', 'pow']) defineBinary(name);
for (const name of ['abs', 'neg', 'sign']) defineUnary(name, SIGNED_TYPES);
for (const name of ['ceil', 'cos', 'erf', 'exp', 'floor', 'log', 'reciprocal', 'roundEven', 'sin', 'sqrt', 'tan']) {
  defineUnary(name, FLOAT_TYPES);
}
defineUnary('identity', DATA_TYPES);
