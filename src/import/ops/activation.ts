// Unary math and activations: one WebNN operator each where WebNN has it, a short composition where it has not
// (Sinh, Mish, Selu, Shrink, LogSoftmax, ...). Folded in JS when the input is known.
import type { MLOperand } from '../../api/operand.js';
import { productDims, type Dim } from '../../graph/dims.js';
import type { NodeContext } from '../context.js';
import type { SymInt } from '../symbolic.js';
import { family } from '../table.js';
import { isFloatType, type Elem, type Val } from '../values.js';
import { elementwise, like } from './common.js';
import { reshapeTo } from './shape.js';

type Webnn = (c: NodeContext, x: MLOperand) => MLOperand;

function unary(webnn: Webnn, fold?: (x: number) => number, intFold?: (x: Elem) => Elem, sym?: (x: SymInt) => SymInt | undefined) {
  return (c: NodeContext): Val => elementwise(c, [c.in(0)], {
    webnn: (c2, [x]) => webnn(c2, x!),
    fold: fold || intFold ? ([x], t) => (isFloatType(t) || !intFold ? fold!(Number(x!)) : intFold(x!)) : undefined,
    sym: sym && (([x]) => sym(x!)),
  });
}

/** Whole-number sizes are unchanged by rounding. */
const same = (x: SymInt) => x;

function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** ONNX Softmax/LogSoftmax/Hardmax before opset 13 work on the input coerced to 2-D at `axis`. */
function coerced(c: NodeContext, apply: (x: MLOperand, axis: number) => MLOperand): Val {
  const v = c.in(0);
  const rank = v.dims.length;
  if (c.opset >= 13) {
    const axis = c.axis(c.int('axis', -1), rank);
    return c.out(apply(c.op(v), axis), v.type);
  }
  const axis = c.axis(c.int('axis', 1), rank);
  if (axis === rank - 1) return c.out(apply(c.op(v), axis), v.type);
  const flat = reshapeTo(c, v, [productDims(v.dims.slice(0, axis)), productDims(v.dims.slice(axis))]);
  const y = c.out(apply(c.op(flat), 1), v.type);
  return reshapeTo(c, y, v.dims as Dim[]);
}

function logSoftmax(c: NodeContext, x: MLOperand, axis: number): MLOperand {
  const b = c.b;
  const shifted = b.sub(x, b.reduceMax(x, { axes: [axis], keepDimensions: true }));
  return b.sub(shifted, b.log(b.reduceSum(b.exp(shifted), { axes: [axis], keepDimensions: true })));
}

function hardmax(c: NodeContext, x: MLOperand, axis: number): MLOperand {
  const b = c.b;
  const n = x.dimensions[axis]!;
  const idx = b.argMax(x, axis, { keepDimensions: true, outputDataType: 'int32' });
  const shape: Dim[] = x.dimensions.map((_, i) => (i === axis ? n : 1));
  const iota = b.reshape(c.core.iota(n, 'int32'), shape as number[]);
  return b.cast(b.equal(iota, idx), x.dataType);
}

function clip(c: NodeContext): Val {
  const v = c.in(0);
  let lo: Val | number | undefined;
  let hi: Val | number | undefined;
  if (c.opset < 11) {
    lo = c.float('min');
    hi = c.float('max');
  } else {
    lo = c.opt(1);
    hi = c.opt(2);
  }
  const bound = (b: Val | number | undefined): number | bigint | Val | undefined => {
    if (b === undefined || typeof b === 'number') return b;
    const k = c.konst(b);
    return k ? k.values()[0]! : b;
  };
  const l = bound(lo);
  const h = bound(hi);
  const isBig = c.webnnType(v.type) === 'int64' || c.webnnType(v.type) === 'uint64';
  const num = (x: number | bigint) => (isBig ? BigInt(x) : Number(x));
  const known = (x: unknown): x is number | bigint | undefined => x === undefined || typeof x === 'number' || typeof x === 'bigint';
  if (known(l) && known(h)) {
    return elementwise(c, [v], {
      webnn: (c2, [x]) => c2.b.clamp(x!, { ...(l !== undefined ? { minValue: num(l) } : {}), ...(h !== undefined ? { maxValue: num(h) } : {}) }),
      fold: ([x]) => {
        let r = x!;
        if (l !== undefined && r < l) r = typeof r === 'bigint' ? BigInt(l) : Number(l);
        if (h !== undefined && r > h) r = typeof r === 'bigint' ? BigInt(h) : Number(h);
        return r;
      },
    });
  }
  let x = c.op(v);
  if (l !== undefined) x = c.b.max(x, known(l) ? like(c, x, Number(l)) : c.op(l));
  if (h !== undefined) x = c.b.min(x, known(h) ? like(c, x, Number(h)) : c.op(h));
  return c.out(x, v.type);
}

function gelu(c: NodeContext): Val {
  const approximate = c.string('approximate', 'none');
  if (approximate === 'none') return unary((c2, x) => c2.b.gelu(x))(c);
  if (approximate !== 'tanh') c.fail(`approximate '${approximate}' is not supported`);
  return unary((c2, x) => geluTanh(c2, x))(c);
}

/** 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))). */
export function geluTanh(c: NodeContext, x: MLOperand): MLOperand {
  const b = c.b;
  const inner = b.mul(b.add(x, b.mul(like(c, x, 0.044715), b.mul(x, b.mul(x, x)))), like(c, x, Math.sqrt(2 / Math.PI)));
  return b.mul(b.mul(x, like(c, x, 0.5)), b.add(b.tanh(inner), like(c, x, 1)));
}

const sinh: Webnn = (c, x) => c.b.mul(c.b.sub(c.b.exp(x), c.b.exp(c.b.neg(x))), like(c, x, 0.5));
const cosh: Webnn = (c, x) => c.b.mul(c.b.add(c.b.exp(x), c.b.exp(c.b.neg(x))), like(c, x, 0.5));
const asinh: Webnn = (c, x) => c.b.log(c.b.add(x, c.b.sqrt(c.b.add(c.b.mul(x, x), like(c, x, 1)))));
const acosh: Webnn = (c, x) => c.b.log(c.b.add(x, c.b.sqrt(c.b.sub(c.b.mul(x, x), like(c, x, 1)))));
const atanh: Webnn = (c, x) => c.b.mul(c.b.log(c.b.div(c.b.add(like(c, x, 1), x), c.b.sub(like(c, x, 1), x))), like(c, x, 0.5));

export const activationOps = family('activation', [
  { op: 'Relu', note: 'relu', handler: unary((c, x) => c.b.relu(x), (x) => Math.max(x, 0), (x) => (x > 0 ? x : typeof x === 'bigint' ? 0n : 0)) },
  { op: 'Sigmoid', note: 'sigmoid', handler: unary((c, x) => c.b.sigmoid(x), (x) => 1 / (1 + Math.exp(-x))) },
  { op: 'Tanh', note: 'tanh', handler: unary((c, x) => c.b.tanh(x), Math.tanh) },
  { op: 'Exp', note: 'exp', handler: unary((c, x) => c.b.exp(x), Math.exp) },
  { op: 'Log', note: 'log', handler: unary((c, x) => c.b.log(x), Math.log) },
  { op: 'Sqrt', note: 'sqrt', handler: unary((c, x) => c.b.sqrt(x), Math.sqrt) },
  { op: 'Abs', note: 'abs', handler: unary((c, x) => c.b.abs(x), Math.abs, (x) => (x < 0 ? -x : x)) },
  { op: 'Neg', note: 'neg', handler: unary((c, x) => c.b.neg(x), (x) => -x, (x) => -x, (x) => x.neg()) },
  { op: 'Erf', note: 'erf', handler: unary((c, x) => c.b.erf(x)) },
  { op: 'Sin', note: 'sin', handler: unary((c, x) => c.b.sin(x), Math.sin) },
  { op: 'Cos', note: 'cos', handler: unary((c, x) => c.b.cos(x), Math.cos) },
  { op: 'Tan', note: 'tan', handler: unary((c, x) => c.b.tan(x), Math.tan) },
  { op: 'Floor', note: 'floor', handler: unary((c, x) => c.b.floor(x), Math.floor, undefined, same) },
  { op: 'Ceil', note: 'ceil', handler: unary((c, x) => c.b.ceil(x), Math.ceil, undefined, same) },
  { op: 'Round', since: 11, note: 'roundEven', handler: unary((c, x) => c.b.roundEven(x), roundEven, undefined, same) },
  { op: 'Sign', since: 9, note: 'sign', handler: unary((c, x) => c.b.sign(x), Math.sign, (x) => (typeof x === 'bigint' ? (x > 0n ? 1n : x < 0n ? -1n : 0n) : Math.sign(x))) },
  { op: 'Reciprocal', note: 'reciprocal', handler: unary((c, x) => c.b.reciprocal(x), (x) => 1 / x) },
  { op: 'Sinh', since: 9, note: '(exp(x) - exp(-x)) / 2', handler: unary(sinh, Math.sinh) },
  { op: 'Cosh', since: 9, note: '(exp(x) + exp(-x)) / 2', handler: unary(cosh, Math.cosh) },
  { op: 'Asinh', since: 9, note: 'log(x + sqrt(x² + 1))', handler: unary(asinh, Math.asinh) },
  { op: 'Acosh', since: 9, note: 'log(x + sqrt(x² - 1))', handler: unary(acosh, Math.acosh) },
  { op: 'Atanh', since: 9, note: 'log((1 + x) / (1 - x)) / 2', handler: unary(atanh, Math.atanh) },
  { op: 'Softplus', note: 'softplus', handler: unary((c, x) => c.b.softplus(x), (x) => Math.log1p(Math.exp(x))) },
  { op: 'Softsign', note: 'softsign', handler: unary((c, x) => c.b.softsign(x), (x) => x / (1 + Math.abs(x))) },
  { op: 'HardSwish', since: 14, note: 'hardSwish', handler: unary((c, x) => c.b.hardSwish(x)) },
  {
    op: 'HardSigmoid', note: 'hardSigmoid',
    handler: (c) => unary((c2, x) => c2.b.hardSigmoid(x, { alpha: c.float('alpha', 0.2), beta: c.float('beta', 0.5) }))(c),
  },
  { op: 'Elu', note: 'elu', handler: (c) => unary((c2, x) => c2.b.elu(x, { alpha: c.float('alpha', 1) }))(c) },
  { op: 'LeakyRelu', note: 'leakyRelu', handler: (c) => unary((c2, x) => c2.b.leakyRelu(x, { alpha: c.float('alpha', 0.01) }))(c) },
  {
    op: 'Selu', note: 'gamma · elu(x, alpha)',
    handler: (c) => unary((c2, x) => c2.b.mul(c2.b.elu(x, { alpha: c.float('alpha', 1.67326319217681884765625) }), like(c2, x, c.float('gamma', 1.05070102214813232421875))))(c),
  },
  {
    op: 'Celu', since: 12, note: 'alpha · elu(x / alpha)',
    handler: (c) => {
      const alpha = c.float('alpha', 1);
      return unary((c2, x) => c2.b.mul(c2.b.elu(c2.b.div(x, like(c2, x, alpha))), like(c2, x, alpha)))(c);
    },
  },
  {
    op: 'ThresholdedRelu', since: 10, note: 'where(x > alpha, x, 0)',
    handler: (c) => {
      const alpha = c.float('alpha', 1);
      return unary((c2, x) => c2.b.where(c2.b.greater(x, like(c2, x, alpha)), x, like(c2, x, 0)), (x) => (x > alpha ? x : 0))(c);
    },
  },
  {
    op: 'Shrink', since: 9, note: 'where(x < -lambd, x + bias, where(x > lambd, x - bias, 0))',
    handler: (c) => {
      const lambd = c.float('lambd', 0.5);
      const bias = c.float('bias', 0);
      return unary((c2, x) => {
        const b = c2.b;
        return b.where(b.lesser(x, like(c2, x, -lambd)), b.add(x, like(c2, x, bias)), b.where(b.greater(x, like(c2, x, lambd)), b.sub(x, like(c2, x, bias)), like(c2, x, 0)));
      })(c);
    },
  },
  { op: 'Mish', since: 18, note: 'x · tanh(softplus(x))', handler: unary((c, x) => c.b.mul(x, c.b.tanh(c.b.softplus(x)))) },
  { op: 'Gelu', since: 20, note: 'gelu (approximate=tanh: its formula)', handler: gelu },
  {
    op: 'PRelu', note: 'prelu',
    handler: (c) => elementwise(c, [c.in(0), c.in(1)], { webnn: (c2, [x, s]) => c2.b.prelu(x!, s!) }),
  },
  { op: 'Clip', note: 'clamp (bounds known at import time), else max/min', handler: clip },
  { op: 'Softmax', note: 'softmax (before opset 13: on the input coerced to 2-D)', handler: (c) => coerced(c, (x, axis) => c.b.softmax(x, axis)) },
  { op: 'LogSoftmax', note: 'x - max - log(reduceSum(exp(x - max)))', handler: (c) => coerced(c, (x, axis) => logSoftmax(c, x, axis)) },
  { op: 'Hardmax', note: 'equal(iota, argMax) cast to the input type', handler: (c) => coerced(c, (x, axis) => hardmax(c, x, axis)) },
  { op: 'Dropout', note: 'identity (inference)', handler: (c) => {
    if (c.node.output.length > 1 && c.node.output[1]) c.fail('the mask output is not supported');
    return c.in(0);
  } },
]);
